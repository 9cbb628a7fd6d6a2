"""What people read for the fixed lists of the contract domain (Swedish msgids)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from hansyn.tenants.contracts.models import ClauseType, ServiceCategory

CATEGORY_LABELS: dict[ServiceCategory, LazyString] = {
    ServiceCategory.CLEANING: _l("Städ/lokalvård"),
    ServiceCategory.CONSTRUCTION: _l("Bygg"),
    ServiceCategory.MEALS: _l("Måltid/kost"),
    ServiceCategory.GROUNDS: _l("Grönyta/park"),
    ServiceCategory.TRANSPORT: _l("Transport"),
    ServiceCategory.PROPERTY: _l("Fastighetsskötsel"),
    ServiceCategory.CARE: _l("Omsorg"),
    ServiceCategory.OTHER: _l("Övrigt"),
}

CLAUSE_TYPE_LABELS: dict[ClauseType, LazyString] = {
    ClauseType.DIALOGUE: _l("Dialogkrav"),
    ClauseType.REQUIREMENT: _l("Sysselsättningskrav med antal"),
    ClauseType.BONUS: _l("Bonus vid uppfyllt åtagande"),
}


def category_label(category: ServiceCategory) -> str:
    return str(CATEGORY_LABELS[category])


def clause_type_label(clause_type: ClauseType) -> str:
    return str(CLAUSE_TYPE_LABELS[clause_type])
