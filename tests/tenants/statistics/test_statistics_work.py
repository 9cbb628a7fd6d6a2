"""Figures about cases and placements: the funnel, reasons, placements started, months delivered
against required, clause statuses and the estimate in total — inside the municipality, and what
of them is published."""

from __future__ import annotations

import csv
import io
from datetime import date

from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.matches.models import CaseState
from hansyn.tenants.placements.labels import EMPLOYMENT_FORM_LABELS
from hansyn.tenants.placements.models import EmploymentForm
from hansyn.tenants.statistics.periods import Period
from tests.fixtures.statistics import publish_quarter, snapshot_values

FIXED_TERM_LABEL = str(EMPLOYMENT_FORM_LABELS[EmploymentForm.GENERAL_FIXED_TERM])


def _csv(client, figure: str, period: Period) -> list[list[str]]:
    response = client.get(f"/alfa/statistics/figures/{figure}.csv?period={period.code}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))


def _row(rows: list[list[str]], label: str) -> list[str]:
    return next(row for row in rows if row[0] == label)


def test_the_funnel_counts_how_far_cases_got_and_why_they_ended(app, login, create_case):
    create_case("alfa", CaseState.OFFERED)
    create_case("alfa", CaseState.REFUSED)
    now = Period.containing(date.today())
    client = login(alfa=["analyst"])
    funnel = _csv(client, "funnel", now)
    counts = [int(row[1]) for row in funnel[1:]]
    assert counts[0] >= 2  # opened
    assert _row(funnel, "Erbjuden anställning")[1] != "0"
    assert counts == sorted(counts, reverse=True)  # every step is reached after the one before
    reasons = _csv(client, "reasons", now)
    assert int(_row(reasons, "Annat skäl")[1]) >= 1
    days = _csv(client, "step_days", now)
    assert _row(days, "Samtycke givet")[1] != ""
    states = _csv(client, "case_states", now)
    assert int(_row(states, "Erbjuden anställning")[1]) >= 1


def test_months_delivered_are_set_against_the_requirement(app, login, create_placement):
    hire = create_placement("alfa")  # full time from 1 February 2026, twelve months
    create_placement("alfa", contract_id=hire.contract_id, extent_percent=50)
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        title = session.get(Contract, hire.contract_id).title
    client = login(alfa=["analyst"])
    quarter = Period(2026, 1)
    months = _csv(client, "months", quarter)
    delivered, required = _row(months, title)[1:]
    assert float(delivered) == 3.0  # two months full time, two at half time
    assert required == "36"
    forms = _csv(client, "placements_form", quarter)
    assert int(_row(forms, FIXED_TERM_LABEL)[1]) >= 2
    clauses = _csv(client, "clauses", quarter)
    assert sum(int(r[1]) for r in clauses[1:]) >= 1
    total = _csv(client, "estimate_total", quarter)
    assert int(_row(total, "Offentlig sektor totalt")[1]) > 0


def test_a_published_quarter_carries_cases_and_placements_but_no_one(app, login,
                                                                     create_placement):
    create_placement("beta")
    create_placement("beta")
    snapshot_id = publish_quarter(app, "beta", Period(2026, 1))
    values = snapshot_values(app, snapshot_id)
    assert values["placements/*"] is None or values["placements/*"] >= 2
    assert "ongoing/ongoing" in values
    assert "cases/hired" in values
    assert "clauses/*" in values
    for key, value in values.items():
        assert value is None or isinstance(value, int), key
    client = login(beta=["analyst"])
    page = client.get(f"/beta/statistics/published/{snapshot_id}")
    assert page.status_code == 200
    assert "Anställningsform" in page.text
