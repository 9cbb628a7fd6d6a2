"""Load benchmark: Hänsyn served as in production (gunicorn --preload, 2 gthread workers of one
thread each) on 127.0.0.1,
with Göteborg's demo tenant grown to 100,000 candidates and 5,000 vacancies, driven by locust
(headless, bounded in time) with a realistic mix of users, figures per endpoint.

    .venv/bin/python benchmarks/load.py                       # SQLite
    .venv/bin/python benchmarks/load.py --postgres            # a throwaway PostgreSQL 15
    .venv/bin/python benchmarks/load.py --candidates 20000 --duration 20   # quicker

Steps, each timed: `hansyn demo`; seeding (bulk inserts of rows built from the demo's own
parsed values, not the ORM row by row; the change counter logs every new candidate); start-up
until /healthz answers and until the first ranked list answers (the index is built in the
background, `hansyn.tenants.matches.index`); then two runs of locust:

- `match`: --users suppliers reading ranked lists (HTML) — the goal: >= 300 requests/s, p95 <=
  50 ms at 50 users, no errors;
- `mixed`: suppliers, coordinators (search, status and consent form posts, which change the
  ranking) and admins.

Each user paces itself (`--rate` requests/s), so 50 users at 6/s offer 300 requests/s: latency is
measured at the goal's throughput. Before each measured run the same scenario runs unmeasured for
`--warmup` seconds: every worker process keeps its own rankings and rendered lists, and a server
that has run for minutes has them (a 30-second run from cold spends a sixth of its CPU filling
them); `--warmup 0` measures from cold. The server runs with Python's faulthandler on (as production
does, `hansyn.platform.wsgi`); its log is scanned for worker crashes and tracebacks. Only
127.0.0.1 is ever contacted; locust stops after --duration seconds.

Password hashing uses the test profile (`HANSYN_PASSWORD_HASHING=fast`) so that the users'
logins at the start of a run do not weigh on the figures; nothing else differs from production.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from matching import LANGUAGES, LEVELS, LICENCES, SKILLS, free_port, postgres_server  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

BIN = Path(sys.executable).parent
TENANT = "goteborg"
PASSWORD = "hansyn-demo-2026"  # noqa: S105 (the published demo password)
#: Places of the Göteborg region (and some further away): the seeded candidates live here.
PLACES = ["Göteborg", "Angered", "Hisings Backa", "Biskopsgården", "Torslanda", "Frölunda",
          "Mölndal", "Partille", "Kungälv", "Lerum", "Alingsås", "Kungsbacka", "Stenungsund",
          "Härryda", "Landvetter", "Ale", "Nödinge", "Kållered", "Lindome", "Öckerö", "Borås",
          "Trollhättan", "Uddevalla", "Vänersborg", "Lilla Edet", "Kortedala", "Bergsjön",
          "Majorna", "Askim", "Västra Frölunda", "Tuve", "Kärra", "Säve", "Olskroken"]
FIRST = ["Amina", "Mohammed", "Sara", "Ali", "Eva", "Johan", "Fatima", "Erik", "Leila", "Anders",
         "Hodan", "Maria", "Omar", "Karin", "Yusuf", "Lena", "Samir", "Anna", "Abdi", "Lars"]
LAST = ["Andersson", "Hassan", "Lindqvist", "Ali", "Berg", "Mohamed", "Ström", "Nilsson",
        "Ahmadi", "Karlsson", "Osman", "Johansson", "Warsame", "Persson", "Lind", "Eriksson"]


# ---------------------------------------------------------------------- the server's data
def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=900)


def build_app(env: dict[str, str]) -> Any:
    os.environ.update(env)
    from hansyn.platform.app import create_app

    return create_app()


def _pools(session: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Skills, languages and places as the app itself parses them (so keys match)."""
    from hansyn.errors import InvalidInput
    from hansyn.tenants.candidates.parsing import RawCandidate, parse_candidate

    def parsed(**fields: Any) -> Any:
        values = {"reference": "X", "name": "Mall Mallsson", "programme": "jobbtorg",
                  "skills": ["städning"], "languages": ["svenska B1"], "place": "Göteborg",
                  "working_time": "heltid", **fields}
        try:
            return parse_candidate(session, RawCandidate(**values))
        except InvalidInput:
            return None

    skills = [s for t in SKILLS if (d := parsed(skills=[t])) for s in d.skills]
    languages = [v for lang in LANGUAGES for level in LEVELS[:4]
                 if (d := parsed(languages=[f"{lang} {level}"])) for v in d.languages]
    places = [d.place for name in PLACES if (d := parsed(place=name)) and d.place]
    return skills, languages, places


def _candidate_rows(rng: random.Random, n: int, programme_id: int, places: list[Any],
                    start: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    rows = []
    for i in range(start, start + n):
        place = rng.choice(places)
        status = rng.choices(["active", "paused", "closed"], [85, 8, 7])[0]
        rows.append({
            "reference": f"LOAD-{i:07d}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "phone": f"070-{rng.randrange(10**6, 10**7)}", "email": f"person{i}@example.se",
            "programme_id": programme_id, "place_id": place.id, "place_name": place.display_name,
            "lat": place.lat, "lon": place.lon, "kommunkod": place.kommunkod,
            "max_commute_km": rng.choice([None, 10, 20, 30, 45, 60]),
            "driving_licences": " ".join(rng.sample(LICENCES, rng.choice([0, 0, 1, 2]))),
            "available_from": None, "working_time": "either", "notes": None, "status": status,
            "status_changed_at": now, "paused_at": now if status == "paused" else None,
            "closed_at": now if status == "closed" else None, "erased_at": None,
            "created_at": now, "updated_at": now,
        })
    return rows


def _children(rng: random.Random, ids: list[int], skills: list[Any],
              languages: list[Any]) -> tuple[list[dict[str, Any]], ...]:
    weights = [1 / (rank + 10) for rank in range(len(skills))]
    now = datetime.now(UTC)
    skill_rows, language_rows, consent_rows = [], [], []
    for cid in ids:
        chosen = {s.key: s for s in rng.choices(skills, weights, k=rng.randint(3, 8))}
        skill_rows += [{"candidate_id": cid, "position": p, "text": s.text, "key": s.key,
                        "kind": s.kind} for p, s in enumerate(chosen.values())]
        spoken = {v.language: v for v in rng.sample(languages, rng.randint(1, 3))}
        language_rows += [{"candidate_id": cid, "position": p, "text": v.text,
                           "language": v.language, "level": v.level, "key": v.key}
                          for p, v in enumerate(spoken.values())]
        consent_rows.append({"candidate_id": cid, "given": rng.random() < 0.85,
                             "purpose": "supplier_matching", "recorded_at": now,
                             "recorded_by_email": "load@example.se"})
    return skill_rows, language_rows, consent_rows


def seed(app: Any, n_candidates: int, n_vacancies: int, seed_value: int) -> dict[str, Any]:
    """Bulk-insert candidates and vacancies into Göteborg; returns the users' plan."""
    from hansyn.platform.models import Membership, Tenant, User
    from hansyn.tenants.candidates.changes import note_changes
    from hansyn.tenants.candidates.models import (
        Candidate,
        CandidateConsent,
        CandidateLanguage,
        CandidateSkill,
    )
    from hansyn.tenants.contracts.models import Contract
    from hansyn.tenants.programmes.models import Programme
    from hansyn.tenants.vacancies.models import Vacancy

    rng = random.Random(seed_value)
    databases = app.extensions["hansyn_databases"]
    with databases.control_session() as control:
        supplier_id = control.scalar(
            select(Membership.supplier_id).join(User).join(Tenant)
            .where(User.email == f"supplier@{TENANT}.example", Tenant.slug == TENANT))
    with app.test_request_context(), databases.tenant_session(TENANT) as session:
        skills, languages, places = _pools(session)
        programme_id = session.scalar(select(Programme.id).order_by(Programme.id).limit(1))
    engine = databases.tenant_engine(TENANT)
    ids: list[int] = []
    chunk = 5_000
    with engine.begin() as conn:
        for start in range(0, n_candidates, chunk):
            rows = _candidate_rows(rng, min(chunk, n_candidates - start), programme_id, places,
                                   start)
            stmt = insert(Candidate.__table__).returning(
                Candidate.__table__.c.id, sort_by_parameter_order=True)
            new = [row[0] for row in conn.execute(stmt, rows)]
            ids += new
            skill_rows, language_rows, consent_rows = _children(rng, new, skills, languages)
            conn.execute(insert(CandidateSkill.__table__), skill_rows)
            conn.execute(insert(CandidateLanguage.__table__), language_rows)
            conn.execute(insert(CandidateConsent.__table__), consent_rows)
        note_changes(conn, ids)
        contracts = conn.execute(select(Contract.id, Contract.supplier_id)).all()
        templates = [dict(row._mapping) for row in conn.execute(select(Vacancy.__table__))]
        own = [c for c, s in contracts if s == supplier_id]
        vacancy_rows = []
        for i in range(n_vacancies):
            template = dict(rng.choice(templates))
            template.pop("id")
            place = rng.choice(places)
            contract_id = rng.choice(own) if i < n_vacancies // 25 else rng.choice(contracts)[0]
            template.update(contract_id=contract_id, title=f"{template['title']} #{i}",
                            locality_id=place.id, locality_name=place.display_name,
                            status="open" if rng.random() < 0.8 else "closed")
            vacancy_rows.append(template)
        conn.execute(insert(Vacancy.__table__), vacancy_rows)
        mine = conn.execute(
            select(Vacancy.contract_id, Vacancy.id).join(Contract)
            .where(Contract.supplier_id == supplier_id, Vacancy.status == "open")).all()
        total = conn.execute(select(func.count(Vacancy.id))).scalar()
    if databases.dialect == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return {
        "tenant": TENANT,
        "password": PASSWORD,
        "accounts": {role: f"{role}@{TENANT}.example" for role in ("supplier", "coordinator",
                                                                     "admin")},
        "vacancies": [list(row) for row in mine],
        "candidates": rng.sample(ids, min(2_000, len(ids))),
        "counts": {"candidates": len(ids), "vacancies": total, "supplier_open": len(mine)},
    }


# ---------------------------------------------------------------------- the server
@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, log: Path,
             threads: int = 1, worker_class: str = "sync") -> Iterator[Any]:
    """gunicorn as production runs it (README); `threads` > 1 makes the workers gthread workers
    whatever `worker_class` says (gunicorn's rule)."""
    cmd = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
           "--worker-class", worker_class, "--threads", str(threads), "--preload",
           "--no-control-socket", "--timeout", "60", "hansyn.platform.wsgi:app"]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_for(url: str, process: Any, seconds: float, cookie: str | None = None) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode}); see its log")
        request = urllib.request.Request(  # noqa: S310 (our own server on 127.0.0.1)
            url, headers={"Cookie": cookie} if cookie else {}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def login_cookie(base: str, email: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    body = urllib.parse.urlencode({"csrf_token": token[1], "email": email, "password": PASSWORD})
    opener.open(f"{base}/login", data=body.encode(), timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


# ---------------------------------------------------------------------- the load
def locust(base: str, plan_file: Path, scenario: str, users: int, rate: float, duration: int,
           out: Path) -> tuple[list[dict[str, str]], float]:
    """locust's figures per endpoint, and the CPU seconds locust itself used (on the same cores
    as the server: what it takes is not the server's)."""
    env = {**os.environ, "HANSYN_LOAD_PLAN": str(plan_file), "HANSYN_LOAD_SCENARIO": scenario,
           "HANSYN_LOAD_RATE": str(rate)}
    prefix = out / scenario
    cmd = [str(BIN / "locust"), "-f", str(HERE / "load_locustfile.py"), "--headless",
           "--host", base, "-u", str(users), "-r", str(users), "-t", f"{duration}s",
           "--stop-timeout", "5", "--reset-stats", "--csv", str(prefix), "--only-summary",
           "--loglevel", "WARNING"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, check=False, capture_output=True,
                   timeout=duration + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats)), cpu


def server_cpu_seconds(master: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers."""
    pids = [master]
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def table(rows: list[dict[str, str]]) -> str:
    lines = [f"{'endpoint':36} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50':>6} "
             f"{'p95':>6} {'p99':>6}  (ms)"]
    for row in rows:
        if row["Name"] == "login":
            continue
        lines.append(
            f"{row['Name']:36} {int(row['Request Count']):>9} {int(row['Failure Count']):>7} "
            f"{float(row['Requests/s']):>8.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}")
    return "\n".join(lines)


def crashes(log: Path) -> list[str]:
    text_ = log.read_text(errors="replace")
    signs = ("Fatal Python error", "SIGSEGV", "Segmentation fault", "WORKER TIMEOUT",
             "was sent SIG", "Traceback (most recent call last)")
    return [line for line in text_.splitlines() if any(s in line for s in signs)]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    return (f"{cpu}, {os.cpu_count()} CPUs, load average before the run "
            f"{os.getloadavg()[0]:.1f}; Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=5_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rate", type=float, default=6.0, help="requests/s per user")
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="> 1: gthread workers")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="gthread",
                        help="gthread (as in production, README) keeps a client's connection "
                             "open between requests")
    parser.add_argument("--scenarios", default="match,mixed")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL 15")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    instance = Path(tempfile.mkdtemp(prefix="hansyn-load-"))
    database = postgres_server() if args.postgres else nullcontext(None)
    try:
        with database as dsn:
            env = {**os.environ, "HANSYN_ENV": "production", "HANSYN_INSTANCE_PATH": str(instance),
                   "HANSYN_SECRET_KEY": secrets.token_urlsafe(48), "HANSYN_SECURE_COOKIES": "0",
                   "HANSYN_PASSWORD_HASHING": "fast", "HANSYN_DEMO_PASSWORD": PASSWORD,
                   "HANSYN_BASE_URL": "https://hansyn.example", "HANSYN_HSTS_SECONDS": "0"}
            env.pop("HANSYN_DATABASE_URL", None)
            if dsn is not None:
                parts = dict(p.split("=", 1) for p in dsn.split())
                env["HANSYN_DATABASE_URL"] = (f"postgresql+psycopg://{parts['user']}@"
                                              f"{parts['host']}:{parts['port']}/{parts['dbname']}")
            print(f"database: {'PostgreSQL' if dsn else 'SQLite'}; instance {instance}")
            began = time.perf_counter()
            run([str(BIN / "hansyn"), "demo"], env)
            print(f"hansyn demo: {time.perf_counter() - began:.1f} s")
            began = time.perf_counter()
            plan = seed(build_app(env), args.candidates, args.vacancies, args.seed)
            print(f"seeded {plan['counts']} in {time.perf_counter() - began:.1f} s")
            plan_file = instance / "load-plan.json"
            plan_file.write_text(json.dumps(plan), encoding="utf-8")
            serve(env, args, plan, plan_file, instance)
    finally:
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)


def serve(env: dict[str, str], args: argparse.Namespace, plan: dict[str, Any], plan_file: Path,
          instance: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = instance / "gunicorn.log"
    began = time.perf_counter()
    with gunicorn(env, port, args.workers, log, args.threads, args.worker_class) as process:
        wait_for(f"{base}/healthz", process, 300)
        healthy = time.perf_counter() - began
        cookie = login_cookie(base, plan["accounts"]["supplier"])
        contract_id, vacancy_id = plan["vacancies"][0]
        page = f"{base}/{TENANT}/vacancies/{contract_id}/{vacancy_id}/candidates"
        wait_for(page, process, 300, cookie)
        ranked = time.perf_counter() - began
        print(f"start-up (no saved index): /healthz after {healthy:.1f} s, "
              f"first ranked list after {ranked:.1f} s")
        for scenario in args.scenarios.split(","):
            if args.warmup:
                locust(base, plan_file, scenario, args.users, args.rate, args.warmup, instance)
            cpu, load = server_cpu_seconds(process.pid), os.getloadavg()[0]
            rows, generator_cpu = locust(base, plan_file, scenario, args.users, args.rate,
                                         args.duration, instance)
            cpu, load_end = server_cpu_seconds(process.pid) - cpu, os.getloadavg()[0]
            total = next((int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated"), 0)
            print(f"\n=== {scenario}: {args.users} users x {args.rate:g} req/s offered, "
                  f"{args.duration} s after {args.warmup} s of warm-up, gunicorn -w "
                  f"{args.workers} -k {args.worker_class} --threads {args.threads} --preload ===")
            print(table(rows))
            per_request = 1000 * cpu / max(total, 1)
            print(f"server CPU: {per_request:.1f} ms per request (all endpoints, incl. logins); "
                  f"{args.workers} idle cores would serve ~{1000 * args.workers / per_request:.0f}"
                  f" req/s; load average (1 min) at the start {load:.1f}, at the end "
                  f"{load_end:.1f}")
            print(f"load generator (locust, same cores): "
                  f"{1000 * generator_cpu / max(total, 1):.1f} ms CPU per request")
    found = crashes(log)
    print(f"\nserver log: {len(found)} crash or traceback lines")
    for line in found[:20]:
        print("  " + line)
    restart(env, args, plan, log.with_name("gunicorn-restart.log"))


def restart(env: dict[str, str], args: argparse.Namespace, plan: dict[str, Any],
            log: Path) -> None:
    """A second start: the saved index is loaded, so the ranked list answers at once."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    with gunicorn(env, port, args.workers, log, args.threads, args.worker_class) as process:
        wait_for(f"{base}/healthz", process, 300)
        healthy = time.perf_counter() - began
        cookie = login_cookie(base, plan["accounts"]["supplier"])
        contract_id, vacancy_id = plan["vacancies"][0]
        page = f"{base}/{TENANT}/vacancies/{contract_id}/{vacancy_id}/candidates"
        wait_for(page, process, 300, cookie)
        print(f"restart (saved index): /healthz after {healthy:.1f} s, first ranked list after "
              f"{time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
