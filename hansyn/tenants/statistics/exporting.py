"""CSV downloads of figures: semicolon-separated with a BOM, as Swedish Excel opens them.

Text that a spreadsheet could read as a formula is neutralised as in the candidate export
(programme names are typed by people); numbers stay numbers, negative ones included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

from hansyn.tenants.candidates.exporting import neutralise


def _cell(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return neutralise(value)
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def csv_download(rows: Iterable[Iterable[object]], filename: str) -> Response:
    response = Response(csv_text(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
