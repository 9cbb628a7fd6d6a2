"""Charts drawn on the server as SVG by pygal, made fit for a strict Content-Security-Policy and
for screen readers.

pygal writes a `<script>` (its tooltip configuration) and a `<style>` into every chart; both are
taken out — no script runs, and the chart's colours come from the site's own style sheet through
pygal's classes. The SVG gets `role="img"` with its title and a text description, and every chart
is shown beside a table of the same figures (see `templates/tenants/statistics/_chart.html`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pygal
from markupsafe import Markup
from pygal.etree import etree

# pygal appends an import hook for its map plugins (pygal.maps.*), which Hänsyn does not use.
# The hook has no find_spec, so every later import that reaches it warns (ImportWarning) — an
# error under the test suite's `filterwarnings = error`. Take it out again.
sys.meta_path[:] = [hook for hook in sys.meta_path
                    if type(hook).__name__ != "PluginImportFixer"]

HIDDEN = ".."
WIDTH = 720
REMOVED_TAGS = frozenset({"script", "style"})


def whole(value: float | None) -> str:
    """1 234 567 (a narrow no-break space between thousands, as Swedish writes them)."""
    return HIDDEN if value is None else f"{round(value):,}".replace(",", "\u202f")


def one_decimal(value: float | None) -> str:
    return HIDDEN if value is None else f"{value:,.1f}".replace(",", "\u202f")


def percent(value: float | None) -> str:
    return HIDDEN if value is None else f"{value:.0f}\u00a0%"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    """A chart and the table beside it: the same categories and series."""

    key: str
    title: str
    description: str
    category_heading: str
    categories: Sequence[str]
    series: Sequence[Series]
    formatter: Callable[[float | None], str] = whole
    horizontal: bool = False
    line: bool = False
    csv_url: str | None = None
    notes: Sequence[str] = field(default_factory=tuple)

    def format(self, value: float | None) -> str:
        return self.formatter(value)

    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            (category, [self.format(s.values[i]) for s in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def has_data(self) -> bool:
        return any(v for s in self.series for v in s.values)

    @functools.cached_property
    def svg(self) -> Markup:
        """Drawn once per chart object (a kept comparison page draws nothing again)."""
        return render(self)


def render(chart: Chart) -> Markup:
    """The chart as inline SVG without script or style, labelled by its title and description."""
    drawing = _drawing(chart)
    for name, values in ((s.name, list(s.values)) for s in chart.series):
        drawing.add(name, values)
    tree = drawing.render_tree()
    _clean(tree)
    _label(tree, chart)
    return Markup(etree.tostring(tree, encoding="unicode"))  # noqa: S704 (built by pygal's etree: text is escaped)


#: Longer category names are shortened in the drawing (the table beside it has them in full).
LABEL_LENGTH = 24


def _drawing(chart: Chart) -> Any:
    kind = pygal.Line if chart.line else pygal.HorizontalBar if chart.horizontal else pygal.Bar
    count = max(len(chart.categories), 1)
    height = 80 + 26 * count if chart.horizontal else 360
    longest = max((len(c) for c in chart.categories), default=0)
    drawing = kind(
        js=[], css=[], disable_xml_declaration=True, no_prefix=True, width=WIDTH,
        height=height, show_legend=len(chart.series) > 1, legend_at_bottom=True,
        value_formatter=chart.formatter, truncate_label=LABEL_LENGTH, truncate_legend=-1,
        x_label_rotation=0 if chart.horizontal or count * longest <= 60 else 30,
        show_y_guides=not chart.horizontal, show_x_guides=chart.horizontal,
        include_x_axis=True, margin=12, spacing=8, no_data_text="",
        range=_range(chart),
    )
    drawing.title = chart.title
    drawing.x_labels = list(chart.categories)
    return drawing


def _range(chart: Chart) -> tuple[float, float] | None:
    """Whole-number counts below 5 get the axis 0–5, so that its steps are whole numbers."""
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.formatter is whole and max(values, default=0) < 5 and min(values, default=0) >= 0:
        return (0, 5)
    return None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _clean(tree: Any) -> None:
    """Take out scripts, styles, the tooltip overlay (it carries a style attribute) and comments."""
    for parent in list(tree.iter()):
        for child in list(parent):
            tag = _local(child.tag) if isinstance(child.tag, str) else ""
            classes = str(child.get("class") or "").split()
            if tag in REMOVED_TAGS or "tooltip-overlay" in classes or not tag:
                parent.remove(child)
        if "style" in parent.attrib:
            del parent.attrib["style"]


def _label(tree: Any, chart: Chart) -> None:
    title_id, desc_id = f"{chart.key}-title", f"{chart.key}-desc"
    tree.set("id", f"{chart.key}-svg")
    tree.set("role", "img")
    tree.set("aria-labelledby", f"{title_id} {desc_id}")
    title = next((c for c in tree if _local(c.tag) == "title"), None)
    if title is None:
        title = etree.SubElement(tree, "title")
    title.text = chart.title
    title.set("id", title_id)
    desc = etree.Element("desc")
    desc.set("id", desc_id)
    desc.text = chart.description
    tree.remove(title)
    tree.insert(0, title)
    tree.insert(1, desc)
