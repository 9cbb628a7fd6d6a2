"""Two gunicorn workers (--preload, as in production) on the demo data, on SQLite and on
PostgreSQL: a candidate changed through one worker is ranked accordingly by every worker at once
(each reads the tenant's change counter), and readers beside editors get no error while every
person shown to a supplier is in the audit trail."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.fixtures.platform import postgres_server_url, throwaway_database
from tests.platform.test_serving import GUNICORN, HANSYN, _free_port, _wait_for

PASSWORD = "hansyn-demo-2026"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Served:
    base: str
    env: dict[str, str]
    app: Any


class Browser:
    """A person's browser: its own cookies, logged in once."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        token = self.csrf("/login")
        self.post("/login", {"email": email, "password": PASSWORD, "csrf_token": token})

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post(self, path: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def csrf(self, path: str) -> str:
        found = CSRF.search(self.get(path)[1])
        assert found is not None, path
        return found[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from tests.fixtures.platform import make_test_app

    with ExitStack() as stack:
        server_url = postgres_server_url()
        url = stack.enter_context(throwaway_database(server_url)) if server_url else None
        instance = tmp_path_factory.mktemp("served")
        env = {**os.environ, "HANSYN_INSTANCE_PATH": str(instance), "HANSYN_ENV": "development",
               "HANSYN_PASSWORD_HASHING": "fast", "HANSYN_DEMO_PASSWORD": PASSWORD}
        env.pop("HANSYN_DATABASE_URL", None)
        if url:
            env["HANSYN_DATABASE_URL"] = url
        subprocess.run([HANSYN, "demo"], env=env, check=True, capture_output=True,  # noqa: S603
                       timeout=300)
        port = _free_port()
        log = stack.enter_context((instance / "gunicorn.log").open("wb"))
        process = subprocess.Popen(  # noqa: S603 (our own command, no shell)
            [GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--preload",
             "--no-control-socket", "hansyn.platform.wsgi:app"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        stack.callback(process.wait, 30)
        stack.callback(process.terminate)
        _wait_for(f"http://127.0.0.1:{port}/healthz", process, 120)
        app = make_test_app(instance, url)
        stack.callback(app.extensions["hansyn_databases"].dispose)
        yield Served(f"http://127.0.0.1:{port}", env, app)


def _supplier_vacancy(served: Served) -> tuple[int, int, int]:
    """The demo supplier's first open vacancy: (supplier, contract, vacancy)."""
    from hansyn.platform.models import Membership, Tenant, User
    from hansyn.tenants.contracts.models import Contract
    from hansyn.tenants.vacancies.models import Vacancy, VacancyStatus

    databases = served.app.extensions["hansyn_databases"]
    with databases.control_session() as control:
        supplier = control.scalar(
            select(Membership.supplier_id).join(User).join(Tenant)
            .where(User.email == "supplier@goteborg.example", Tenant.slug == "goteborg"))
    with databases.tenant_session("goteborg") as session:
        row = session.execute(
            select(Vacancy.contract_id, Vacancy.id).join(Contract)
            .where(Contract.supplier_id == supplier, Vacancy.status == VacancyStatus.OPEN)
            .order_by(Vacancy.id).limit(1)).one()
    return supplier, row[0], row[1]


def _both_workers(browser: Browser, path: str, rounds: int = 6) -> list[tuple[int, str]]:
    """Answers to pairs of simultaneous requests: with two sync workers, each pair is served
    by both of them."""
    answers = []
    with ThreadPoolExecutor(2) as pool:
        for _ in range(rounds):
            answers += list(pool.map(browser.get, [path, path]))
    return answers


def _server_log(served: Served) -> str:
    """What the server said, without the e-mail lines: the message of a failed status assert."""
    path = Path(served.env["HANSYN_INSTANCE_PATH"]) / "gunicorn.log"
    lines = path.read_text(errors="replace").splitlines()
    return "\n".join(line for line in lines if "HANSYN_SMTP_HOST" not in line)[-6000:]


def test_a_change_through_one_worker_is_ranked_by_every_worker_at_once(served):
    from hansyn.tenants.matches.pseudonyms import candidate_of

    supplier_id, contract_id, vacancy_id = _supplier_vacancy(served)
    supplier = Browser(served.base, "supplier@goteborg.example")
    coordinator = Browser(served.base, "coordinator@goteborg.example")
    path = f"/goteborg/vacancies/{contract_id}/{vacancy_id}/candidates.json"
    before = _both_workers(supplier, path)
    assert all(status == 200 for status, _ in before), _server_log(served)
    shown = [{c["pseudonym"] for c in json.loads(body)["candidates"]} for _, body in before]
    assert shown[0]
    assert all(names == shown[0] for names in shown)
    pseudonym = sorted(shown[0])[0]
    databases = served.app.extensions["hansyn_databases"]
    with databases.tenant_session("goteborg") as session:
        candidate = candidate_of(session, supplier_id, pseudonym)
    profile = f"/goteborg/candidates/{candidate}"
    token = coordinator.csrf(profile)
    assert coordinator.post(f"{profile}/consent", {"csrf_token": token, "given": "no"}) == 200
    after = _both_workers(supplier, path)  # the very next requests, on both workers
    for status, body in after:
        assert status == 200, _server_log(served)
        assert pseudonym not in {c["pseudonym"] for c in json.loads(body)["candidates"]}
    assert coordinator.post(f"{profile}/consent", {"csrf_token": token, "given": "yes"}) == 200
    back = _both_workers(supplier, path)
    assert all(pseudonym in {c["pseudonym"] for c in json.loads(b)["candidates"]} for _, b in back)


def test_readers_beside_editors_get_no_error_and_every_read_is_audited(served):
    from hansyn.tenants.audit.models import AuditEvent
    from hansyn.tenants.candidates.models import Candidate, CandidateStatus

    _, contract_id, vacancy_id = _supplier_vacancy(served)
    path = f"/goteborg/vacancies/{contract_id}/{vacancy_id}/candidates.json"
    purpose = f"supplier list json {vacancy_id}"
    databases = served.app.extensions["hansyn_databases"]
    with databases.tenant_session("goteborg") as session:
        audited_before = session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.purpose == purpose))
        editable = select(Candidate.id).where(
            Candidate.status == CandidateStatus.ACTIVE, Candidate.erased_at.is_(None)
        )
        edited = list(session.scalars(editable.order_by(Candidate.id).limit(4)))
    readers = [Browser(served.base, "supplier@goteborg.example") for _ in range(4)]
    editors = [Browser(served.base, "coordinator@goteborg.example") for _ in range(2)]
    errors: list[str] = []
    shown = [0]
    lock = threading.Lock()
    stop = time.monotonic() + 6

    def read(browser: Browser) -> None:
        while time.monotonic() < stop:
            status, body = browser.get(path)
            with lock:
                if status != 200:
                    errors.append(f"GET {status}")
                else:
                    shown[0] += len(json.loads(body)["candidates"])

    def edit(browser: Browser, candidate: int) -> None:
        profile = f"/goteborg/candidates/{candidate}"
        token = browser.csrf(profile)
        while time.monotonic() < stop:
            for status in ("paused", "active"):
                answer = browser.post(f"{profile}/status", {"csrf_token": token, "status": status})
                if answer != 200:
                    with lock:
                        errors.append(f"POST {answer}")

    threads = [threading.Thread(target=read, args=(b,)) for b in readers]
    threads += [threading.Thread(target=edit, args=(b, c)) for b, c in zip(editors, edited,
                                                                           strict=False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with databases.tenant_session("goteborg") as session:
        audited = session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.purpose == purpose))
    assert shown[0] > 0
    assert audited - audited_before == shown[0]

