"""The tenant's catalogue of labour-market programmes and target groups (målgrupper).

Candidates belong to one; a contract's social clause names the ones it counts. Seeded with the
Swedish national programmes and editable by the tenant's admin.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hansyn.db import TenantBase

#: (code, name) of the programmes every new tenant starts with (the migration that creates the
#: table inserts its own copy of the original list; a later one takes the wage subsidies out, which
#: are facts of an employment recorded on its placement, not programmes).
DEFAULT_PROGRAMMES = (
    ("etablering", "Etableringsprogrammet"),
    ("jobbgaranti", "Jobb- och utvecklingsgarantin"),
    ("ungdomsgaranti", "Jobbgarantin för ungdomar"),
    ("jobbtorg", "Kommunal arbetsmarknadsinsats/Jobbtorg"),
    ("forsorjningsstod", "Försörjningsstöd"),
)


class Programme(TenantBase):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)

    def __repr__(self) -> str:
        return f"<Programme {self.code}>"
