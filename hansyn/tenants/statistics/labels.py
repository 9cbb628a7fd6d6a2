"""What people read for the published categories (Swedish msgids)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from hansyn.tenants.contracts.labels import CATEGORY_LABELS
from hansyn.tenants.contracts.models import ServiceCategory

#: The target groups published for comparison: the national programmes every tenant starts with;
#: a municipality's own programmes (and the wage subsidies that used to be programmes) count as
#: "other".
GROUP_LABELS: dict[str, LazyString] = {
    "etablering": _l("Etableringsprogrammet"),
    "jobbgaranti": _l("Jobb- och utvecklingsgarantin"),
    "ungdomsgaranti": _l("Jobbgarantin för ungdomar"),
    "jobbtorg": _l("Kommunal arbetsmarknadsinsats/Jobbtorg"),
    "forsorjningsstod": _l("Försörjningsstöd"),
    "other": _l("Annan målgrupp"),
}
GROUPS = tuple(GROUP_LABELS)
CATEGORIES = tuple(category.value for category in ServiceCategory)
REQUIREMENT_LABELS: dict[str, LazyString] = {
    "with": _l("Med sysselsättningskrav"),
    "without": _l("Utan sysselsättningskrav"),
}
TOTAL_LABEL = _l("Totalt")


def group_label(code: str) -> str:
    return str(GROUP_LABELS.get(code, GROUP_LABELS["other"]))


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS[ServiceCategory(code)]) if code in CATEGORIES else code


def public_group(programme_code: str) -> str:
    return programme_code if programme_code in GROUP_LABELS else "other"

STEP_LABELS: dict[str, LazyString] = {
    "opened": _l("Öppnade (förslag eller förfrågan)"),
    "consent_asked": _l("Samtycke efterfrågat"),
    "consented": _l("Samtycke givet"),
    "interview": _l("Intervju bokad"),
    "offered": _l("Erbjuden anställning"),
    "hired": _l("Anställd"),
}


def step_label(code: str) -> str:
    return str(STEP_LABELS.get(code, code))


def cell_label(table: str, key: str) -> str:
    """What a published cell is called: its category in the page's language, or Total."""
    from hansyn.tenants.contracts.followup import ClauseStatus
    from hansyn.tenants.matches.reasons import reason_label
    from hansyn.tenants.placements.labels import EMPLOYMENT_FORM_LABELS, STATUS_LABELS
    from hansyn.tenants.placements.models import EmploymentForm

    if key == "*":
        return str(TOTAL_LABEL)
    name = key.split("/")[-1]
    if table in ("registered", "enrolled"):
        return group_label(name)
    if table == "cases":
        return step_label(name)
    if table == "reasons":
        return reason_label(name)
    if table == "clauses":
        return str(STATUS_LABELS[ClauseStatus(name)])
    if table == "placements" and key.startswith("form/"):
        return str(EMPLOYMENT_FORM_LABELS[EmploymentForm(name)])
    return category_label(name)
