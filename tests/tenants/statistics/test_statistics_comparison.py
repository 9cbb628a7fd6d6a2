"""The comparison reads published snapshots only; two demo municipalities publish a quarter
through the admin's form and are compared."""

from __future__ import annotations

import re

import pytest

from hansyn.db import Databases
from hansyn.tenants.statistics.demo import PUBLISHED_QUARTERS
from hansyn.tenants.statistics.periods import Period
from tests.fixtures.platform import HansynClient
from tests.tenants.statistics.test_statistics_charts import assert_every_chart_has_its_table

DIGEST = re.compile(r'name="digest"[^>]*value="([0-9a-f]{64})"')


def _demo_client(app, role: str, slug: str) -> HansynClient:
    app.test_client_class = HansynClient
    client: HansynClient = app.test_client()  # type: ignore[assignment]
    client.post_form("/login", {"email": f"{role}@{slug}.example",
                                "password": "hansyn-demo-2026"})
    return client


def test_two_demo_municipalities_publish_a_quarter_and_are_compared(fresh_app):
    app = fresh_app(DEMO_PASSWORD="hansyn-demo-2026")
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    from datetime import date

    # The demo published its last quarters; this one is older, still in its history.
    period = Period.last_complete(date.today()).trailing(PUBLISHED_QUARTERS + 1)[0]
    for slug in ("goteborg", "boras"):
        admin = _demo_client(app, "admin", slug)
        page = admin.get(f"/{slug}/statistics/publish?period={period.code}")
        digest = DIGEST.search(page.text).group(1)
        published = admin.post_form(f"/{slug}/statistics/publish",
                                    {"period": period.code, "digest": digest})
        assert published.status_code == 302
    analyst = _demo_client(app, "analyst", "goteborg")
    compare = analyst.get(f"/goteborg/statistics/compare?period={period.code}&by=municipality")
    assert compare.status_code == 200
    assert "Göteborgs stad" in compare.text
    assert "Borås stad" in compare.text
    assert "Halmstads kommun" not in compare.text  # published other quarters only
    assert "2 kommuner har publicerat detta kvartal" in compare.text
    assert_every_chart_has_its_table(compare.text)
    by_county = analyst.get(f"/goteborg/statistics/compare?period={period.code}&by=county")
    assert "Västra Götalands län" in by_county.text
    latest = analyst.get("/goteborg/statistics/compare?by=size")
    assert "7 kommuner har publicerat detta kvartal" in latest.text
    assert "100 000–199 999 invånare" in latest.text
    csv = analyst.get(f"/goteborg/statistics/compare.csv?period={period.code}"
                      "&by=municipality&measure=procurement_share")
    assert csv.status_code == 200
    assert "Borås stad" in csv.text


def test_the_comparison_never_opens_a_tenant_database(app, login, published, quarter,
                                                      monkeypatch):
    published("alfa", quarter, etablering=12, jobbtorg=2)
    published("beta", quarter, etablering=6)
    client = login(alfa=["analyst"])

    def refuse(self, slug):
        raise AssertionError(f"the comparison opened the database of {slug}")

    monkeypatch.setattr(Databases, "tenant_engine", refuse)
    for by in ("municipality", "county", "fa", "size"):
        for measure in ("registered", "enrolled", "procurement_share"):
            url = f"/alfa/statistics/compare?period={quarter.code}&by={by}&measure={measure}"
            response = client.get(url)
            assert response.status_code == 200, url
    page = client.get(f"/alfa/statistics/compare?period={quarter.code}&by=municipality")
    assert "Alfa kommun" in page.text
    assert "Beta kommun" in page.text
    assert client.get(f"/alfa/statistics/compare.csv?period={quarter.code}").status_code == 200


def test_a_withdrawn_version_leaves_the_comparison(app, login, published, quarter):
    snapshot_id = published("beta", quarter, etablering=11)
    beta_admin = login(beta=["admin"])
    withdrawn = beta_admin.post_form(f"/beta/statistics/published/{snapshot_id}/withdraw",
                                     {"reason": "Felaktig"})
    assert withdrawn.status_code == 302, withdrawn.text
    client = login(alfa=["analyst"])
    page = client.get(f"/alfa/statistics/compare?period={quarter.code}&by=municipality")
    assert "Beta kommun" not in page.text
    assert f"Ingen kommun har publicerat {quarter.label()}" in page.text


@pytest.mark.parametrize("role", ["coordinator", ("supplier", 1)])
def test_only_analysts_and_admins_compare(login, role):
    client = login(alfa=[role])
    assert client.get("/alfa/statistics/compare").status_code == 403


def test_a_group_sums_only_what_its_municipalities_show(app, login, published, quarter):
    published("alfa", quarter, etablering=12)
    published("beta", quarter, jobbtorg=2)  # its total, 2, is hidden
    client = login(alfa=["analyst"])
    csv = client.get(f"/alfa/statistics/compare.csv?period={quarter.code}&by=size").text
    [row] = [line for line in csv.splitlines() if "folkmängd okänd" in line]
    assert row.split(";")[1:] == ['"12"', '""', '""', '"1"', '"2"']
    page = client.get(f"/alfa/statistics/compare?period={quarter.code}&by=municipality").text
    beta_row = page[page.index('<th scope="row">Beta kommun'):].split("</tr>")[0]
    assert ".." in beta_row
