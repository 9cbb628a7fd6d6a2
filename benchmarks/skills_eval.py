"""Recall@1, recall@10 and MRR of the skill normaliser against a plain fuzzy baseline.

Run: ``.venv/bin/python benchmarks/skills_eval.py [--split dev|test|all] [--misses]``

The evaluation set ``benchmarks/data/skill_variants.csv`` holds hand-written variants as they occur
in Swedish job ads and case notes (variant, expected canonical label, category, split):

* ``dev``: the lexicon was tuned on its misses;
* ``test``: about 40 % of the first batch (chosen by a hash of the variant), never tuned on;
* ``holdout``: a second batch written after the lexicon was frozen, about occupations and skills
  the lexicon does not mention (the closest stand-in for unseen job-ad text);
* ``final``: a third batch about yet other occupations, written after the last change to the
  normaliser and measured once.

* normaliser: rank 1 is ``Vocabulary.normalize(variant)``, then the autocomplete
  ``Vocabulary.suggest(variant)`` terms, de-duplicated, to 10 labels.
* baseline: ``rapidfuzz.process.extract`` with ``fuzz.WRatio`` over the same label universe (all
  taxonomy/extra concept labels, every driving and truck licence label and every language label
  with and without each level), top 10.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hansyn.matching import lexicon
from hansyn.matching.vocabulary import Term, Vocabulary

DATA = Path(__file__).resolve().parent / "data" / "skill_variants.csv"
Ranker = Callable[[str], list[str]]


def load_rows(split: str) -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if split == "all" or r["split"] == split]


def label_universe(vocabulary: Vocabulary) -> list[str]:
    labels = {term.label for term in _all_terms(vocabulary)}
    return sorted(labels)


def _all_terms(vocabulary: Vocabulary) -> Iterable[Term]:
    for key in vocabulary.all_keys():
        term = vocabulary.term(key)
        yield term
        if term.kind == "language":
            for level in lexicon.LANGUAGE_LEVELS:
                yield vocabulary.term(f"{key}#{level}")


def normaliser_ranker(vocabulary: Vocabulary) -> Ranker:
    def rank(text: str) -> list[str]:
        labels = [vocabulary.normalize(text).label]
        labels += [term.label for term in vocabulary.suggest(text, limit=10)]
        return list(dict.fromkeys(labels))[:10]

    return rank


def baseline_ranker(labels: list[str]) -> Ranker:
    def rank(text: str) -> list[str]:
        found = process.extract(
            text, labels, scorer=fuzz.WRatio, processor=utils.default_process, limit=10
        )
        return [label for label, _score, _index in found]

    return rank


def measure(rows: list[dict[str, str]], rank: Ranker) -> dict[str, tuple[float, float, float, int]]:
    """Per category and overall: recall@1, recall@10, MRR, count."""
    hits: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        ranked = [label.casefold() for label in rank(row["variant"])]
        expected = row["expected"].casefold()
        reciprocal = 1.0 / (ranked.index(expected) + 1) if expected in ranked else 0.0
        for group in (row["category"], "ALL"):
            hits[group].append(reciprocal)
    return {
        group: (
            sum(r == 1.0 for r in values) / len(values),
            sum(r > 0 for r in values) / len(values),
            sum(values) / len(values),
            len(values),
        )
        for group, values in hits.items()
    }


def report(title: str, ours: dict[str, tuple[float, float, float, int]],
           base: dict[str, tuple[float, float, float, int]]) -> None:
    print(f"\n== {title}")
    print(f"{'category':<13}{'n':>4} | {'R@1':>5} {'R@10':>5} {'MRR':>5} | "
          f"{'base R@1':>8} {'R@10':>5} {'MRR':>5} | {'MRR ratio':>9}")
    for group in sorted(ours, key=lambda g: (g == "ALL", g)):
        r1, r10, mrr, n = ours[group]
        b1, b10, bmrr, _ = base[group]
        ratio = f"{mrr / bmrr:.2f}" if bmrr else "inf"
        print(f"{group:<13}{n:>4} | {r1:5.2f} {r10:5.2f} {mrr:5.2f} | "
              f"{b1:8.2f} {b10:5.2f} {bmrr:5.2f} | {ratio:>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--split", choices=["dev", "test", "holdout", "final", "all", "every"], default="every"
    )
    parser.add_argument("--misses", action="store_true", help="list the normaliser's rank-1 misses")
    args = parser.parse_args()
    started = time.perf_counter()
    vocabulary = Vocabulary.default()
    ours, base = normaliser_ranker(vocabulary), baseline_ranker(label_universe(vocabulary))
    print(f"vocabulary loaded in {time.perf_counter() - started:.2f} s")
    universe = {label.casefold() for label in label_universe(vocabulary)}
    unknown = {r["expected"] for r in load_rows("all") if r["expected"].casefold() not in universe}
    if unknown:
        print(f"expected labels missing from the vocabulary: {sorted(unknown)}")
    splits = ["dev", "test", "holdout", "final", "all"] if args.split == "every" else [args.split]
    for split in splits:
        rows = load_rows(split)
        report(f"split={split}", measure(rows, ours), measure(rows, base))
        if args.misses:
            for row in rows:
                got = vocabulary.normalize(row["variant"]).label
                if got.casefold() != row["expected"].casefold():
                    print(f"  miss [{row['category']}] {row['variant']!r}: {got!r} "
                          f"(expected {row['expected']!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
