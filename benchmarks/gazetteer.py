"""Benchmark of the place autocomplete: the shipped gazetteer against the one before issue 11.

    .venv/bin/python benchmarks/gazetteer.py [--rounds 50]

The baseline is the same code over municipalities and localities only (1,613 places, what the
gazetteer held before districts and postcodes were added), built in the same run, so the ratio
holds on a busy machine too. Prints milliseconds per query (median of the rounds, CPU time of
this process) for typical autocomplete queries of two or more characters, as the form sends
them, and the time to load and index each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hansyn.tenants.localities import gazetteer as gz

QUERIES = ["Go", "Goteborg", "Gotebrog", "Malmo", "Vasteras", "Stokholm", "Hylte", "Ang",
           "biskopsgarden", "Hisings Backa", "417", "417 05", "qxzjv"]


def baseline() -> gz.Gazetteer:
    shipped = gz.Gazetteer.default()
    rows = {r["geonameid"]: r for r in gz._read_csv("localities.csv")}
    localities = [(p, [a for a in rows[p.id[1:]]["alternatenames"].split("|") if a])
                  for p in shipped if p.kind == "locality"]
    return gz.Gazetteer(shipped.municipalities(), localities)


def per_query_ms(gazetteer: gz.Gazetteer, query: str, rounds: int) -> float:
    gazetteer.search(query)
    times = []
    for _ in range(rounds):
        start = time.process_time()
        gazetteer.search(query)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    start = time.process_time()
    shipped = gz._default()
    load_shipped = time.process_time() - start
    start = time.process_time()
    base = baseline()
    load_base = time.process_time() - start
    print(f"places: baseline {len(base)}, shipped {len(shipped)} "
          f"(+ {len(shipped.postcodes())} postcodes)")
    print(f"load and index: baseline {load_base:.2f} s, shipped {load_shipped:.2f} s")
    print(f"{'query':<16}{'baseline ms':>12}{'shipped ms':>12}{'ratio':>8}")
    totals = [0.0, 0.0]
    for query in QUERIES:
        old, new = per_query_ms(base, query, rounds), per_query_ms(shipped, query, rounds)
        totals[0] += old
        totals[1] += new
        ratio = new / old if old else float("nan")
        print(f"{query:<16}{old:>12.3f}{new:>12.3f}{ratio:>8.1f}")
    mean_old, mean_new = totals[0] / len(QUERIES), totals[1] / len(QUERIES)
    print(f"{'mean':<16}{mean_old:>12.3f}{mean_new:>12.3f}{mean_new / mean_old:>8.1f}")


if __name__ == "__main__":
    main()
