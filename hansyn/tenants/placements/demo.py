"""Demo placements: people hired through the workflow on the demo contracts, some still working,
some ended (one early after enough of the agreed time, one by the employer), one on parental
leave, a part-time pair — so that the follow-up shows a clause on track, one at risk, one met
and one not met — and the quarterly reports of the Hisingen cleaning contract.

Each hire walks its case through the workflow (proposed, consent, interview, offer) and is
recorded on the day it happened (`record_hire(today=…)`). Idempotent: an employee is a demo
candidate looked up by reference, and one that already has a placement is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.audit.operations import DEMO_ACTOR
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.candidates.parsing import RawCandidate, parse_candidate
from hansyn.tenants.contracts.followup import EndReason
from hansyn.tenants.contracts.models import ClauseType, Contract, ServiceCategory
from hansyn.tenants.contracts.operations import ClauseData, ContractData, save_contract
from hansyn.tenants.matches.models import Case, CaseOrigin, CaseRole, CaseState, ConsentChannel
from hansyn.tenants.matches.workflow import open_case, transition
from hansyn.tenants.placements import operations as ops
from hansyn.tenants.placements import reporting
from hansyn.tenants.placements.models import EmploymentForm, Placement, WageSubsidy
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.suppliers.models import Supplier
from hansyn.tenants.vacancies.models import Extent, Vacancy, VacancyStatus
from hansyn.tenants.vacancies.operations import VacancyData, create_vacancy

COORDINATOR, SUPPLIER = CaseRole.COORDINATOR, CaseRole.SUPPLIER


@dataclass(frozen=True)
class DemoHire:
    reference: str  # the employee's candidate reference
    name: str
    programme: str
    start: date
    planned_end: date | None
    form: EmploymentForm
    percent: int | None = None
    hours: int | None = None
    subsidy: WageSubsidy = WageSubsidy.NONE
    ended: tuple[date, EndReason] | None = None
    leave: tuple[date, date] | None = None


@dataclass(frozen=True)
class DemoVacancy:
    contract: str  # diarienummer
    title: str
    occupation: str
    skills: list[str]
    locality: str
    hires: tuple[DemoHire, ...]
    positions: int = 0  # 0: as many as hires
    hours: int = 40
    duration_months: int | None = 12
    extent: Extent = Extent.FULL_TIME
    start: date | None = None  # None: the first hire's start
    languages: list[str] = field(default_factory=list)


#: A contract that ran its course in 2024–2026 and whose clause was met (Göteborg).
MET_CONTRACT = ContractData(
    "SK-2023-0530",
    "Lokalvård förskolor Norra Hisingen",
    ServiceCategory.CLEANING,
    None,
    date(2024, 1, 1),
    date(2026, 6, 30),
    ClauseData(
        ClauseType.REQUIREMENT,
        persons=2,
        months_per_person=12,
        description="Två anställningar om tolv månader vardera ur målgrupperna.",
    ),
)

F, V, T, S = (
    EmploymentForm.PERMANENT,
    EmploymentForm.GENERAL_FIXED_TERM,
    EmploymentForm.SUBSTITUTE,
    EmploymentForm.SEASONAL,
)

DEMO_VACANCIES: dict[str, tuple[DemoVacancy, ...]] = {
    "goteborg": (
        # Met: two years' employment delivered by February 2025; one ended early after ten of
        # twelve months when the employee moved on to another employer, which counts in full.
        DemoVacancy(
            "SK-2023-0530",
            "Lokalvårdare förskolor, 2024",
            "Städare/Lokalvårdare",
            ["Städning"],
            "Göteborg",
            (
                DemoHire(
                    "AME-GBG-3001",
                    "Amal Yusuf",
                    "etablering",
                    date(2024, 3, 1),
                    date(2025, 2, 28),
                    V,
                    percent=100,
                    ended=(date(2025, 2, 28), EndReason.EXPIRED),
                ),
                DemoHire(
                    "AME-GBG-3002",
                    "Jonas Lindgren",
                    "jobbtorg",
                    date(2024, 5, 1),
                    date(2025, 4, 30),
                    V,
                    percent=100,
                    ended=(date(2025, 2, 28), EndReason.OTHER_EMPLOYER),
                ),
            ),
        ),
        # On track: the Hisingen schools' clause (36 months) with hires from spring 2026.
        DemoVacancy(
            "SK-2025-0412",
            "Lokalvårdare grundskolor Hisingen, 2026",
            "Städare/Lokalvårdare",
            ["Städning", "Lokalvård"],
            "Hisings Backa",
            (
                DemoHire(
                    "AME-GBG-3003",
                    "Fatima Rahimi",
                    "forsorjningsstod",
                    date(2026, 3, 2),
                    date(2027, 3, 1),
                    V,
                    percent=100,
                    subsidy=WageSubsidy.NYSTARTSJOBB,
                ),
                DemoHire(
                    "AME-GBG-3004",
                    "Peter Nilsson",
                    "jobbtorg",
                    date(2026, 4, 1),
                    date(2027, 3, 31),
                    V,
                    hours=40,
                    ended=(date(2026, 11, 30), EndReason.EMPLOYER_OTHER),
                ),
                DemoHire(
                    "AME-GBG-3005",
                    "Hodan Abdi",
                    "etablering",
                    date(2026, 6, 1),
                    None,
                    F,
                    percent=100,
                    leave=(date(2026, 9, 1), date(2026, 11, 30)),
                ),
                DemoHire(
                    "AME-GBG-3006",
                    "Mirza Hodžić",
                    "etablering",
                    date(2026, 8, 3),
                    date(2027, 8, 2),
                    V,
                    percent=50,
                    subsidy=WageSubsidy.LONEBIDRAG_UTVECKLING,
                ),
            ),
            positions=5,
        ),
        # Not met: the meal deliveries' bonus clause had nobody hired by its deadline.
        DemoVacancy(
            "SK-2025-0977",
            "Matbud äldreboenden, hösten 2026",
            "Köksbiträde",
            ["Livsmedelshygien"],
            "Göteborg",
            (
                DemoHire(
                    "AME-GBG-3007",
                    "Sofia Berglund",
                    "etablering",
                    date(2026, 10, 1),
                    date(2027, 9, 30),
                    V,
                    percent=75,
                ),
            ),
            hours=30,
            extent=Extent.PART_TIME,
        ),
    ),
    "boras": (
        # At risk: one seasonal park worker at 75 % against two years of full time.
        DemoVacancy(
            "KS 2025/318",
            "Parkarbetare sommarsäsong 2026",
            "Parkarbetare",
            ["Trädgårdsskötsel"],
            "Borås",
            (
                DemoHire(
                    "AME-BOS-3001",
                    "Sanna Karlsson",
                    "jobbgaranti",
                    date(2026, 5, 4),
                    date(2026, 9, 30),
                    S,
                    percent=75,
                    ended=(date(2026, 9, 30), EndReason.EXPIRED),
                ),
                DemoHire(
                    "AME-BOS-3002",
                    "Omar Haddad",
                    "ungdomsgaranti",
                    date(2026, 6, 1),
                    date(2027, 5, 31),
                    T,
                    percent=100,
                ),
            ),
            duration_months=5,
        ),
    ),
}


# ---------------------------------------------------------------- loading


def _contract(session: Session, slug: str, reference: str, supplier_id: int) -> Contract | None:
    found = session.scalar(select(Contract).where(Contract.reference == reference))
    if found is not None or reference != MET_CONTRACT.reference or slug != "goteborg":
        return found
    groups = session.scalars(
        select(Programme.id).where(Programme.code.in_(("etablering", "jobbtorg")))
    )
    clause = ClauseData(**{**MET_CONTRACT.clause.__dict__, "target_group_ids": tuple(groups)})
    data = ContractData(**{**MET_CONTRACT.__dict__, "supplier_id": supplier_id, "clause": clause})
    return save_contract(session, data, DEMO_ACTOR)


def _vacancy(session: Session, contract: Contract, demo: DemoVacancy) -> Vacancy:
    found = session.scalar(
        select(Vacancy).where(Vacancy.contract_id == contract.id, Vacancy.title == demo.title)
    )
    if found is not None:
        return found
    data = VacancyData(
        title=demo.title,
        occupation=demo.occupation,
        required_skills=demo.skills,
        desired_skills=[],
        required_languages=demo.languages,
        driving_licence=None,
        locality=demo.locality,
        positions=demo.positions or len(demo.hires),
        start_date=demo.start or demo.hires[0].start,
        duration_months=demo.duration_months,
        extent=demo.extent,
        hours_per_week=demo.hours,
    )
    # posted shortly before its first hire, so its start was not yet in the past then
    return create_vacancy(session, contract, data, DEMO_ACTOR, today=data.start_date)


def _employee(session: Session, hire: DemoHire) -> Candidate:
    found = session.scalar(select(Candidate).where(Candidate.reference == hire.reference))
    if found is not None:
        return found
    raw = RawCandidate(
        reference=hire.reference,
        name=hire.name,
        programme=hire.programme,
        skills=["Städning"],
        languages=["svenska B1"],
        place="Göteborg",
        working_time="heltid" if (hire.percent or 100) == 100 else "deltid",
        phone="070-000 00 00",
        email=f"{hire.reference.lower()}@demo.example",
    )
    candidate = candidate_ops.create_candidate(session, parse_candidate(session, raw), DEMO_ACTOR)
    candidate_ops.record_consent(session, candidate, True, DEMO_ACTOR)
    return candidate


def _offered_case(session: Session, vacancy: Vacancy, candidate: Candidate, start: date) -> Case:
    """A case walked as the people would have: proposed, consent, interview, offer."""
    asked = start - timedelta(days=30)
    case = open_case(
        session, vacancy, candidate.id, DEMO_ACTOR, CaseOrigin.COORDINATOR, role=COORDINATOR
    )
    # Replayed history: the case was opened before the candidate answered (its log rows keep
    # the day the demo was loaded, as a log should).
    case.created_at = datetime.combine(asked - timedelta(days=7), time(9), tzinfo=UTC)
    transition(session, case, CaseState.CONSENT_ASKED, DEMO_ACTOR, role=COORDINATOR)
    transition(
        session,
        case,
        CaseState.CONSENTED,
        DEMO_ACTOR,
        role=COORDINATOR,
        consent_on=asked,
        consent_channel=ConsentChannel.IN_PERSON,
    )
    transition(
        session,
        case,
        CaseState.INTERVIEW,
        DEMO_ACTOR,
        role=SUPPLIER,
        interview_on=asked + timedelta(days=7),
    )
    transition(session, case, CaseState.OFFERED, DEMO_ACTOR, role=SUPPLIER)
    return case


def _hire(session: Session, vacancy: Vacancy, hire: DemoHire) -> None:
    candidate = _employee(session, hire)
    if session.scalar(select(Placement.id).where(Placement.candidate_id == candidate.id)):
        return
    case = _offered_case(session, vacancy, candidate, hire.start)
    group = session.scalar(select(Programme.id).where(Programme.code == hire.programme))
    terms = ops.PlacementTerms(
        start_date=hire.start,
        planned_end=hire.planned_end,
        employment_form=hire.form,
        hours_per_week=hire.hours,
        extent_percent=hire.percent,
        programme_id=group,
        wage_subsidy=hire.subsidy,
    )
    recorded = hire.start - timedelta(days=14)
    placement = ops.record_hire(session, case, terms, DEMO_ACTOR, today=recorded, role=SUPPLIER)
    if hire.leave is not None:
        ops.add_suspension(session, placement, *hire.leave, DEMO_ACTOR)
    if hire.ended is not None:
        ops.end_placement(session, placement, *hire.ended, DEMO_ACTOR)


def _reports(session: Session, contract: Contract, today: date) -> None:
    """Hisingen's 2026 reports: Q2 approved, Q3 handed in and waiting for the municipality."""
    steps = (
        (reporting.Quarter(2026, 2), "Tre anställda under kvartalet.", True),
        (reporting.Quarter(2026, 3), "En anställd föräldraledig från september.", False),
    )
    for quarter, comment, approve in steps:
        if quarter.last >= today or reporting.get_report(session, contract, quarter):
            continue
        report = reporting.submit(session, contract, quarter, comment, DEMO_ACTOR, today)
        if approve:
            reporting.approve(session, report, "Godkänd. Tack!", DEMO_ACTOR)


#: An offered case waiting for its hire to be recorded: (vacancy title, employee).
WAITING = {
    "goteborg": (
        "Lokalvårdare kvällstid, deltid",
        DemoHire("AME-GBG-3008", "Ali Hassan", "jobbtorg", date(2027, 2, 1), None, F, hours=30),
    ),
}


def _waiting_offer(session: Session, slug: str, today: date) -> None:
    """One case offered and not yet hired, so the hire form can be tried."""
    if slug not in WAITING:
        return
    title, hire = WAITING[slug]
    vacancy = session.scalar(select(Vacancy).where(Vacancy.title == title))
    if vacancy is None or session.scalar(
        select(Candidate.id).where(Candidate.reference == hire.reference)
    ):
        return
    _offered_case(session, vacancy, _employee(session, hire), min(hire.start, today))


def load_placements_demo(session: Session, slug: str, supplier_id: int) -> None:
    """The demo hires of `slug` on its demo contracts; a missing contract is skipped."""
    today = date.today()
    for demo in DEMO_VACANCIES.get(slug, ()):
        contract = _contract(session, slug, demo.contract, supplier_id)
        if contract is None or session.get(Supplier, contract.supplier_id) is None:
            continue
        vacancy = _vacancy(session, contract, demo)
        for hire in demo.hires:
            if hire.start - timedelta(days=14) <= today:
                _hire(session, vacancy, hire)
        if contract.end_date < today:  # the supplier closed it when the contract ended
            vacancy.status = VacancyStatus.CLOSED
    _waiting_offer(session, slug, today)
    hisingen = session.scalar(select(Contract).where(Contract.reference == "SK-2025-0412"))
    if slug == "goteborg" and hisingen is not None:
        _reports(session, hisingen, today)
