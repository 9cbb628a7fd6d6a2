"""Build the job-title ontology the matching vocabulary ships, from JobTech's open ontology.

Usage::

    .venv/bin/python tools/build_ontology.py [path/to/yrke-dev.csv]

Reads ``../shared/data/jobtech-ontology/yrke-dev.csv`` (JobTech Development's open ontology of
job titles as job ads write them: term; concept id; preferred label; type; term id; whether the
term is a real misspelling; version) and writes ``hansyn/matching/data/ontology.json.gz``:
``{"source": ..., "concepts": [[preferred label, [term, ...]], ...]}`` sorted by label, terms
as written in the file (misspellings included: they are real ones), byte-for-byte reproducible
(gzip mtime 0). ``Vocabulary`` adds each concept (or its terms to a taxonomy concept with the
same label) and learns synonymous compound heads from the terms (``learn_head_swaps``).
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "jobtech-ontology" / "yrke-dev.csv"
TARGET = ROOT / "hansyn" / "matching" / "data" / "ontology.json.gz"


def build(source: Path) -> dict[str, object]:
    terms: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            labels[row["uuid"]] = row["concept"]
            terms[row["uuid"]].add(row["term"])
    concepts = sorted([labels[uuid], sorted(found)] for uuid, found in terms.items())
    return {
        "source": "JobTech Development, open ontology of job titles (type YRKE), "
        "NARVALONTOLOGI-2.0.1.9, as in yrke-dev.csv",
        "concepts": concepts,
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    raw = json.dumps(build(source), ensure_ascii=False, separators=(",", ":")).encode()
    TARGET.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
