"""CPU time of the supplier's ranked page, in process (Flask's test client, no HTTP server), at
`benchmarks/load.py`'s scale: Göteborg's demo tenant grown to 100,000 candidates.

    .venv/bin/python benchmarks/ranked_page_cpu.py                        # seed, measure
    .venv/bin/python benchmarks/ranked_page_cpu.py --instance /tmp/rp    # keep and reuse the data
    .venv/bin/python benchmarks/ranked_page_cpu.py --instance /tmp/rp --profile

Per request it prints the process CPU time (min and median of --repeats batches: other jobs on
the machine inflate single batches) and the number of Python function calls (exact, load-free),
for: the accessibility statement (the floor: any signed-in page through Flask, the session
cookie, the user's lookup and the page layout, without a tenant's database), the ranked page
(HTML) with a kept ranking (a vacancy read again, nothing changed), the same with a fresh
ranking every time (the kept rankings dropped before each request), and the JSON list; each as
a multiple of the floor. `--profile` samples the CPU (SIGPROF) and prints the share of the
page's time inside each part of the request.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import gc
import json
import os
import pstats
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import load  # noqa: E402

#: The parts of a request whose share --profile prints (function names as Python sees them).
PARTS = {
    "whole request": "flask/app.py:full_dispatch_request",
    "before the view (user, memberships)": "flask/app.py:preprocess_request",
    "  user by session token": "hansyn/platform/auth.py:load_user",
    "  memberships of the user": "hansyn/platform/access.py:user_access",
    "view: vacancy query": "hansyn/tenants/matches/views.py:_own_vacancy_or_404",
    "view: index current? (counter)": "hansyn/tenants/matches/index.py:index_for",
    "view: ranking (engine)": "hansyn/matching/engine.py:rank",
    "view: pseudonyms": "hansyn/tenants/matches/pseudonyms.py:known_pseudonyms",
    "view: card texts": "hansyn/tenants/matches/cards.py:supplier_cards",
    "view: template": "flask/templating.py:render_template",
    "after the view (commits)": "hansyn/platform/request_db.py:commit_request",
    "  audit INSERT": "hansyn/tenants/audit/operations.py:_write_deferred",
    "session cookie (read, write)": "flask/sessions.py:",
}


def environment(instance: Path) -> dict[str, str]:
    return {"HANSYN_ENV": "production", "HANSYN_INSTANCE_PATH": str(instance),
            "HANSYN_SECRET_KEY": "b" * 48, "HANSYN_SECURE_COOKIES": "0",
            "HANSYN_PASSWORD_HASHING": "fast", "HANSYN_DEMO_PASSWORD": load.PASSWORD,
            "HANSYN_BASE_URL": "https://hansyn.example", "HANSYN_HSTS_SECONDS": "0"}


def prepared(instance: Path, candidates: int, seed: int) -> dict[str, Any]:
    """The load benchmark's data in `instance` (seeded once; reused when it is there)."""
    plan_file = instance / "ranked-page-plan.json"
    if not plan_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(load.BIN / "hansyn"), "demo"], env=dict(os.environ), check=True,
                       capture_output=True, timeout=900)
        plan = load.seed(load.build_app(dict(os.environ)), candidates, 5_000, seed)
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
    plan: dict[str, Any] = json.loads(plan_file.read_text(encoding="utf-8"))
    return plan


def signed_in_client(app: Any, plan: dict[str, Any]) -> Any:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    answer = client.post("/login", data={"csrf_token": token[1], "password": plan["password"],
                                         "email": plan["accounts"]["supplier"]})
    assert answer.status_code == 302, answer.status_code
    return client


def cpu_per_request(run: Callable[[], None], requests: int, repeats: int) -> tuple[float, ...]:
    """Min and median CPU ms per request over `repeats` batches, and calls per request."""
    batches = []
    for _ in range(repeats):
        began = time.process_time()
        run()
        batches.append(1000 * (time.process_time() - began) / requests)
    profiler = cProfile.Profile()
    profiler.runcall(run)
    calls = pstats.Stats(profiler).total_calls / requests
    return min(batches), statistics.median(batches), calls


def sampled_shares(run: Callable[[], None], batches: int) -> tuple[int, dict[str, float]]:
    """Share of CPU samples (every 0.5 ms of process CPU) inside each of `PARTS`."""
    inside: collections.Counter[str] = collections.Counter()
    total = 0

    def sample(_signal: int, frame: Any) -> None:
        nonlocal total
        total += 1
        names = set()
        while frame is not None:
            path = frame.f_code.co_filename.split("site-packages/")[-1]
            names.add(f"{path.split(str(HERE.parent) + '/')[-1]}:{frame.f_code.co_name}")
            frame = frame.f_back
        for part, name in PARTS.items():
            if any(n.startswith(name) for n in names):
                inside[part] += 1

    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    try:
        for _ in range(batches):
            run()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    return total, {part: inside[part] / max(total, 1) for part in PARTS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=300, help="distinct vacancies read")
    parser.add_argument("--requests", type=int, default=200, help="requests per batch")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--instance", type=Path, help="keep the data here (reused if present)")
    parser.add_argument("--profile", action="store_true", help="CPU-sampled shares per part")
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()

    instance = args.instance or Path(tempfile.mkdtemp(prefix="hansyn-ranked-"))
    os.environ.update(environment(instance))
    os.environ.pop("HANSYN_DATABASE_URL", None)
    print(f"machine: {load.machine()}")
    plan = prepared(instance, args.candidates, args.seed)
    from hansyn.platform.app import create_app
    from hansyn.tenants.matches import ranking
    from hansyn.tenants.matches.index import warm_all

    app = create_app()
    print(f"indexed candidates: {warm_all(app)}")
    gc.freeze()  # as the production entry point does before gunicorn forks
    client = signed_in_client(app, plan)
    base = f"/{load.TENANT}/vacancies"
    pages = [f"{base}/{c}/{v}/candidates" for c, v in plan["vacancies"][: args.vacancies]]
    for page in pages:  # pseudonyms drawn, rankings kept: what a second read finds
        assert client.get(page).status_code == 200

    def reader(suffix: str = "", fresh: bool = False) -> Callable[[], None]:
        def run() -> None:
            for i in range(args.requests):
                if fresh:
                    ranking._rankings.clear()
                answer = client.get(pages[i % len(pages)] + suffix)
                assert answer.status_code == 200, answer.status_code
        return run

    def floor_page() -> None:
        for _ in range(args.requests):
            assert client.get("/tillganglighet").status_code == 200

    cases = {"signed-in static page (floor)": floor_page, "ranked page, kept ranking": reader(),
             "ranked page, fresh ranking": reader(fresh=True), "ranked JSON, kept ranking":
             reader(".json")}
    floor = None
    print(f"\n{'':30} {'CPU ms/request':>15} {'median':>7} {'calls':>7}  (x floor)")
    for name, run in cases.items():
        low, median, calls = cpu_per_request(run, args.requests, args.repeats)
        floor = floor or low
        print(f"{name:30} {low:15.2f} {median:7.2f} {calls:7.0f}  ({low / floor:.1f}x)")
    print(f"load average (1 min) after the runs: {os.getloadavg()[0]:.1f}")
    if args.profile:
        for name, fresh in (("kept ranking", False), ("fresh ranking", True)):
            total, shares = sampled_shares(reader(fresh=fresh), 3)
            print(f"\nranked page, {name}: share of {total} CPU samples")
            for part, share in shares.items():
                print(f"  {100 * share:5.1f} %  {part}")


if __name__ == "__main__":
    main()
