"""Demo cases: the demo job seekers on the demo vacancies, one or more in every state of the
workflow, walked there through the same transitions people make (so the logs read as real ones).

Göteborg holds every state: a fresh request and a proposal, a consent being asked, an identity
released, a "no", an interview, an offer waiting for its hire form, a hire (full time, so the
same person's other open case becomes obsolete), a refusal after an interview, one refused by
the answer deadline, and a withdrawal. Idempotent: a (candidate, vacancy) pair that already has a
case is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.audit.operations import DEMO_ACTOR
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.matches.models import (
    Case,
    CaseOrigin,
    CaseRole,
    CaseState,
    ConsentChannel,
)
from hansyn.tenants.matches.workflow import open_case, transition
from hansyn.tenants.placements import operations as placements
from hansyn.tenants.placements.models import EmploymentForm
from hansyn.tenants.vacancies.models import Vacancy

C, S, Y = CaseRole.COORDINATOR, CaseRole.SUPPLIER, CaseRole.SYSTEM
St = CaseState

#: A step: (target, role, fields, message to the candidate, note to the unit).
Step = tuple[CaseState, CaseRole, dict[str, Any], str | None, str | None]


def _consent(channel: ConsentChannel) -> dict[str, Any]:
    return {"consent_on": date.today() - timedelta(days=3), "consent_channel": channel}


def _interview(days: int) -> dict[str, Any]:
    return {"interview_on": date.today() + timedelta(days=days)}


ASK: Step = (St.CONSENT_ASKED, C, {}, None, "Ringer henne på måndag.")
YES: Step = (St.CONSENTED, C, _consent(ConsentChannel.PHONE), None, "Samtycke per telefon.")
INTERVIEW: Step = (St.INTERVIEW, S, _interview(5), "Välkommen på intervju kl. 10 på kontoret.",
                   None)
OFFER: Step = (St.OFFERED, S, {}, "Vi vill gärna erbjuda dig tjänsten.", None)


@dataclass(frozen=True)
class DemoCase:
    reference: str  # the candidate
    vacancy: str  # the vacancy's title
    origin: CaseOrigin
    steps: tuple[Step, ...] = ()
    hire: bool = False  # finally hired (full time) through the placements domain
    first_message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


HISINGEN = "Lokalvårdare till grundskolor på Hisingen"
EVENINGS = "Lokalvårdare kvällstid, deltid"
MEALS = "Köksbiträde och matbud till äldreboenden"
PARKS = "Parkarbetare, säsong som förlängs till helår"
PROPERTY = "Fastighetsskötare till förskolor"
SUPPLIER, COORDINATOR = CaseOrigin.SUPPLIER, CaseOrigin.COORDINATOR

DEMO_CASES: dict[str, tuple[DemoCase, ...]] = {
    "goteborg": (
        DemoCase("AME-GBG-1006", EVENINGS, SUPPLIER),  # requested
        DemoCase("AME-GBG-1002", MEALS, COORDINATOR,
                 first_message="Det här jobbet passar din erfarenhet från lager och kök."),
        DemoCase("AME-GBG-1007", HISINGEN, SUPPLIER, (ASK,)),
        DemoCase("AME-GBG-1006", HISINGEN, COORDINATOR, (ASK, YES)),
        DemoCase("AME-GBG-1002", HISINGEN, SUPPLIER, (
            ASK,
            (St.DECLINED, C, _consent(ConsentChannel.IN_PERSON), None,
             "Vill hellre arbeta dagtid närmare Partille."),
        )),
        DemoCase("AME-GBG-1003", MEALS, SUPPLIER, (ASK, YES, INTERVIEW)),
        DemoCase("AME-GBG-1003", EVENINGS, COORDINATOR, (ASK, YES, INTERVIEW, OFFER)),
        # Amina has an interview for the evening work too; her full-time hire on Hisingen makes
        # that case obsolete (its supplier is not told where she was hired).
        DemoCase("AME-GBG-1001", EVENINGS, SUPPLIER, (ASK, YES, INTERVIEW)),
        DemoCase("AME-GBG-1001", HISINGEN, COORDINATOR, (ASK, YES, INTERVIEW, OFFER), hire=True),
        DemoCase("AME-GBG-1007", MEALS, SUPPLIER, (
            ASK, YES, INTERVIEW,
            (St.REFUSED, S, {"reason": "lacks_skill"}, "Tack för intervjun. Vi söker någon "
             "med erfarenhet av livsmedelshygien den här gången.", None),
        )),
        DemoCase("AME-GBG-1003", HISINGEN, SUPPLIER, (
            (St.REFUSED, Y, {"reason": "no_answer"}, None, None),
        )),
        DemoCase("AME-GBG-1007", EVENINGS, COORDINATOR, (
            ASK,
            (St.WITHDRAWN, C, {"reason": "candidate_withdrew"}, None,
             "Har fått en praktikplats via Arbetsförmedlingen."),
        )),
    ),
    "boras": (
        DemoCase("AME-BOS-2001", PARKS, SUPPLIER),
        DemoCase("AME-BOS-2002", PARKS, COORDINATOR),
        DemoCase("AME-BOS-2002", PROPERTY, SUPPLIER, (ASK, YES, INTERVIEW)),
    ),
}


def load_cases_demo(session: Session, slug: str) -> list[Case]:
    """The demo cases of `slug` (those whose candidate and vacancy exist); the new ones."""
    made = []
    for demo in DEMO_CASES.get(slug, ()):
        candidate = session.scalar(select(Candidate).where(Candidate.reference == demo.reference))
        vacancy = session.scalar(select(Vacancy).where(Vacancy.title == demo.vacancy))
        if candidate is None or vacancy is None:
            continue
        exists = session.scalar(
            select(Case.id).where(Case.vacancy_id == vacancy.id, Case.candidate_id == candidate.id)
        )
        if exists is None:
            made.append(_walk(session, vacancy, candidate, demo))
    return made


def _walk(session: Session, vacancy: Vacancy, candidate: Candidate, demo: DemoCase) -> Case:
    role = C if demo.origin is COORDINATOR else S
    case = open_case(
        session, vacancy, candidate.id, DEMO_ACTOR, demo.origin, role=role,
        message=demo.first_message,
    )
    case.created_at -= timedelta(days=7)  # opened a week ago: the answers came since
    for target, step_role, fields, message, note in demo.steps:
        transition(
            session, case, target, DEMO_ACTOR, role=step_role, message=message, note=note,
            **fields,
        )
    if demo.hire:
        _hire(session, case)
    return case


def _hire(session: Session, case: Case) -> None:
    """Hired through the placements domain's `record_hire`, as the hire form does."""
    start = date.today() + timedelta(days=14)
    terms = placements.PlacementTerms(
        start_date=start,
        planned_end=start + timedelta(days=365),
        employment_form=EmploymentForm.GENERAL_FIXED_TERM,
        extent_percent=100,
    )
    record_hire = getattr(placements, "record_hire", None)  # until the hire reaches main
    if record_hire is not None:
        record_hire(session, case, terms, DEMO_ACTOR, role=S)
