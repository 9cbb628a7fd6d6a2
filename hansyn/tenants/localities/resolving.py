"""The place a person meant: the autocomplete's choice, else what the typed text names.

Candidates (form and import) and vacancies both resolve places here, so both accept and refuse the
same texts with the same messages.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from hansyn.errors import InvalidInput
from hansyn.tenants.candidates.validation import refuse_personnummer
from hansyn.tenants.localities.gazetteer import Gazetteer, Place


def resolve_place(text: str, place_id: str = "", field: str = "place") -> Place | None:
    """The place chosen in the autocomplete (id), else the one the free text means.

    None for no text; ``InvalidInput`` on ``field`` naming the closest places for text that names
    no place. A personnummer typed into the field is refused before it could be echoed back.
    """
    text = (text or "").strip()
    gazetteer = Gazetteer.default()
    chosen = gazetteer.get(place_id) if place_id else None
    if chosen is not None and (not text or text == chosen.display_name):
        return chosen
    if not text:
        return None
    refuse_personnummer(text, field)
    place = gazetteer.resolve(text)
    if place is None:
        raise InvalidInput(_unknown_place_message(text, gazetteer), field)
    return place


def _unknown_place_message(text: str, gazetteer: Gazetteer) -> LazyString:
    nearby = [place.display_name for place in gazetteer.search(text, limit=3)]
    if nearby:
        return _l(
            "Okänd ort: ”%(text)s”. Menade du %(places)s?", text=text, places=" / ".join(nearby)
        )
    return _l(
        "Okänd ort: ”%(text)s”. Skriv namnet på en ort, en stadsdel, en kommun eller ett "
        "postnummer.",
        text=text,
    )
