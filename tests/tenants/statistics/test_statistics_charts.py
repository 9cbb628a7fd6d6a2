"""Every chart is valid SVG without script, labelled for screen readers, with its table and
CSV — on the municipality's page and on the comparison."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from hansyn.tenants.statistics.charts import Chart, Series
from hansyn.tenants.statistics.report import CHARTS
from tests.fixtures.statistics import register_in

SVG = re.compile(r"<svg .*?</svg>", re.S)
NS = "{http://www.w3.org/2000/svg}"


def assert_accessible_svg(svg_text: str) -> ET.Element:
    root = ET.fromstring(svg_text)  # noqa: S314 (our own output)
    assert root.tag == f"{NS}svg"
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag not in {"script", "style", "foreignObject"}, tag
        assert not any(name.lower().startswith("on") for name in element.attrib)
        assert "style" not in element.attrib
        href = element.get("href") or element.get("{http://www.w3.org/1999/xlink}href") or ""
        assert not href.lower().startswith("javascript:")
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None
    assert title.get("id") == title_id
    assert title.text
    assert desc is not None
    assert desc.get("id") == desc_id
    assert desc.text
    return root


def assert_every_chart_has_its_table(html: str) -> int:
    figures = re.findall(r'<figure class="chart".*?</figure>', html, re.S)
    assert figures
    for figure in figures:
        [svg] = SVG.findall(figure)
        root = assert_accessible_svg(svg)
        table_rows = re.findall(r'<tr><th scope="row">', figure)
        labels = [t for t in root.iter(f"{NS}text") if t.text]
        assert table_rows, "a chart without its table"
        assert len(labels) >= len(table_rows)
        assert "CSV" in figure
    return len(figures)


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_chart_renders_as_svg_without_script(horizontal):
    chart = Chart("t", "Titel <b>", "Beskrivning & mer", "Grupp", ["A & B", "<script>", "C"],
                  [Series("Antal", [3, None, 12])], horizontal=horizontal)
    root = assert_accessible_svg(str(chart.svg))
    texts = "".join(t.text or "" for t in root.iter())
    assert "<script>" in texts  # as text, escaped in the markup
    assert "<script>" not in str(chart.svg)


def test_every_chart_of_the_municipalitys_page_is_accessible(app, login, quarter,
                                                             create_placement):
    create_placement("alfa")  # a supplier with a contract: every chart has a category
    register_in(app, "alfa", quarter, {"etablering": 9, "jobbtorg": 3})
    client = login(alfa=["analyst"])
    page = client.get(f"/alfa/statistics/?period={quarter.code}")
    assert page.status_code == 200
    assert assert_every_chart_has_its_table(page.text) == len(CHARTS)
    assert "Etableringsprogrammet" in page.text


@pytest.mark.parametrize("figure", sorted(CHARTS))
def test_each_figure_downloads_as_csv(app, login, quarter, figure, create_placement):
    create_placement("alfa")
    register_in(app, "alfa", quarter, {"etablering": 9})
    client = login(alfa=["analyst"])
    response = client.get(f"/alfa/statistics/figures/{figure}.csv?period={quarter.code}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.text.lstrip("\ufeff").splitlines()
    assert len(lines) >= 2
    if figure == "registered":
        assert '"Etableringsprogrammet";"9"' in response.text


def test_an_unknown_figure_or_period_is_not_found(login):
    client = login(alfa=["analyst"])
    assert client.get("/alfa/statistics/figures/nope.csv").status_code == 404
    assert client.get("/alfa/statistics/?period=2026Q9").status_code == 404


def test_a_year_sums_its_quarters(app, login):
    from tests.fixtures.statistics import unused_quarter

    first = unused_quarter()
    register_in(app, "alfa", first, {"ungdomsgaranti": 4})
    client = login(alfa=["analyst"])
    year = client.get(f"/alfa/statistics/figures/registered.csv?period={first.year}")
    assert '"Jobbgarantin för ungdomar";"4"' in year.text
