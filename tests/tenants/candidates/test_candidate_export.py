"""The CSV export read by a spreadsheet whose list separator is not the semicolon."""

from __future__ import annotations

import csv
import io

from hansyn.tenants.candidates.exporting import write_csv


def test_a_comma_inside_a_cell_cannot_start_a_formula_in_a_comma_separated_excel():
    text = write_csv([["namn", "anteckningar"], ["Anna,=SUM(1+2)*cmd|A0", "x"]])
    for line in text.lstrip("\ufeff").splitlines():
        # What an Excel with "," as its list separator makes of the line: only quoted commas.
        cells = next(csv.reader([line], delimiter=","))
        assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for cell in cells), cells
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == ["Anna,=SUM(1+2)*cmd|A0", "x"]
