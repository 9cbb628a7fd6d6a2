"""Publishing a quarter through the admin's form: what leaves the municipality, versions,
withdrawal, and a snapshot that cannot be changed afterwards."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select, update

from hansyn.platform.statistics.models import StatisticsSnapshot
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.statistics.models import PublishedFigures
from hansyn.tenants.statistics.periods import Period
from tests.fixtures.statistics import register_in, snapshot_values

DIGEST = re.compile(r'name="digest"[^>]*value="([0-9a-f]{64})"')


def _snapshots(app, period: Period) -> list[StatisticsSnapshot]:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.control_session() as control:
        query = select(StatisticsSnapshot).where(StatisticsSnapshot.period == period.code)
        return list(control.scalars(query.order_by(StatisticsSnapshot.version)))


def _publish_through_the_form(client, period: Period):
    page = client.get(f"/alfa/statistics/publish?period={period.code}")
    assert page.status_code == 200
    digest = DIGEST.search(page.text)
    assert digest, page.text
    return page, client.post_form("/alfa/statistics/publish",
                                  {"period": period.code, "digest": digest.group(1)})


def test_the_admin_sees_what_leaves_then_publishes_it(app, login, quarter):
    register_in(app, "alfa", quarter, {"etablering": 9, "jobbtorg": 3, "forsorjningsstod": 6})
    client = login(alfa=["admin"])
    page, response = _publish_through_the_form(client, quarter)
    assert "Etableringsprogrammet" in page.text
    assert ".." in page.text  # the 3 is hidden in the preview already
    assert response.status_code == 302
    [snapshot] = _snapshots(app, quarter)
    assert snapshot.version == 1
    assert snapshot.min_count == 5
    values = snapshot_values(app, snapshot.id)
    assert values["registered/etablering"] == 9
    assert values["registered/jobbtorg"] is None
    assert values["registered/forsorjningsstod"] is None  # the smallest protects the 3
    assert values["registered/*"] == 18
    assert values["registered/ungdomsgaranti"] == 0
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        kept = session.scalar(select(PublishedFigures).where(PublishedFigures.snapshot_id
                                                             == snapshot.id))
        assert kept.truth["registered/jobbtorg"] == 3  # the true value stays inside
        audit = session.scalar(select(AuditEvent).where(
            AuditEvent.subject_type == "statistics_snapshot", AuditEvent.subject_id
            == snapshot.id))
        assert audit.action == "publish"


def test_nothing_about_a_person_leaves(app, login, quarter):
    register_in(app, "alfa", quarter, {"etablering": 7})
    client = login(alfa=["admin"])
    _publish_through_the_form(client, quarter)
    [snapshot] = _snapshots(app, quarter)
    tables = snapshot.figures["tables"]
    assert {t["name"] for t in tables} == {"registered", "enrolled", "procurements", "cases",
                                           "reasons", "placements", "ongoing", "clauses"}
    for table in tables:
        assert all(v is None or isinstance(v, int) for v in table["values"].values())
    measures = snapshot.figures["measures"]
    assert set(measures) == {"months_delivered", "estimate_kronor", "median_days"}
    assert measures["months_delivered"] is None  # fewer than k placements in that quarter


def test_figures_that_changed_since_the_preview_are_not_published(app, login, quarter):
    register_in(app, "alfa", quarter, {"etablering": 9})
    client = login(alfa=["admin"])
    page = client.get(f"/alfa/statistics/publish?period={quarter.code}")
    digest = DIGEST.search(page.text).group(1)
    register_in(app, "alfa", quarter, {"etablering": 1})
    response = client.post_form("/alfa/statistics/publish",
                                {"period": quarter.code, "digest": digest},
                                follow_redirects=True)
    assert "Siffrorna har ändrats sedan du granskade dem" in response.text
    assert _snapshots(app, quarter) == []


def test_a_quarter_that_has_not_ended_cannot_be_published(login):
    client = login(alfa=["admin"])
    current = Period.containing(date.today())
    page = client.get(f"/alfa/statistics/publish?period={current.code}")
    assert "Kvartalet är inte slut ännu" in page.text
    assert 'name="digest"' not in page.text


def test_publishing_again_writes_the_next_version_and_keeps_hidden_what_was(app, login,
                                                                           quarter):
    register_in(app, "alfa", quarter, {"etablering": 9, "jobbtorg": 3, "forsorjningsstod": 6})
    client = login(alfa=["admin"])
    _publish_through_the_form(client, quarter)
    register_in(app, "alfa", quarter, {"jobbtorg": 5})  # a late registration
    _publish_through_the_form(client, quarter)
    first, second = _snapshots(app, quarter)
    assert (first.version, second.version) == (1, 2)
    values = snapshot_values(app, second.id)
    assert values["registered/jobbtorg"] is None  # 8 now, but hidden before: stays hidden
    assert second.published_by_email
    assert second.published_at


def test_a_withdrawn_version_needs_a_reason_and_is_recorded(app, login, quarter):
    register_in(app, "alfa", quarter, {"etablering": 9})
    client = login(alfa=["admin"])
    _publish_through_the_form(client, quarter)
    [snapshot] = _snapshots(app, quarter)
    url = f"/alfa/statistics/published/{snapshot.id}/withdraw"
    refused = client.post_form(url, {"reason": "  "}, follow_redirects=True)
    assert "Ange varför versionen dras tillbaka" in refused.text
    assert not _snapshots(app, quarter)[0].withdrawn
    client.post_form(url, {"reason": "Fel i registreringen"})
    [withdrawn] = _snapshots(app, quarter)
    assert withdrawn.withdrawn
    assert withdrawn.withdrawal_reason == "Fel i registreringen"
    listing = client.get("/alfa/statistics/published").text
    assert "Fel i registreringen" in listing


def test_an_analyst_sees_versions_but_cannot_publish_or_withdraw(app, login, published,
                                                                quarter):
    snapshot_id = published("alfa", quarter, etablering=8)
    client = login(alfa=["analyst"])
    assert client.get("/alfa/statistics/published").status_code == 200
    assert client.get(f"/alfa/statistics/published/{snapshot_id}").status_code == 200
    assert client.get("/alfa/statistics/publish").status_code == 403
    withdraw = client.post_form(f"/alfa/statistics/published/{snapshot_id}/withdraw",
                                {"reason": "x"})
    assert withdraw.status_code == 403


def test_a_published_snapshot_cannot_be_changed_or_deleted(app, published, quarter):
    snapshot_id = published("alfa", quarter, etablering=8)
    databases = app.extensions["hansyn_databases"]
    with app.app_context():
        with pytest.raises(PermissionError), databases.control_session(write=True) as control:
            control.get(StatisticsSnapshot, snapshot_id).figures = {"tables": []}
        with pytest.raises(PermissionError), databases.control_session(write=True) as control:
            control.delete(control.get(StatisticsSnapshot, snapshot_id))
        with pytest.raises(PermissionError), databases.control_session(write=True) as control:
            control.execute(update(StatisticsSnapshot).values(min_count=3))
    assert snapshot_values(app, snapshot_id)["registered/etablering"] == 8


def test_the_threshold_is_configurable_but_never_below_three(app, login, quarter):
    client = login(alfa=["admin"])
    refused = client.post_form("/alfa/statistics/settings",
                               {"min_count": "2", "procurement_target_percent": "50"})
    assert "Gränsen ska vara ett heltal från 3 till 50" in refused.text
    saved = client.post_form("/alfa/statistics/settings",
                             {"min_count": "3", "procurement_target_percent": "50",
                              "population": "12000", "population_year": "2024"})
    assert saved.status_code == 302
    try:
        register_in(app, "alfa", quarter, {"etablering": 9, "jobbtorg": 4, "ungdomsgaranti": 3})
        _publish_through_the_form(client, quarter)
        [snapshot] = _snapshots(app, quarter)
        assert snapshot.min_count == 3
        assert snapshot.population == 12000
        assert snapshot_values(app, snapshot.id)["registered/jobbtorg"] == 4
    finally:
        client.post_form("/alfa/statistics/settings",
                         {"min_count": "5", "procurement_target_percent": "50"})

