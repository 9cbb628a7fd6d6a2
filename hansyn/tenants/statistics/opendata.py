"""Open data: every snapshot in force, as CSV and JSON at stable URLs that need no login.

Registered by the app factory outside `/<tenant>` (see `tenants/blueprints.py`). It reads the
control plane's published snapshots only; hidden values are empty (CSV) or null (JSON).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from hansyn.platform.request_db import control_db
from hansyn.platform.statistics import operations as snapshots
from hansyn.platform.statistics.models import StatisticsSnapshot
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.statistics.regions import region_of

bp = Blueprint("opendata", __name__, url_prefix="/open-data")
CSV_COLUMNS = ("kommunkod", "kommun", "lan_kod", "fa_kod", "period", "version", "publicerad",
               "k", "folkmangd", "folkmangd_ar", "tabell", "cell", "varde")
MAX_AGE = 300


def _periods() -> list[str]:
    chosen = request.args.get("period")
    available = snapshots.published_periods(control_db())
    if not chosen:
        return available
    try:
        Period.parse(chosen)
    except Exception:
        abort(404)
    return [chosen] if chosen in available else []


def _snapshots() -> list[StatisticsSnapshot]:
    session = control_db()
    return [s for period in _periods() for s in snapshots.current_snapshots(session, period)]


def _record(snapshot: StatisticsSnapshot) -> dict[str, Any]:
    region = region_of(snapshot.kommunkod)
    return {
        "kommunkod": snapshot.kommunkod,
        "municipality": snapshot.municipality,
        "county_code": region.county_code if region else None,
        "fa_code": region.fa_code if region else None,
        "period": snapshot.period,
        "version": snapshot.version,
        "published_at": snapshot.published_at.isoformat(),
        "min_count": snapshot.min_count,
        "population": snapshot.population,
        "population_year": snapshot.population_year,
        "layout": snapshot.layout,
        "tables": snapshot.figures.get("tables", []),
        "measures": snapshot.figures.get("measures"),
        "procurement_target_percent": snapshot.figures.get("procurement_target_percent"),
    }


def _public(response: Response) -> Response:
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/")
def index() -> str:
    return render_template("opendata/index.html", periods=snapshots.published_periods(
        control_db()))


@bp.route("/statistics.json")
def statistics_json() -> Response:
    body = {
        "description": "Published quarterly statistics of Hänsyn municipalities; counts from 1 "
                       "to min_count-1, and cells that would reveal them, are null.",
        "snapshots": [_record(s) for s in _snapshots()],
    }
    text = json.dumps(body, ensure_ascii=False, indent=1)
    return _public(Response(text, mimetype="application/json"))


@bp.route("/statistics.csv")
def statistics_csv() -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for snapshot in _snapshots():
        record = _record(snapshot)
        fixed = [record["kommunkod"], record["municipality"], record["county_code"],
                 record["fa_code"], record["period"], record["version"],
                 record["published_at"], record["min_count"], record["population"] or "",
                 record["population_year"] or ""]
        for table in record["tables"]:
            for cell, value in table["values"].items():
                writer.writerow([*fixed, table["name"], cell, "" if value is None else value])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'inline; filename="hansyn-statistik.csv"'
    return _public(response)
