"""Quarters and years: the periods figures describe. Boundaries are Swedish calendar days, so a
candidate registered at 00:30 on 1 April (Swedish time) counts in the second quarter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from hansyn.errors import InvalidInput

SWEDEN = ZoneInfo("Europe/Stockholm")
PATTERN = re.compile(r"^(?P<year>\d{4})(?:Q(?P<quarter>[1-4]))?$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Period:
    """A quarter (`quarter` 1–4) or a whole year (`quarter` None)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """"2026Q3" or "2026"; InvalidInput for anything else."""
        match = PATTERN.match((text or "").strip().upper())
        year = int(match["year"]) if match else 0
        if match is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidInput(_("Ange perioden som ÅÅÅÅ eller ÅÅÅÅQ1–Q4, till exempel 2026Q3."),
                               "period")
        return cls(year, int(match["quarter"]) if match["quarter"] else None)

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_complete(cls, today: date) -> Period:
        """The quarter before the one `today` falls in."""
        return cls.containing(today).previous()

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.quarter or 1) - 2, 1)

    @property
    def end_day(self) -> date:
        """The first day after the period."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.quarter + 1, 1)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    def start_utc(self) -> datetime:
        return _utc(self.first_day)

    def end_utc(self) -> datetime:
        return _utc(self.end_day)

    def previous(self) -> Period:
        if self.quarter is None:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def quarters(self) -> list[Period]:
        """The quarters this period covers."""
        if self.quarter is not None:
            return [self]
        return [Period(self.year, q) for q in range(1, 5)]

    def trailing(self, count: int) -> list[Period]:
        """The `count` periods of this kind ending with this one, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]

    def label(self) -> str:
        if self.quarter is None:
            return str(self.year)
        return _("kvartal %(quarter)d %(year)d", quarter=self.quarter, year=self.year)

    def __str__(self) -> str:
        return self.code


def _utc(day: date) -> datetime:
    """Midnight of `day` in Sweden, as a UTC time (how times are stored)."""
    return datetime(day.year, day.month, day.day, tzinfo=SWEDEN).astimezone(UTC)
