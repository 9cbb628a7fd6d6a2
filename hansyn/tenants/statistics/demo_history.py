"""The statistics demo's history of contracts, cases and placements: what two years of the
Göteborg model leave behind in a municipality, so that its published quarters show cases by
state, the funnel, refusal reasons, placements, full-time months and clauses met, at risk, not
met and on track.

Like the registrations of `hansyn.tenants.statistics.demo`, the history is anonymous: its
people are the registrations' erased candidates (no personal data), each case falls inside its
candidate's registration, and the whole history is written once (an audit row marks it).
Contracts, suppliers, vacancies, the procurement register and the ends and leave of placements
go through their domains' operations, which accept past dates. Cases and placements are written
as rows, each move checked against the workflow's transition table and the reason list, and
every row against the tables' CHECK constraints: `workflow.transition` and `record_hire` stamp a
move with the present moment (the figures count a case in the quarter its moves happened),
tell the coordinators and the supplier about it (a two-year-old move would reach their
dashboards and mailboxes today), and accept only candidates who are registered now, whereas the
history's people were erased by gallring long since.

How each contract turns out follows its supplier: most hire in time and enough (on track, then
met), some too little (at risk), a few too late (not met: the first hire came after the
deadline).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.audit.operations import DEMO_ACTOR, record
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.followup import EndReason, add_months
from hansyn.tenants.contracts.models import ClauseType, Contract, ServiceCategory
from hansyn.tenants.contracts.operations import ClauseData, ContractData, save_contract
from hansyn.tenants.luhn import luhn_valid
from hansyn.tenants.matches import reasons
from hansyn.tenants.matches.models import (
    FINAL_STATES,
    Case,
    CaseEvent,
    CaseOrigin,
    CaseRole,
    CaseState,
    ConsentChannel,
    InterviewOutcome,
)
from hansyn.tenants.matches.workflow import may
from hansyn.tenants.placements import operations as placement_ops
from hansyn.tenants.placements.models import EmploymentForm, Placement, WageSubsidy
from hansyn.tenants.procurements.models import ValueBand
from hansyn.tenants.procurements.operations import ProcurementData, save_procurement
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.statistics.periods import Period
from hansyn.tenants.suppliers.models import Supplier
from hansyn.tenants.suppliers.operations import SupplierData, create_supplier
from hansyn.tenants.vacancies.models import Extent, Vacancy, VacancyStatus
from hansyn.tenants.vacancies.operations import VacancyData, create_vacancy

MARKER = "statistics_demo_cases"
#: Contracts procured in late 2024 make the first hires of 2025.
CONTRACTS_FROM = Period(2024, 4)
#: No case opens before the registrations' history begins.
CASES_FROM = datetime(2025, 1, 13, 8, tzinfo=UTC)
DAY = timedelta(days=1)
T = TypeVar("T")

C, S, SYS = CaseRole.COORDINATOR, CaseRole.SUPPLIER, CaseRole.SYSTEM
ST = CaseState

#: Where a case got before it ended, as the states it passed (after the opening one).
STAGES: dict[str, tuple[CaseState, ...]] = {
    "opened": (),
    "asked": (ST.CONSENT_ASKED,),
    "consented": (ST.CONSENT_ASKED, ST.CONSENTED),
    "interview": (ST.CONSENT_ASKED, ST.CONSENTED, ST.INTERVIEW),
    "offered": (ST.CONSENT_ASKED, ST.CONSENTED, ST.INTERVIEW, ST.OFFERED),
}
#: How the cases that led to no hire ended: (weight, stage reached, final state, who, reason).
ENDINGS: tuple[tuple[int, str, CaseState, CaseRole, str | None], ...] = (
    (3, "opened", ST.WITHDRAWN, C, "municipality_withdrew"),
    (8, "asked", ST.REFUSED, SYS, reasons.NO_ANSWER),
    (12, "asked", ST.DECLINED, C, None),
    (8, "asked", ST.REFUSED, C, "not_reachable"),
    (6, "asked", ST.REFUSED, C, "not_interested"),
    (3, "asked", ST.REFUSED, C, "started_education"),
    (3, "asked", ST.WITHDRAWN, SYS, reasons.CANDIDATE_LEFT),
    (6, "consented", ST.WITHDRAWN, C, "candidate_withdrew"),
    (2, "consented", ST.WITHDRAWN, SYS, reasons.CONSENT_WITHDRAWN),
    (4, "consented", ST.REFUSED, C, "hired_elsewhere"),
    (8, "consented", ST.REFUSED, S, "position_filled"),
    (10, "interview", ST.REFUSED, S, "lacks_skill"),
    (6, "interview", ST.REFUSED, S, reasons.NO_SHOW),
    (3, "offered", ST.REFUSED, S, "other"),
)
#: Who moves a case into each state on the way (the supplier books and offers).
MOVER = {
    ST.PROPOSED: C, ST.REQUESTED: S, ST.CONSENT_ASKED: C, ST.CONSENTED: C, ST.DECLINED: C,
    ST.INTERVIEW: S, ST.OFFERED: S, ST.HIRED: S, ST.OBSOLETE: SYS,
}
#: Days each move takes after the one before: (fewest, most).
DELAYS = {
    ST.CONSENT_ASKED: (0, 4), ST.CONSENTED: (1, 10), ST.DECLINED: (1, 10),
    ST.INTERVIEW: (2, 9), ST.OFFERED: (3, 12), ST.HIRED: (1, 8),
    ST.REFUSED: (2, 20), ST.WITHDRAWN: (2, 25),
}

FORMS = {
    EmploymentForm.GENERAL_FIXED_TERM: 45, EmploymentForm.PERMANENT: 18,
    EmploymentForm.SUBSTITUTE: 10, EmploymentForm.SEASONAL: 9, EmploymentForm.TRIAL: 18,
}
SUBSIDIES = {
    WageSubsidy.NONE: 55, WageSubsidy.NYSTARTSJOBB: 18, WageSubsidy.INTRODUKTIONSJOBB: 8,
    WageSubsidy.LONEBIDRAG: 7, WageSubsidy.ETABLERINGSJOBB: 6, WageSubsidy.YRKESINTRODUKTION: 6,
}
EARLY_ENDS = {
    EndReason.RESIGNED: 30, EndReason.OTHER_EMPLOYER: 30, EndReason.OBJECTIVE_GROUNDS: 15,
    EndReason.SUMMARY_DISMISSAL: 5, EndReason.EMPLOYER_OTHER: 20,
}
CHANNELS = {
    ConsentChannel.IN_PERSON: 40, ConsentChannel.PHONE: 35, ConsentChannel.DIGITAL: 15,
    ConsentChannel.EMAIL: 8, ConsentChannel.LETTER: 2,
}


@dataclass(frozen=True)
class Sector:
    weight: int
    trade: str  # in the supplier's name
    service: str  # in the contract's title
    occupation: str
    skill: str


#: The sectors that buy with employment requirements most, and the jobs they hire for.
SECTORS = {
    ServiceCategory.CLEANING: Sector(30, "Städservice", "Lokalvård", "Städare/Lokalvårdare",
                                     "Städning"),
    ServiceCategory.MEALS: Sector(16, "Måltidsservice", "Måltider och matdistribution",
                                  "Köksbiträde", "Livsmedelshygien"),
    ServiceCategory.GROUNDS: Sector(16, "Mark & Park", "Skötsel av parker och grönytor",
                                    "Parkarbetare", "Trädgårdsskötsel"),
    ServiceCategory.PROPERTY: Sector(14, "Fastighetsservice", "Fastighetsskötsel",
                                     "Fastighetsskötare", "Fastighetsskötsel"),
    ServiceCategory.CONSTRUCTION: Sector(12, "Bygg & Renovering", "Mindre byggentreprenader",
                                         "Byggnadsarbetare", "Byggarbete"),
    ServiceCategory.CARE: Sector(6, "Omsorg", "Hemtjänst", "Vårdbiträde", "Omvårdnad"),
    ServiceCategory.TRANSPORT: Sector(4, "Transport", "Budtjänster", "Budbilsförare",
                                      "Körkort B"),
    ServiceCategory.OTHER: Sector(2, "Tvätt & Service", "Tvätt av arbetskläder",
                                  "Tvätteriarbetare", "Tvätt"),
}
#: Whether each reason is set by Hänsyn itself (deadlines, consent) rather than by a person.
SYSTEM_REASON = {code: system for code, _kind, system in reasons.REASONS}
#: Each municipality's suppliers are named after a river or a landmark of it (fictitious).
PLACES = {
    "goteborg": ("Göta Älv", "Göteborg", "SK-{year}-{number:04d}"),
    "boras": ("Viskans", "Borås", "KS {year}/{number}"),
    "halmstad": ("Nissans", "Halmstad", "KS {year}/{number}"),
    "varberg": ("Fästningens", "Varberg", "KS {year}/{number}"),
    "falkenberg": ("Ätrans", "Falkenberg", "KS {year}/{number}"),
    "hylte": ("Nissadalens", "Hyltebruk", "KS {year}/{number}"),
    "laholm": ("Lagans", "Laholm", "KS {year}/{number}"),
}
FIRST_REFERENCE = 1200


def load_case_history(session: Session, slug: str, contracts_per_quarter: float,
                      today: date) -> None:
    """Write the history once (an audit row marks it), up to the day before `today`."""
    if slug not in PLACES or session.scalar(
            select(AuditEvent.id).where(AuditEvent.subject_type == MARKER)) is not None:
        return
    history = History(session, slug, random.Random(f"hansyn-demo-cases-{slug}"), today)  # noqa: S311 (demo data)
    for period in _periods(today):
        for _number in range(_count(history.rng, contracts_per_quarter)):
            history.contract(period)
    history.close_vacancies()
    record(session, DEMO_ACTOR, "create", MARKER, None, "demo")
    session.flush()


def _periods(today: date) -> Iterator[Period]:
    period = CONTRACTS_FROM
    while period.first_day <= today:
        yield period
        period = Period.containing(period.end_day)


def _count(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, mean ** 0.5)))


def _pick(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), list(weights.values()))[0]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def org_number(seed: int) -> str:
    """A fictitious organisationsnummer (5598…) with a valid Luhn check digit."""
    base = f"5598{seed:05d}"
    return next(base + str(d) for d in range(10) if luhn_valid(base + str(d)))


def _check(source: CaseState | None, step: Step) -> None:
    """The history moves a case only as the workflow allows, with a reason of the right kind."""
    if not may(source, step.state, step.role):
        raise ValueError(f"the workflow forbids {source} → {step.state} by {step.role}")
    if step.reason is not None and SYSTEM_REASON[step.reason] != (step.role is SYS):
        raise ValueError(f"reason {step.reason} is not for {step.role}")


@dataclass
class Person:
    """A registration of the history: anonymous, with the window it was registered in."""

    id: int
    programme_id: int
    registered: datetime
    closed: datetime
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)
    hired: bool = False

    def free(self, first: datetime, last: datetime, groups: frozenset[int] | None) -> bool:
        return (not self.hired and self.registered + DAY <= first and last < self.closed
                and (groups is None or self.programme_id in groups)
                and all(last < start or end < first for start, end in self.busy))


@dataclass(frozen=True)
class Step:
    state: CaseState
    at: datetime
    role: CaseRole
    reason: str | None = None


@dataclass
class Hiring:
    """One contract's plan: when its supplier hires, and how much."""

    contract: Contract
    target: float
    first_start: date
    spacing: tuple[int, int]
    vacancies: dict[int, Vacancy] = field(default_factory=dict)
    planned: float = 0.0


class History:
    """One municipality's history being written: its people, suppliers and vacancies so far."""

    def __init__(self, session: Session, slug: str, rng: random.Random, today: date) -> None:
        self.session, self.slug, self.rng, self.today = session, slug, rng, today
        self.now = datetime.combine(today, time(0), tzinfo=UTC) - DAY
        self.people = self._people()
        self.programmes = [p.id for p in session.scalars(select(Programme).where(
            Programme.active.is_(True)).order_by(Programme.sort_order))]
        self.suppliers: dict[ServiceCategory, Supplier] = {}
        self.vacancies: list[Vacancy] = []
        self.numbers: dict[int, int] = defaultdict(lambda: FIRST_REFERENCE)
        #: The people each vacancy has had a case with (one case per person and vacancy).
        self.seen: dict[int, set[int]] = defaultdict(set)

    def _people(self) -> list[Person]:
        query = select(Candidate.id, Candidate.programme_id, Candidate.created_at,
                       Candidate.closed_at).where(Candidate.erased_at.is_not(None),
                                                  Candidate.reference.is_(None),
                                                  Candidate.closed_at.is_not(None))
        return [Person(id_, programme, _aware(registered), _aware(closed))
                for id_, programme, registered, closed in self.session.execute(query)
                if closed is not None]

    def moment(self, day: date) -> datetime:
        return datetime.combine(day, time(7 + self.rng.randrange(9), self.rng.randrange(60)),
                                tzinfo=UTC)

    # ------------------------------------------------------------ contracts

    def contract(self, period: Period) -> None:
        span = (period.last_day - period.first_day).days
        start = period.first_day + timedelta(days=self.rng.randrange(span + 1))
        if start >= self.today:
            return
        category = _pick(self.rng, {c: sector.weight for c, sector in SECTORS.items()})
        contract = self._save_contract(category, start)
        self._register(contract)
        self._hire_for(self._plan(contract))

    def _save_contract(self, category: ServiceCategory, start: date) -> Contract:
        rng = self.rng
        decided = start - timedelta(days=rng.randrange(45, 120))
        number = self.numbers[decided.year]
        self.numbers[decided.year] += rng.randrange(1, 40)
        reference = PLACES[self.slug][2].format(year=decided.year, number=number)
        groups = tuple(rng.sample(self.programmes, rng.randrange(2, len(self.programmes) + 1)))
        clause = rng.choice((
            ClauseData(ClauseType.REQUIREMENT, persons=rng.randrange(1, 4),
                       months_per_person=rng.choice((6, 12, 12)), target_group_ids=groups),
            ClauseData(ClauseType.REQUIREMENT, full_time_months=rng.choice((12, 18, 24)),
                       target_group_ids=groups),
            ClauseData(ClauseType.BONUS, full_time_months=rng.choice((6, 12)),
                       target_group_ids=groups),
        ))
        end = add_months(start, rng.choice((24, 36, 36, 48))) - DAY
        title = f"{SECTORS[category].service} {PLACES[self.slug][1]} {start.year}–{end.year}"
        data = ContractData(reference, title, category, self._supplier(category).id, start, end,
                            clause)
        contract = save_contract(self.session, data, DEMO_ACTOR)
        contract.created_at = contract.updated_at = self.moment(decided)
        return contract

    def _supplier(self, category: ServiceCategory) -> Supplier:
        if category not in self.suppliers:
            slug_index = list(PLACES).index(self.slug)
            seed = slug_index * 100 + list(SECTORS).index(category)
            data = SupplierData(f"{PLACES[self.slug][0]} {SECTORS[category].trade} AB",
                                org_number(seed), "Kundtjänst")
            found = self.session.scalar(select(Supplier).where(
                Supplier.org_number == data.org_number))
            self.suppliers[category] = found or create_supplier(self.session, data, DEMO_ACTOR)
        return self.suppliers[category]

    def _register(self, contract: Contract) -> None:
        """The procurement the contract came from, in the register."""
        decided = contract.created_at.date()
        data = ProcurementData(contract.reference, contract.title, contract.category,
                               self.rng.choice(list(ValueBand)[1:4]), decided, True, contract.id)
        save_procurement(self.session, data, DEMO_ACTOR, self.today)

    def _plan(self, contract: Contract) -> Hiring:
        assert contract.clause is not None  # noqa: S101 (every history contract has one)
        rng, required = self.rng, contract.clause.total_months
        deadline = contract.clause.first_hire_deadline
        kind = rng.choices(("diligent", "slow", "late"), (58, 24, 18))[0]
        if kind == "late":
            return Hiring(contract, required * rng.uniform(0.5, 1.0),
                          deadline + timedelta(days=rng.randrange(15, 120)), (40, 150))
        first = deadline - timedelta(days=rng.randrange(10, 150))
        first = max(first, contract.start_date + timedelta(days=14))
        if kind == "slow":
            return Hiring(contract, required * rng.uniform(0.3, 0.8), first, (90, 240))
        return Hiring(contract, required * rng.uniform(1.1, 1.5), first, (15, 90))

    # ------------------------------------------------------------ hires

    def _hire_for(self, plan: Hiring) -> None:
        start, contract = plan.first_start, plan.contract
        while plan.planned < plan.target and start < contract.end_date - timedelta(days=60):
            if not self._hire(plan, start):
                return
            start += timedelta(days=self.rng.randrange(*plan.spacing))

    def _hire(self, plan: Hiring, wanted: date) -> bool:
        """One hire starting about `wanted`; False when it would lie in the future."""
        rng, contract = self.rng, plan.contract
        assert contract.clause is not None  # noqa: S101
        opened = max(self.moment(wanted - timedelta(days=rng.randrange(40, 80))), CASES_FROM)
        steps = self._path(opened, STAGES["offered"], ST.HIRED, S, None)
        if steps[-1].at >= self.now:
            return False
        groups = frozenset(g.id for g in contract.clause.target_groups)
        vacancy = self._vacancy(plan, opened)
        person = self._person(vacancy, opened, steps[-1].at, groups or None)
        if person is None:
            return True
        recorded = steps[-1].at.date()
        start = max(wanted, recorded + timedelta(days=rng.randrange(0, 15)))
        case = self._case(vacancy, person, steps, hired_on=start)
        placement = self._placement(case, person, contract, start, recorded)
        person.hired = True
        plan.planned += self._planned_months(placement, contract)
        self._others(vacancy, opened, steps[-1].at)
        if placement_ops.extent(placement) >= 1 and rng.random() < 0.2:
            self._obsolete(person, vacancy, opened, steps[-1].at)
        return True

    def _planned_months(self, placement: Placement, contract: Contract) -> float:
        last = min(placement.ended_on or placement.planned_end or contract.end_date,
                   contract.end_date)
        return float(placement_ops.extent(placement)) * max((last - placement.start_date).days,
                                                            0) / 30.4

    def _person(self, vacancy: Vacancy, first: datetime, last: datetime,
                groups: frozenset[int] | None) -> Person | None:
        """Someone registered throughout, free then, and new to the vacancy."""
        for _try in range(80):
            person = self.rng.choice(self.people) if self.people else None
            if (person is not None and person.free(first, last, groups)
                    and not self._taken(vacancy, person)):
                person.busy.append((first, last))
                return person
        return None

    def _vacancy(self, plan: Hiring, opened: datetime) -> Vacancy:
        """The contract's vacancy of the year, posted before its first case opened."""
        year = opened.year
        if year in plan.vacancies:
            plan.vacancies[year].positions += 1
            return plan.vacancies[year]
        contract, rng = plan.contract, self.rng
        posted = min(opened.date() - timedelta(days=rng.randrange(5, 25)),
                     contract.end_date - timedelta(days=90))
        sector = SECTORS[contract.category]
        data = VacancyData(
            title=f"{sector.occupation.split('/')[0]}, {contract.title} ({year})",
            occupation=sector.occupation, required_skills=[sector.skill], desired_skills=[],
            required_languages=[], driving_licence=None, locality=PLACES[self.slug][1],
            positions=1, start_date=max(contract.start_date, posted),
            duration_months=12, extent=Extent.FULL_TIME, hours_per_week=40,
        )
        vacancy = create_vacancy(self.session, contract, data, DEMO_ACTOR, today=posted)
        vacancy.created_at = vacancy.updated_at = self.moment(posted)
        plan.vacancies[year] = vacancy
        self.vacancies.append(vacancy)
        return vacancy

    def close_vacancies(self) -> None:
        """The history's vacancies take no more candidates: the supplier closed them (the
        demo's own vacancies are the open ones)."""
        for vacancy in self.vacancies:
            vacancy.status = VacancyStatus.CLOSED
            vacancy.updated_at = max(vacancy.created_at, self.now - timedelta(days=1))
        self.session.flush()

    # ------------------------------------------------------------ cases

    def _path(self, opened: datetime, stages: tuple[CaseState, ...], final: CaseState,
              role: CaseRole, reason: str | None) -> list[Step]:
        first = ST.PROPOSED if self.rng.random() < 0.6 else ST.REQUESTED
        steps = [Step(first, opened, MOVER[first])]
        for state in (*stages, final):
            low, high = DELAYS.get(state, (0, 0))
            if state is final and reason == reasons.NO_ANSWER:
                low, high = 31, 33  # the answer deadline refused it the next morning
            at = steps[-1].at + timedelta(days=self.rng.randint(low, high),
                                          minutes=self.rng.randrange(1, 240))
            mover = role if state is final else MOVER[state]
            steps.append(Step(state, at, mover, reason if state is final else None))
        return steps

    def _others(self, vacancy: Vacancy, first: datetime, hired: datetime) -> None:
        """The candidates the same vacancy saw who were not hired."""
        weights = [ending[0] for ending in ENDINGS]
        for _number in range(self.rng.choice((1, 2, 2, 3, 3, 4))):
            _weight, stage, final, role, reason = self.rng.choices(ENDINGS, weights)[0]
            span = max(int((hired - first).total_seconds()), 3600)
            opened = first + timedelta(seconds=self.rng.randrange(span))
            steps = self._path(opened, STAGES[stage], final, role, reason)
            if steps[-1].at >= self.now:
                continue
            person = self._person(vacancy, opened, steps[-1].at, None)
            if person is not None:
                self._case(vacancy, person, steps)

    def _obsolete(self, person: Person, hired_through: Vacancy, opened: datetime,
                  hired: datetime) -> None:
        """The hired person had also been put forward elsewhere: that case became obsolete."""
        others = [v for v in self.vacancies if v is not hired_through and v.created_at < opened
                  and v.contract.end_date > hired.date() and not self._taken(v, person)]
        if not others:
            return
        vacancy = self.rng.choice(others)
        start = opened + (hired - opened) / 3
        steps = self._path(start, STAGES["asked"], ST.OBSOLETE, SYS, None)
        steps[-1] = Step(ST.OBSOLETE, hired, SYS)
        if steps[-2].at < hired:
            self._case(vacancy, person, steps)

    def _taken(self, vacancy: Vacancy, person: Person) -> bool:
        return person.id in self.seen[vacancy.id]

    def _case(self, vacancy: Vacancy, person: Person, steps: list[Step],
              hired_on: date | None = None) -> Case:
        """The case as the workflow left it, with one log row per move; every history case is
        decided (its person was erased later, and nobody is erased with a case open)."""
        first, final = steps[0], steps[-1]
        if final.state not in FINAL_STATES:
            raise ValueError(f"a history case ends decided, not {final.state}")
        origin = CaseOrigin.COORDINATOR if first.state is ST.PROPOSED else CaseOrigin.SUPPLIER
        case = Case(vacancy=vacancy, candidate_id=person.id,
                    supplier_id=vacancy.contract.supplier_id, origin=origin, state=final.state,
                    created_at=first.at,
                    state_changed_at=final.at, decided_at=final.at, reason_code=final.reason,
                    hired_on=hired_on)
        previous: CaseState | None = None
        for step in steps:
            _check(previous, step)
            details = self._record(case, step, previous)
            case.events.append(CaseEvent(at=step.at, from_state=previous, to_state=step.state,
                                         role=step.role, reason_code=step.reason,
                                         details=details))
            previous = step.state
        self.session.add(case)
        self.seen[vacancy.id].add(person.id)
        return case

    def _record(self, case: Case, step: Step, previous: CaseState | None) -> dict[str, str]:
        """Set what the move records on the case; the same as text for its log row."""
        details: dict[str, str] = {}
        if step.state in (ST.CONSENTED, ST.DECLINED):
            case.consent_on = step.at.date()
            case.consent_channel = _pick(self.rng, CHANNELS)
            details = {"consent_on": case.consent_on.isoformat(),
                       "consent_channel": case.consent_channel.value}
        elif step.state is ST.INTERVIEW:
            case.interview_on = step.at.date() + timedelta(days=self.rng.randrange(2, 8))
            details = {"interview_on": case.interview_on.isoformat()}
        elif step.state is ST.HIRED and case.hired_on is not None:
            details = {"hired_on": case.hired_on.isoformat()}
        if previous is ST.INTERVIEW:
            outcome = (InterviewOutcome.NO_SHOW if step.reason == reasons.NO_SHOW
                       else InterviewOutcome.ATTENDED)
            case.interview_outcome = outcome
            details["interview_outcome"] = outcome.value
        return details

    # ------------------------------------------------------------ placements

    def _placement(self, case: Case, person: Person, contract: Contract, start: date,
                   recorded: date) -> Placement:
        rng = self.rng
        placement_ops.check_start(start, contract, recorded)
        form = _pick(rng, FORMS)
        months = rng.choice((6, 9, 12, 12))
        if contract.clause is not None and contract.clause.months_per_person:
            months = contract.clause.months_per_person
        planned_end = None
        if form is EmploymentForm.TRIAL:
            planned_end = add_months(start, 6) - DAY
        elif form is not EmploymentForm.PERMANENT:
            planned_end = add_months(start, min(months, 6) if form is EmploymentForm.SEASONAL
                                     else months) - DAY
        percent = rng.choice((100, 100, 100, 100, 75, 75, 50))
        placement = Placement(
            case=case, vacancy=case.vacancy, candidate_id=person.id,
            programme_id=person.programme_id, start_date=start, planned_end=planned_end,
            employment_form=form, extent_percent=percent, wage_subsidy=_pick(rng, SUBSIDIES),
            offered_on=next(e.at for e in case.events if e.to_state is ST.OFFERED).date(),
            created_at=self.moment(recorded),
        )
        self.session.add(placement)
        self._leave(placement)
        self._end(placement, months)
        return placement

    def _leave(self, placement: Placement) -> None:
        if self.rng.random() >= 0.08:
            return
        first = placement.start_date + timedelta(days=self.rng.randrange(30, 120))
        last = first + timedelta(days=self.rng.randrange(14, 90))
        end = placement.planned_end or date.max
        if last < min(end, self.today - DAY):
            placement_ops.add_suspension(self.session, placement, first, last, DEMO_ACTOR)

    def _end(self, placement: Placement, months: int) -> None:
        """Ended early for a coded reason, or at its planned end; else it still runs."""
        yesterday = self.today - DAY
        agreed = placement.planned_end or add_months(placement.start_date, months) - DAY
        if self.rng.random() < 0.22:
            share = self.rng.uniform(0.3, 0.95)
            ended = placement.start_date + timedelta(
                days=int((agreed - placement.start_date).days * share))
            leave_end = max((s.last_day for s in placement.suspensions), default=ended)
            if max(ended, leave_end) <= yesterday:
                placement_ops.end_placement(self.session, placement, max(ended, leave_end),
                                            _pick(self.rng, EARLY_ENDS), DEMO_ACTOR)
                return
        if placement.planned_end is not None and placement.planned_end <= yesterday:
            placement_ops.end_placement(self.session, placement, placement.planned_end,
                                        EndReason.EXPIRED, DEMO_ACTOR)
