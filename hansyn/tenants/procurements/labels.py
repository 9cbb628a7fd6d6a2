"""What people read for the procurement register's fixed lists (Swedish msgids)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from hansyn.tenants.procurements.models import ValueBand

VALUE_BAND_LABELS: dict[ValueBand, LazyString] = {
    ValueBand.UNDER_1M: _l("under 1 Mkr"),
    ValueBand.FROM_1M_TO_5M: _l("1–5 Mkr"),
    ValueBand.FROM_5M_TO_20M: _l("5–20 Mkr"),
    ValueBand.FROM_20M_TO_100M: _l("20–100 Mkr"),
    ValueBand.OVER_100M: _l("över 100 Mkr"),
}


def value_band_label(band: ValueBand) -> str:
    return str(VALUE_BAND_LABELS[band])
