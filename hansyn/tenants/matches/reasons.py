"""The fixed list of reasons a case is refused or withdrawn, and the words for every state.

The codes are rows of `case_reason` (seeded by the migration that created the table, so a
case's reason is a foreign key); the words are here, in Swedish with their English in
tools/translations/en/matches.json. A retired reason keeps its row and its words: old cases still
show it, new ones cannot choose it.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from hansyn.tenants.matches.models import (
    CaseOrigin,
    CaseRole,
    CaseState,
    ConsentChannel,
    InterviewOutcome,
    ReasonKind,
)

NO_ANSWER = "no_answer"
CONSENT_WITHDRAWN = "consent_withdrawn"
CANDIDATE_LEFT = "candidate_left"
RESTRICTED = "restricted"
NO_SHOW = "no_show"

#: (code, kind, system) in the order the forms offer them. A copy lives in the migration.
REASONS: tuple[tuple[str, ReasonKind, bool], ...] = (
    ("not_reachable", ReasonKind.REFUSED, False),
    (NO_SHOW, ReasonKind.REFUSED, False),
    ("hired_elsewhere", ReasonKind.REFUSED, False),
    ("started_education", ReasonKind.REFUSED, False),
    ("lacks_skill", ReasonKind.REFUSED, False),
    ("position_filled", ReasonKind.REFUSED, False),
    ("not_interested", ReasonKind.REFUSED, False),
    ("other", ReasonKind.REFUSED, False),
    (NO_ANSWER, ReasonKind.REFUSED, True),
    ("candidate_withdrew", ReasonKind.WITHDRAWN, False),
    ("municipality_withdrew", ReasonKind.WITHDRAWN, False),
    (CONSENT_WITHDRAWN, ReasonKind.WITHDRAWN, True),
    (CANDIDATE_LEFT, ReasonKind.WITHDRAWN, True),
    (RESTRICTED, ReasonKind.WITHDRAWN, True),
)

REASON_LABELS: dict[str, LazyString] = {
    "not_reachable": _l("Gick inte att nå"),
    NO_SHOW: _l("Kom inte till intervjun"),
    "hired_elsewhere": _l("Har fått arbete på annat håll"),
    "started_education": _l("Har börjat studera"),
    "lacks_skill": _l("Saknar en kompetens som krävs"),
    "position_filled": _l("Tjänsten är tillsatt"),
    "not_interested": _l("Inte intresserad"),
    "other": _l("Annat skäl"),
    NO_ANSWER: _l("Inget svar inom tidsfristen"),
    "candidate_withdrew": _l("Den arbetssökande drog sig ur"),
    "municipality_withdrew": _l("Kommunen drog tillbaka förslaget"),
    CONSENT_WITHDRAWN: _l("Den arbetssökande återkallade sitt samtycke"),
    CANDIDATE_LEFT: _l("Den arbetssökande är inte längre inskriven"),
    RESTRICTED: _l("Behandlingen av personens uppgifter är begränsad"),
}

STATE_LABELS: dict[CaseState, LazyString] = {
    CaseState.PROPOSED: _l("Föreslagen av kommunen"),
    CaseState.REQUESTED: _l("Förfrågan från leverantören"),
    CaseState.CONSENT_ASKED: _l("Samtycke efterfrågat"),
    CaseState.CONSENTED: _l("Samtycke givet"),
    CaseState.DECLINED: _l("Avböjt av den arbetssökande"),
    CaseState.INTERVIEW: _l("Intervju bokad"),
    CaseState.OFFERED: _l("Erbjuden anställning"),
    CaseState.HIRED: _l("Anställd"),
    CaseState.REFUSED: _l("Avslutad utan anställning"),
    CaseState.WITHDRAWN: _l("Tillbakadragen"),
    CaseState.OBSOLETE: _l("Inaktuell (anställd på annat håll)"),
}

#: What the button that moves a case into each state says.
ACTION_LABELS: dict[CaseState, LazyString] = {
    CaseState.PROPOSED: _l("Öppna igen"),
    CaseState.REQUESTED: _l("Be att få träffa"),
    CaseState.CONSENT_ASKED: _l("Fråga om samtycke"),
    CaseState.CONSENTED: _l("Registrera samtycke"),
    CaseState.DECLINED: _l("Registrera nej"),
    CaseState.INTERVIEW: _l("Boka intervju"),
    CaseState.OFFERED: _l("Erbjud anställning"),
    CaseState.HIRED: _l("Registrera anställning"),
    CaseState.REFUSED: _l("Avsluta utan anställning"),
    CaseState.WITHDRAWN: _l("Dra tillbaka"),
    CaseState.OBSOLETE: _l("Markera som inaktuell"),
}

ORIGIN_LABELS: dict[CaseOrigin, LazyString] = {
    CaseOrigin.COORDINATOR: _l("Kommunens förslag"),
    CaseOrigin.SUPPLIER: _l("Leverantörens förfrågan"),
}

CHANNEL_LABELS: dict[ConsentChannel, LazyString] = {
    ConsentChannel.IN_PERSON: _l("Vid besök"),
    ConsentChannel.PHONE: _l("Telefon"),
    ConsentChannel.EMAIL: _l("E-post"),
    ConsentChannel.LETTER: _l("Brev"),
    ConsentChannel.DIGITAL: _l("Digitalt formulär"),
}

OUTCOME_LABELS: dict[InterviewOutcome, LazyString] = {
    InterviewOutcome.ATTENDED: _l("Genomförd"),
    InterviewOutcome.NO_SHOW: _l("Uteblev"),
}

ROLE_LABELS: dict[CaseRole, LazyString] = {
    CaseRole.COORDINATOR: _l("handläggare"),
    CaseRole.ADMIN: _l("administratör"),
    CaseRole.SUPPLIER: _l("leverantör"),
    CaseRole.SYSTEM: _l("Hänsyn (automatiskt)"),
}


def reason_label(code: str | None) -> str:
    if code is None:
        return ""
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code


def state_label(state: CaseState) -> str:
    return str(STATE_LABELS[state])
