"""`hansyn demo` publishes quarters with a history of cases, placements and clauses behind them:
an analyst of another municipality sees Göteborg's hires, placements and clauses met as numbers,
on the comparison page and in the open data, while a small municipality's are hidden; the
history is written once."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

from sqlalchemy import func, select

from hansyn.platform.statistics.models import StatisticsSnapshot
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.matches.models import Case, CaseEvent
from hansyn.tenants.placements.models import Placement
from hansyn.tenants.procurements.models import Procurement
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.vacancies.models import Vacancy
from tests.fixtures.platform import HansynClient
from tests.tenants.statistics.test_statistics_charts import assert_every_chart_has_its_table

COUNTED = (Contract, Procurement, Vacancy, Case, CaseEvent, Placement)
SLUGS = ("goteborg", "boras", "halmstad", "hylte")
MEASURES = ("hired", "placements", "clauses_met")


def _login(app, email: str) -> HansynClient:
    app.test_client_class = HansynClient
    client: HansynClient = app.test_client()  # type: ignore[assignment]
    response = client.post_form("/login", {"email": email, "password": "hansyn-demo-2026"})
    assert response.status_code == 302
    return client


def _rows(app) -> dict[str, int]:
    databases = app.extensions["hansyn_databases"]
    found = {}
    with app.app_context():
        for slug in SLUGS:
            with databases.tenant_session(slug) as session:
                for model in COUNTED:
                    found[f"{slug} {model.__name__}"] = session.scalar(
                        select(func.count()).select_from(model))
        with databases.control_session() as control:
            found["snapshots"] = control.scalar(select(func.count(StatisticsSnapshot.id)))
    return found


def _compared(analyst: HansynClient, period: Period, measure: str) -> int:
    """Göteborg's count on the comparison page (the table and its CSV agree)."""
    query = f"period={period.code}&by=municipality&measure={measure}"
    text = analyst.get(f"/boras/statistics/compare.csv?{query}").text.lstrip("\ufeff")
    [row] = [r for r in csv.reader(io.StringIO(text), delimiter=";") if r[0] == "Göteborgs stad"]
    page = analyst.get(f"/boras/statistics/compare?{query}").text.split('class="comparison"')[1]
    line = re.search(r'<th scope="row">Göteborgs stad</th>(.*?)</tr>', page, re.S)
    assert line is not None, measure
    cells = re.findall(r'<td class="num">([^<]*)</td>', line.group(1))
    assert cells[0] == row[1], measure
    return int(row[1])


def _open_data(client: HansynClient, period: Period) -> dict[str, dict[str, dict]]:
    body = json.loads(client.get(f"/open-data/statistics.json?period={period.code}").text)
    return {s["municipality"]: {t["name"]: t["values"] for t in s["tables"]}
            for s in body["snapshots"]}


def test_another_municipality_sees_goteborgs_hires_and_clauses_met(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    first = _rows(app)
    assert first["goteborg Placement"] > 60
    assert first["goteborg Contract"] > 30
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert _rows(app) == first

    period = Period.last_complete(date.today())
    analyst = _login(app, "analyst@boras.example")
    k = 5
    shown = {measure: _compared(analyst, period, measure) for measure in MEASURES}
    assert min(shown.values()) >= k, shown

    published = _open_data(analyst, period)
    goteborg = published["Göteborgs stad"]
    assert goteborg["cases"]["hired"] == shown["hired"]
    assert goteborg["placements"]["*"] == shown["placements"]
    assert goteborg["clauses"]["met"] == shown["clauses_met"]
    assert all(isinstance(goteborg["clauses"][status], int) and goteborg["clauses"][status] >= k
               for status in ("on_track", "at_risk", "met", "not_met"))
    assert isinstance(goteborg["reasons"]["*"], int)
    small = published["Hylte kommun"]["clauses"]
    assert None in small.values()
    assert all(value is None or value == 0 or value >= k for value in small.values())

    own = _login(app, "analyst@goteborg.example").get(f"/goteborg/statistics/?period={period.code}")
    assert own.status_code == 200
    assert_every_chart_has_its_table(own.text)
