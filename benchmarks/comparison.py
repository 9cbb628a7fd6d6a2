"""The comparison page with 290 municipalities' published snapshots, against 2.

    .venv/bin/python benchmarks/comparison.py [--quarters 8] [--requests 30]

Builds two throwaway instances (SQLite control plane): one where all 290 Swedish municipalities
have published `--quarters` quarters, one where only 2 have (the baseline, measured in the same
run). Snapshots are written as the publishing flow writes them — real tables, suppressed — but
no municipality has a database of its own beside the viewer's: the comparison must not need one.
An analyst then opens `/<tenant>/statistics/compare` for every grouping; for each the first
request after a publication (nothing kept) and the median of `--requests` later ones are timed
(wall clock, in process, through Flask's test client).

The goal: under 100 ms with 290 municipalities. Figures are recorded in docs/statistics.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask

from hansyn.migrations import upgrade_control
from hansyn.platform import operations
from hansyn.platform.app import create_app
from hansyn.platform.models import Role, Tenant
from hansyn.platform.statistics.models import StatisticsSnapshot
from hansyn.tenants.statistics import compare_page
from hansyn.tenants.statistics.disclosure import one_way, suppress, two_way
from hansyn.tenants.statistics.labels import CATEGORIES, GROUPS
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.statistics.publishing import LAYOUT, REQUIREMENT
from hansyn.tenants.statistics.regions import municipalities

PASSWORD = "benchmark-password-long"  # noqa: S105 (a throwaway instance)
GROUPINGS = ("county", "fa", "size", "municipality")


def _payload(rng: random.Random, population: int) -> dict[str, object]:
    scale = population / 10_000
    registered = {g: max(0, int(rng.gauss(scale * 0.6, scale * 0.3))) for g in GROUPS}
    enrolled = {g: 3 * n + rng.randrange(3) for g, n in registered.items()}
    crossed = {(c, r): rng.randrange(0, 2 + int(scale // 8)) for c in CATEGORIES
               for r in REQUIREMENT}
    tables = [("registered", "one_way", (GROUPS,), one_way("registered", registered)),
              ("enrolled", "one_way", (GROUPS,), one_way("enrolled", enrolled)),
              ("procurements", "two_way", (CATEGORIES, REQUIREMENT),
               two_way("procurements", CATEGORIES, REQUIREMENT, crossed))]
    out = []
    for name, kind, dimensions, cells in tables:
        shown = suppress(cells, 5).apply(cells)
        out.append({"name": name, "kind": kind, "dimensions": [list(d) for d in dimensions],
                    "values": {c.key.removeprefix(f"{name}/"): shown[c.key] for c in cells}})
    return {"tables": out, "procurement_target_percent": 50}


def build(count: int, quarters: int, seed: int) -> tuple[Flask, str]:
    rng = random.Random(seed)
    instance = Path(tempfile.mkdtemp(prefix="hansyn-bench-"))
    app = create_app({"HANSYN_ENV": "testing", "INSTANCE_PATH": instance,
                      "SECRET_KEY": "benchmark-secret-key-long-enough-to-pass",
                      "DATABASE_URL": None, "PASSWORD_HASHING": "fast",
                      "WTF_CSRF_ENABLED": False})
    databases = app.extensions["hansyn_databases"]
    everyone = municipalities()
    viewer = everyone["1490"]  # Borås: 49 municipalities in its county
    chosen = [viewer, *[m for m in everyone.values() if m is not viewer][:count - 1]]
    periods = Period(2026, 3).trailing(quarters)
    with app.app_context():
        upgrade_control(databases)
        with databases.control_session(write=True) as session:
            user = operations.create_user(session, "analyst@bench.example", "Analytiker",
                                          PASSWORD, profile="fast")
            for region in chosen:
                tenant = Tenant(slug=f"k{region.kommunkod}", name=region.name,
                                kommunkod=region.kommunkod)
                session.add(tenant)
                session.flush()
                if region is chosen[0]:  # the analyst works here; its database is never opened
                    operations.grant_membership(session, user, tenant, Role.ANALYST)
                population = int(rng.lognormvariate(10.2, 0.9)) + 2_500
                for period in periods:
                    session.add(StatisticsSnapshot(
                        tenant_id=tenant.id, kommunkod=region.kommunkod,
                        municipality=region.name, period=period.code, version=1,
                        layout=LAYOUT, min_count=5, figures=_payload(rng, population),
                        population=population, population_year=2024))
    return app, f"k{viewer.kommunkod}"


def measure(app: Flask, slug: str, requests: int) -> dict[str, tuple[float, float]]:
    client = app.test_client()
    client.post("/login", data={"email": "analyst@bench.example", "password": PASSWORD})
    client.get(f"/{slug}/statistics/compare?period=2026Q2&measure=enrolled")  # warm up
    results = {}
    for by in GROUPINGS:
        url = f"/{slug}/statistics/compare?period=2026Q3&by={by}"
        compare_page._cache.clear()  # as right after a publication: nothing kept
        compare_page._items.clear()
        cold = _timed(client, url)
        warm = statistics.median(_timed(client, url) for _ in range(requests))
        results[by] = (cold, warm)
    return results


def _timed(client: object, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    full_app, slug = build(290, args.quarters, seed=1)
    base_app, base_slug = build(2, args.quarters, seed=2)
    full = measure(full_app, slug, args.requests)
    base = measure(base_app, base_slug, args.requests)
    print(f"comparison page, {args.quarters} quarters published; median of {args.requests} "
          "requests after the first (ms)")
    print(f"{'grouping':<14}{'290 first':>11}{'290 median':>12}{'2 first':>10}"
          f"{'2 median':>10}{'ratio':>8}")
    for by in GROUPINGS:
        (cold, warm), (base_cold, base_warm) = full[by], base[by]
        print(f"{by:<14}{cold:>11.1f}{warm:>12.1f}{base_cold:>10.1f}{base_warm:>10.1f}"
              f"{warm / base_warm:>8.2f}")
    worst = max(warm for _cold, warm in full.values())
    print(f"goal: under 100 ms with 290 municipalities — worst median {worst:.1f} ms: "
          f"{'met' if worst < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
