"""Open data: the published figures as CSV and JSON at stable URLs, without login."""

from __future__ import annotations

import csv
import io
import json


def test_published_figures_are_open_data_without_login(app, client, published, quarter):
    published("alfa", quarter, etablering=9, jobbtorg=3, forsorjningsstod=6)
    index = client.get("/open-data/")
    assert index.status_code == 200
    assert "/open-data/statistics.csv" in index.text
    body = client.get(f"/open-data/statistics.json?period={quarter.code}")
    assert body.status_code == 200
    assert body.headers["Cache-Control"].startswith("public")
    [snapshot] = json.loads(body.text)["snapshots"]
    assert snapshot["kommunkod"] == "9901"
    assert snapshot["period"] == quarter.code
    registered = next(t for t in snapshot["tables"] if t["name"] == "registered")
    assert registered["values"]["etablering"] == 9
    assert registered["values"]["jobbtorg"] is None
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/open-data/statistics.csv?period={quarter.code}").text)))
    cell = next(r for r in rows if r["tabell"] == "registered" and r["cell"] == "jobbtorg")
    assert cell["varde"] == ""
    assert next(r for r in rows if r["cell"] == "etablering")["varde"] == "9"


def test_all_quarters_come_together_and_withdrawn_versions_do_not(app, client, login,
                                                                   published, quarter):
    snapshot_id = published("beta", quarter, etablering=8)
    everything = json.loads(client.get("/open-data/statistics.json").text)["snapshots"]
    assert any(s["period"] == quarter.code and s["kommunkod"] == "9902" for s in everything)
    login(beta=["admin"]).post_form(f"/beta/statistics/published/{snapshot_id}/withdraw",
                                    {"reason": "Dubblett"})
    after = json.loads(client.get("/open-data/statistics.json").text)["snapshots"]
    assert not any(s["period"] == quarter.code and s["kommunkod"] == "9902" for s in after)


def test_a_malformed_or_unknown_period_is_empty_or_not_found(client):
    assert client.get("/open-data/statistics.json?period=x").status_code == 404
    empty = json.loads(client.get("/open-data/statistics.json?period=2000Q1").text)
    assert empty["snapshots"] == []
