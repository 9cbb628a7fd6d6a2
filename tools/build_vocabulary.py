"""Build the matching vocabulary's package data from the JobTech taxonomy snapshot.

Usage::

    .venv/bin/python tools/build_vocabulary.py [path/to/concepts.json]

Reads ``../shared/data/jobtech-taxonomy/concepts.json`` (Arbetsförmedlingen's JobTech Taxonomy,
open data from JobTech Development) and writes ``hansyn/matching/data/taxonomy.json.gz``:
only the concept types the vocabulary needs, as ``[conceptId, preferredLabel]`` pairs sorted
by id, so the output is byte-for-byte reproducible (gzip mtime is fixed to 0).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "jobtech-taxonomy" / "concepts.json"
TARGET = ROOT / "hansyn" / "matching" / "data" / "taxonomy.json.gz"

# taxonomy concept type -> key in the package data
TYPES = {
    "skill": "skill",
    "occupation-name": "occupation",
    "language": "language",
    "language-level": "language_level",
    "driving-licence": "licence",
    "keyword": "keyword",
}


def build(source: Path) -> dict[str, object]:
    raw = json.loads(source.read_text(encoding="utf-8"))
    data: dict[str, object] = {
        "source": "JobTech Taxonomy (Arbetsförmedlingen / JobTech Development), "
        "JobtechSwe/jobtech-taxonomy-database resources/taxonomy-to-concept.json",
    }
    for concept_type, name in TYPES.items():
        rows = sorted((c["conceptId"], c["preferredLabel"].strip()) for c in raw[concept_type])
        data[name] = [list(row) for row in rows]
    return data


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    payload = json.dumps(build(source), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("wb") as raw_file, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw_file, mtime=0, compresslevel=9
    ) as out:
        out.write(payload.encode("utf-8"))
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
