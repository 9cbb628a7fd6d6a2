"""The municipality's statistics and the published comparison in the JSON API: the same figures
as the statistics pages, for analysts and admins only."""

from __future__ import annotations

import csv
import io

from tests.fixtures.api import ApiClient
from tests.fixtures.platform import TENANTS
from tests.fixtures.statistics import register_in


def test_an_analyst_reads_the_same_figures_as_the_statistics_page(app, api_client, login,
                                                                  quarter):
    register_in(app, "alfa", quarter, {"jobbtorg": 6, "etablering": 2})
    analyst: ApiClient = api_client("alfa", "analyst")
    one = analyst.get("/statistics/figures/registered", query_string={"period": quarter.code})
    assert one.status_code == 200, one.json
    page = login(alfa=["analyst"]).get(
        f"/alfa/statistics/figures/registered.csv?period={quarter.code}")
    rows = list(csv.reader(io.StringIO(page.text.lstrip("\ufeff")), delimiter=";"))
    from_page = {row[0]: int(row[1]) for row in rows[1:]}
    [series] = one.json["series"]
    from_api = dict(zip(one.json["categories"], series["values"], strict=True))
    assert from_api == from_page
    assert sum(from_api.values()) == 8
    every = analyst.get("/statistics/figures", query_string={"period": quarter.code})
    assert every.status_code == 200
    keys = [f["key"] for f in every.json["figures"]]
    assert {"registered", "funnel", "months", "clauses", "estimate_total"} <= set(keys)
    assert every.json["period"] == quarter.code


def test_statistics_are_for_analysts_and_admins_only(api_client, create_supplier_row):
    assert api_client("alfa", "admin").get("/statistics/figures/funnel").status_code == 200
    supplier_id = create_supplier_row("alfa").id
    for role, supplier in (("coordinator", None), ("supplier", supplier_id)):
        refused = api_client("alfa", role, supplier_id=supplier).get("/statistics/figures")
        assert refused.status_code == 403, role
        assert refused.json["error"]["code"] == "forbidden"
    assert api_client("alfa", "analyst").get("/statistics/figures/nope").status_code == 404


def test_a_bad_period_is_422_in_swedish_and_english(api_client):
    analyst: ApiClient = api_client("alfa", "analyst")
    swedish = analyst.get("/statistics/figures", query_string={"period": "1999"})
    assert swedish.status_code == 422
    assert swedish.json["error"]["fields"]["period"][0].startswith("Ange perioden")
    english = analyst.get("/statistics/figures", query_string={"period": "2026Q5"},
                          headers={"Accept-Language": "en"})
    assert english.status_code == 422
    assert english.json["error"]["fields"]["period"][0].startswith("Enter the period")


def test_an_analyst_of_any_municipality_compares_the_published_quarters(api_client, published,
                                                                       quarter):
    published("alfa", quarter, jobbtorg=7)
    analyst: ApiClient = api_client("beta", "analyst")
    response = analyst.get("/statistics/comparison", query_string={
        "period": quarter.code, "measure": "registered", "by": "municipality"})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["period"] == quarter.code
    assert quarter.code in body["periods"]
    alfa_name, alfa_kod = TENANTS["alfa"]
    [row] = [r for r in body["rows"] if r["key"] == alfa_kod]
    assert (row["label"], row["count"]) == (alfa_name, 7)
    wrong = analyst.get("/statistics/comparison", query_string={"measure": "salaries"})
    assert wrong.status_code == 422
    assert "measure" in wrong.json["error"]["fields"]
