"""The users of `benchmarks/load.py` (run by locust there, not by hand).

The plan (which ids to use, the accounts and password) comes from the JSON file named by
HANSYN_LOAD_PLAN. HANSYN_LOAD_SCENARIO picks the mix:

- `match`: every user is a supplier reading the ranked candidates of its vacancies (HTML);
- `mixed`: suppliers (match lists as HTML and JSON, their dashboard and vacancy list),
  coordinators (candidate search and list, dashboard, status and consent changes: form posts
  that change the ranking) and admins (register search, read log, dashboard).

Each user paces itself to HANSYN_LOAD_RATE requests per second (locust's constant_throughput),
so 50 users at 6/s offer 300 requests/s and latency is measured at that load, not at whatever
a closed loop of 50 users without pause would queue up.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import FastHttpUser, constant_throughput, task

PLAN = json.loads(open(os.environ["HANSYN_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
SCENARIO = os.environ.get("HANSYN_LOAD_SCENARIO", "mixed")
RATE = float(os.environ.get("HANSYN_LOAD_RATE", "6"))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SEARCH_WORDS = ["an", "son", "lind", "berg", "ali", "ström", "ma", "er"]
SKILL_WORDS = ["städ", "lager", "truck", "kassa", "kök", "svets", "bygg", "vård"]


class HansynUser(FastHttpUser):
    abstract = True
    wait_time = constant_throughput(RATE)
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name="login")
        token = CSRF.search(page.text or "")
        assert token is not None, "no CSRF token on the login page"
        form = {"csrf_token": token[1], "email": self.email, "password": PLAN["password"]}
        with self.client.post("/login", data=form, name="login", catch_response=True,
                              allow_redirects=False) as answer:
            if answer.status_code != 302:
                answer.failure(f"login answered {answer.status_code}")
        self.tenant = f"/{PLAN['tenant']}"

    def csrf_from(self, path: str, name: str) -> str | None:
        page = self.client.get(path, name=name)
        token = CSRF.search(page.text or "")
        return token[1] if token else None


def _vacancy_path() -> str:
    contract_id, vacancy_id = random.choice(PLAN["vacancies"])
    return f"/vacancies/{contract_id}/{vacancy_id}/candidates"


class MatchListReader(HansynUser):
    """The goal's page: a supplier's ranked, pseudonymised candidates for one vacancy (HTML)."""

    weight = 1 if SCENARIO == "match" else 0
    email = PLAN["accounts"]["supplier"]

    @task
    def match_list(self) -> None:
        self.client.get(self.tenant + _vacancy_path(), name="match list (HTML)")


class Supplier(HansynUser):
    weight = 0 if SCENARIO == "match" else 12
    email = PLAN["accounts"]["supplier"]

    @task(8)
    def match_list(self) -> None:
        self.client.get(self.tenant + _vacancy_path(), name="match list (HTML)")

    @task(2)
    def match_json(self) -> None:
        self.client.get(self.tenant + _vacancy_path() + ".json", name="match list (JSON)")

    @task(1)
    def dashboard(self) -> None:
        self.client.get(self.tenant + "/", name="supplier dashboard")

    @task(1)
    def vacancy_list(self) -> None:
        self.client.get(self.tenant + "/vacancies/", name="supplier vacancy list")


class Coordinator(HansynUser):
    weight = 0 if SCENARIO == "match" else 5
    email = PLAN["accounts"]["coordinator"]

    @task(4)
    def search(self) -> None:
        query = random.choice(SEARCH_WORDS)
        self.client.get(f"{self.tenant}/candidates/?q={query}", name="candidate search (name)")

    @task(2)
    def search_skill(self) -> None:
        skill = random.choice(SKILL_WORDS)
        self.client.get(f"{self.tenant}/candidates/?kompetens={skill}&status=active",
                        name="candidate search (skill, state)")

    @task(2)
    def candidate_list(self) -> None:
        self.client.get(f"{self.tenant}/candidates/", name="candidate list")

    @task(1)
    def dashboard(self) -> None:
        self.client.get(self.tenant + "/", name="coordinator dashboard")

    @task(2)
    def change_status(self) -> None:
        """Pause a candidate and make it active again: two form posts that change the ranking."""
        candidate = random.choice(PLAN["candidates"])
        profile = f"{self.tenant}/candidates/{candidate}"
        token = self.csrf_from(profile, "candidate profile")
        if token is None:
            return
        for status in ("paused", "active"):
            self.client.post(f"{profile}/status", data={"csrf_token": token, "status": status},
                             name="candidate status (POST)", allow_redirects=False)

    @task(1)
    def change_consent(self) -> None:
        candidate = random.choice(PLAN["candidates"])
        profile = f"{self.tenant}/candidates/{candidate}"
        token = self.csrf_from(profile, "candidate profile")
        if token is None:
            return
        for given in ("no", "yes"):
            self.client.post(f"{profile}/consent", data={"csrf_token": token, "given": given},
                             name="candidate consent (POST)", allow_redirects=False)


class Admin(HansynUser):
    weight = 0 if SCENARIO == "match" else 3
    email = PLAN["accounts"]["admin"]

    @task(3)
    def register_search(self) -> None:
        query = random.choice(SEARCH_WORDS)
        self.client.get(f"{self.tenant}/candidates/register?q={query}", name="register search")

    @task(1)
    def read_log(self) -> None:
        candidate = random.choice(PLAN["candidates"])
        self.client.get(f"{self.tenant}/candidates/{candidate}/log", name="read log")

    @task(2)
    def dashboard(self) -> None:
        self.client.get(self.tenant + "/", name="admin dashboard")

    @task(1)
    def vacancies(self) -> None:
        self.client.get(self.tenant + "/vacancies/", name="all vacancies")
