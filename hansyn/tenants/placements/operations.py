"""Write and read logic of placements: the hire, changes to an employment (its start while in
the future, its terms, its end, its suspensions), and the follow-up of a contract's clause
computed from its placements (`hansyn.tenants.contracts.followup` does the arithmetic).

Functions take a session and an `Actor` and only flush; the request commits. Who may call which
one is the views' business (a supplier only on its own placements; the wage subsidy only by
the municipality's staff), except where noted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from hansyn.errors import InvalidInput, Problems
from hansyn.tenants.audit.operations import Actor, record
from hansyn.tenants.contracts import followup
from hansyn.tenants.contracts.followup import ClauseTerms, EndReason, FollowUp, add_months
from hansyn.tenants.contracts.models import Contract, SocialClause
from hansyn.tenants.matches.models import Case, CaseRole, CaseState
from hansyn.tenants.matches.workflow import obsolete_other_cases, transition
from hansyn.tenants.placements.models import (
    FIXED_TERM,
    TRIAL_MONTHS,
    EmploymentForm,
    Placement,
    Suspension,
    WageSubsidy,
)
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.vacancies.models import MAX_HOURS_PER_WEEK, Vacancy

#: A placement may start at most this many months after the day the hire is recorded.
MAX_MONTHS_AHEAD = 6
SUBJECT = "placement"
PURPOSE = "placements"


@dataclass(frozen=True)
class PlacementTerms:
    """What an employment was agreed to be (the hire form, and later edits)."""

    start_date: date
    planned_end: date | None
    employment_form: EmploymentForm
    hours_per_week: int | None = None
    extent_percent: int | None = None
    #: The target group; None: the candidate's own programme (hire) or unchanged (edit).
    programme_id: int | None = None
    #: None: unchanged (a supplier's form never carries it).
    wage_subsidy: WageSubsidy | None = None


# ---------------------------------------------------------------- reading


def _details() -> tuple[object, ...]:
    return (
        selectinload(Placement.case),
        selectinload(Placement.candidate),
        selectinload(Placement.suspensions),
        selectinload(Placement.programme),
        selectinload(Placement.vacancy).selectinload(Vacancy.contract),
    )


def get_placement(session: Session, placement_id: int, supplier_id: int | None) -> Placement | None:
    """Placement `placement_id`, if it is on a contract of `supplier_id` (None: any supplier)."""
    query = (
        select(Placement)
        .join(Vacancy)
        .join(Contract)
        .where(Placement.id == placement_id)
        .options(*_details())  # type: ignore[arg-type]
    )
    if supplier_id is not None:
        query = query.where(Contract.supplier_id == supplier_id)
    return session.scalar(query)


def placements_of_contracts(
    session: Session, contract_ids: Iterable[int]
) -> dict[int, list[Placement]]:
    """Each contract's placements, oldest start first."""
    ids = set(contract_ids)
    found: dict[int, list[Placement]] = defaultdict(list)
    if not ids:
        return found
    query = (
        select(Placement, Vacancy.contract_id)
        .join(Vacancy)
        .where(Vacancy.contract_id.in_(ids))
        .options(*_details())  # type: ignore[arg-type]
        .order_by(Placement.start_date, Placement.id)
    )
    for placement, contract_id in session.execute(query):
        found[contract_id].append(placement)
    return found


def placements_query(
    supplier_id: int | None = None, ended: bool | None = None
) -> Select[tuple[Placement]]:
    """A supplier's placements, or every placement of the tenant; only running ones
    (`ended=False`) or ended ones (`True`). Unordered: the list pages it by id, newest first."""
    details = _details()
    query = select(Placement).join(Vacancy).join(Contract).options(*details)  # type: ignore[arg-type]
    if supplier_id is not None:
        query = query.where(Contract.supplier_id == supplier_id)
    if ended is not None:
        has_ended = Placement.ended_on.is_not(None)
        query = query.where(has_ended if ended else ~has_ended)
    return query


def hires_by_vacancy(session: Session, vacancy_ids: Iterable[int]) -> dict[int, int]:
    """How many people were hired for each vacancy (one placement per hire)."""
    ids = set(vacancy_ids)
    if not ids:
        return {}
    query = (
        select(Placement.vacancy_id, func.count(Placement.id))
        .where(Placement.vacancy_id.in_(ids))
        .group_by(Placement.vacancy_id)
    )
    return {int(row[0]): int(row[1]) for row in session.execute(query)}


def vacancy_filled(session: Session, vacancy: Vacancy) -> bool:
    """A vacancy is filled when it has as many hires as positions: derived, never typed."""
    return hires_by_vacancy(session, [vacancy.id]).get(vacancy.id, 0) >= vacancy.positions


# ---------------------------------------------------------------- follow-up


def extent(placement: Placement) -> Fraction:
    """The share of full time: hours over a 40-hour week, or the percentage."""
    if placement.hours_per_week is not None:
        return Fraction(placement.hours_per_week, MAX_HOURS_PER_WEEK)
    return Fraction(placement.extent_percent or 0, 100)


def as_employment(placement: Placement) -> followup.Employment:
    return followup.Employment(
        start=placement.start_date,
        planned_end=placement.planned_end,
        extent=extent(placement),
        ended_on=placement.ended_on,
        end_reason=placement.end_reason,
        leaves=tuple(followup.Leave(s.first_day, s.last_day) for s in placement.suspensions),
        target_group=placement.programme_id,
        offered_on=placement.offered_on,
        key=placement.id,
    )


def clause_terms(contract: Contract, clause: SocialClause) -> ClauseTerms:
    return ClauseTerms(
        required_months=clause.total_months,
        contract_start=contract.start_date,
        contract_end=contract.end_date,
        first_hire_deadline=clause.first_hire_deadline,
        early_end_share=clause.early_end_share,
        target_groups=frozenset(group.id for group in clause.target_groups),
        months_per_person=clause.months_per_person if clause.persons else None,
    )


def followed_up(clause: SocialClause | None) -> bool:
    """Whether a clause asks for months (a dialogue requirement is followed up in dialogue)."""
    return clause is not None and clause.total_months > 0


def contract_follow_ups(
    session: Session, contracts: Sequence[Contract], today: date
) -> dict[int, FollowUp]:
    """The follow-up of each contract whose clause asks for months, as of `today`."""
    counted = [c for c in contracts if followed_up(c.clause)]
    placements = placements_of_contracts(session, (c.id for c in counted))
    result = {}
    for contract in counted:
        assert contract.clause is not None  # noqa: S101 (followed_up checked it)
        terms = clause_terms(contract, contract.clause)
        employments = [as_employment(p) for p in placements.get(contract.id, [])]
        result[contract.id] = followup.follow_up(terms, employments, today)
    return result


def contract_follow_up(session: Session, contract: Contract, today: date) -> FollowUp | None:
    return contract_follow_ups(session, [contract], today).get(contract.id)


# ---------------------------------------------------------------- checking terms


def check_start(
    start: date, contract: Contract, today: date, offered_on: date | None = None
) -> None:
    """A start on the contract, at most six months ahead, and not before the offer.

    A hire is often recorded after the person has started: a start in the past is fine as long
    as it is not before the day the job was offered (`offered_on`; without one, not before
    `today`)."""
    if start < contract.start_date:
        raise InvalidInput(
            _l(
                "Anställningen kan inte börja före avtalets start (%(date)s).",
                date=contract.start_date.isoformat(),
            ),
            "start_date",
        )
    if start > contract.end_date:
        raise InvalidInput(
            _l(
                "Anställningen måste börja under avtalstiden (senast %(date)s).",
                date=contract.end_date.isoformat(),
            ),
            "start_date",
        )
    earliest = today if offered_on is None else min(offered_on, today)
    if start < earliest:
        raise InvalidInput(
            _l("Startdatumet kan inte ligga i det förflutna.")
            if offered_on is None
            else _l("Anställningen kan inte börja före erbjudandet (%(date)s).",
                    date=earliest.isoformat()),
            "start_date",
        )
    latest = add_months(today, MAX_MONTHS_AHEAD)
    if start > latest:
        raise InvalidInput(
            _l(
                "Startdatumet kan ligga högst sex månader fram (senast %(date)s).",
                date=latest.isoformat(),
            ),
            "start_date",
        )


def _check_planned_end(terms: PlacementTerms) -> None:
    end, form = terms.planned_end, terms.employment_form
    if form not in FIXED_TERM:
        if end is not None:
            raise InvalidInput(
                _l("En tillsvidareanställning har inget slutdatum. Lämna fältet tomt."),
                "planned_end",
            )
        return
    if end is None:
        raise InvalidInput(_l("Ange sista dagen för en tidsbegränsad anställning."), "planned_end")
    if end < terms.start_date:
        raise InvalidInput(_l("Slutdatumet kan inte ligga före startdatumet."), "planned_end")
    if form is EmploymentForm.TRIAL and end >= add_months(terms.start_date, TRIAL_MONTHS):
        raise InvalidInput(_l("En provanställning är högst sex månader (LAS 6 §)."), "planned_end")


def _check_extent(terms: PlacementTerms) -> None:
    hours, percent = terms.hours_per_week, terms.extent_percent
    if (hours is None) == (percent is None):
        raise InvalidInput(
            _l("Ange antingen timmar per vecka eller omfattning i procent."), "hours_per_week"
        )
    if hours is not None and not 1 <= hours <= MAX_HOURS_PER_WEEK:
        raise InvalidInput(
            _l("Timmar per vecka ska vara mellan 1 och %(max)d.", max=MAX_HOURS_PER_WEEK),
            "hours_per_week",
        )
    if percent is not None and not 1 <= percent <= 100:
        raise InvalidInput(_l("Omfattningen ska vara mellan 1 och 100 procent."), "extent_percent")


def _check_programme(session: Session, programme_id: int, current: int | None) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None or (not programme.active and programme.id != current):
        raise InvalidInput(_l("Välj en målgrupp ur kommunens katalog."), "programme_id")
    return programme


def _period_end(placement: Placement) -> date | None:
    return placement.ended_on or placement.planned_end


def _overlaps(first: date, last: date | None, other: Placement) -> bool:
    other_last = _period_end(other)
    return (other_last is None or other_last >= first) and (
        last is None or other.start_date <= last
    )


def _check_parallel(
    session: Session, candidate_id: int, terms: PlacementTerms, placement: Placement | None
) -> None:
    """One person may hold parallel part-time placements, but not more than full time."""
    share = (
        Fraction(terms.hours_per_week, MAX_HOURS_PER_WEEK)
        if terms.hours_per_week is not None
        else Fraction(terms.extent_percent or 0, 100)
    )
    others = session.scalars(
        select(Placement).where(
            Placement.candidate_id == candidate_id,
            Placement.id != (placement.id if placement is not None else -1),
        )
    )
    end = placement.ended_on if placement and placement.ended_on else terms.planned_end
    parallel = sum(
        (extent(other) for other in others if _overlaps(terms.start_date, end, other)),
        Fraction(0),
    )
    if parallel + share > 1:
        free = max(Fraction(1) - parallel, Fraction(0))
        raise InvalidInput(
            _l(
                "Personen har redan anställningar under samma tid; tillsammans blir det mer än "
                "heltid. Högst %(percent)d %% återstår.",
                percent=int(free * 100),
            ),
            "extent_percent" if terms.extent_percent is not None else "hours_per_week",
        )


def _check_terms(
    session: Session, candidate_id: int, terms: PlacementTerms, placement: Placement | None
) -> None:
    problems = Problems()
    with problems.check():
        _check_planned_end(terms)
    with problems.check():
        _check_extent(terms)
    if not problems.found:
        with problems.check():
            _check_parallel(session, candidate_id, terms, placement)
    problems.raise_any()


def _apply_terms(placement: Placement, terms: PlacementTerms, programme: Programme) -> None:
    placement.start_date, placement.planned_end = terms.start_date, terms.planned_end
    placement.employment_form = terms.employment_form
    placement.hours_per_week, placement.extent_percent = terms.hours_per_week, terms.extent_percent
    placement.programme = programme
    if terms.wage_subsidy is not None:
        placement.wage_subsidy = terms.wage_subsidy


def _audit(session: Session, actor: Actor, action: str, placement: Placement) -> None:
    record(session, actor, action, SUBJECT, placement.id, PURPOSE)


# ---------------------------------------------------------------- writing


def record_hire(
    session: Session,
    case: Case,
    terms: PlacementTerms,
    actor: Actor,
    *,
    today: date | None = None,
    role: CaseRole | None = None,
) -> Placement:
    """The hire: a placement for an offered case, and the case's HIRED transition, in one unit
    of work. A full-time hire makes the candidate's other open cases obsolete.

    `today` is the day the hire is recorded (the demo records past hires on past days); `role`
    names the case role of server code acting on someone's behalf (the demo, tests).
    """
    today = today or date.today()
    if case.state is not CaseState.OFFERED:
        raise InvalidInput(
            _l("Bara ett ärende där anställning har erbjudits kan registreras som anställning.")
        )
    placement = _new_placement(session, case, terms, actor, today, _offered_on(case))
    transition(session, case, CaseState.HIRED, actor, role=role, hired_on=placement.start_date)
    if extent(placement) >= 1:
        obsolete_other_cases(session, case, actor)
    return placement


def _offered_on(case: Case) -> date | None:
    """The day the case moved to OFFERED (its latest move there)."""
    offers = [event.at for event in case.events if event.to_state is CaseState.OFFERED]
    return max(offers).date() if offers else None


def _new_placement(
    session: Session,
    case: Case,
    terms: PlacementTerms,
    actor: Actor,
    today: date,
    offered_on: date | None,
) -> Placement:
    vacancy = case.vacancy
    problems = Problems()
    with problems.check():
        check_start(terms.start_date, vacancy.contract, today, offered_on or today)
    with problems.check():
        _check_terms(session, case.candidate_id, terms, None)
    with problems.check():
        programme = _check_programme(
            session, terms.programme_id or case.candidate.programme_id, None
        )
    problems.raise_any()
    placement = Placement(
        case=case,
        vacancy=vacancy,
        candidate_id=case.candidate_id,
        offered_on=min(offered_on or today, today),
        wage_subsidy=WageSubsidy.NONE,
        created_by=actor.user_id,
    )
    _apply_terms(placement, terms, programme)
    session.add(placement)
    session.flush()
    _audit(session, actor, "create", placement)
    return placement


def update_placement(
    session: Session, placement: Placement, terms: PlacementTerms, actor: Actor, *, today: date
) -> Placement:
    """Change an employment's terms. The start moves only while it lies ahead (and then by the
    same rules as a hire); an ended employment keeps its end inside its agreed time."""
    problems = Problems()
    if terms.start_date != placement.start_date:
        with problems.check():
            if placement.start_date <= today:
                raise InvalidInput(
                    _l("Anställningen har redan börjat; startdatumet kan inte flyttas."),
                    "start_date",
                )
            check_start(terms.start_date, placement.vacancy.contract, today, placement.offered_on)
    with problems.check():
        _check_terms(session, placement.candidate_id, terms, placement)
    with problems.check():
        programme = _check_programme(
            session, terms.programme_id or placement.programme_id, placement.programme_id
        )
    with problems.check():
        _check_end_fits(placement, terms)
    problems.raise_any()
    _apply_terms(placement, terms, programme)
    session.flush()
    _audit(session, actor, "update", placement)
    return placement


def _check_end_fits(placement: Placement, terms: PlacementTerms) -> None:
    ended = placement.ended_on
    if ended is None:
        return
    if terms.planned_end is not None and ended > terms.planned_end:
        raise InvalidInput(
            _l(
                "Anställningen avslutades %(date)s, efter det nya slutdatumet.",
                date=ended.isoformat(),
            ),
            "planned_end",
        )
    if placement.end_reason is EndReason.EXPIRED and terms.planned_end != ended:
        raise InvalidInput(
            _l("En anställning som löpte ut slutar på sitt planerade slutdatum."), "planned_end"
        )
    for suspension in placement.suspensions:
        if suspension.first_day < terms.start_date:
            raise InvalidInput(_l("Ett uppehåll ligger före det nya startdatumet."), "start_date")


def end_placement(
    session: Session, placement: Placement, ended_on: date, reason: EndReason, actor: Actor
) -> Placement:
    """Record (or correct) how and when the employment ended; its last day may lie ahead (a
    notice period)."""
    if ended_on < placement.start_date:
        raise InvalidInput(
            _l(
                "Sista dagen kan inte ligga före startdatumet (%(date)s).",
                date=placement.start_date.isoformat(),
            ),
            "ended_on",
        )
    planned = placement.planned_end
    if planned is not None and ended_on > planned:
        raise InvalidInput(
            _l(
                "Sista dagen ligger efter det planerade slutdatumet (%(date)s). Förläng "
                "anställningen först.",
                date=planned.isoformat(),
            ),
            "ended_on",
        )
    if reason is EndReason.EXPIRED and ended_on != planned:
        raise InvalidInput(
            _l(
                "Bara en tidsbegränsad anställning löper ut, och den gör det på sitt planerade "
                "slutdatum. Välj ett annat skäl."
            ),
            "end_reason",
        )
    if any(s.last_day > ended_on for s in placement.suspensions):
        raise InvalidInput(
            _l("Ett registrerat uppehåll fortsätter efter sista dagen. Ändra uppehållet först."),
            "ended_on",
        )
    action = "update_end" if placement.ended_on is not None else "end"
    placement.ended_on, placement.end_reason = ended_on, reason
    session.flush()
    _audit(session, actor, action, placement)
    return placement


def add_suspension(
    session: Session, placement: Placement, first: date, last: date, actor: Actor
) -> Suspension:
    """Leave (sick, parental, …) from `first` to `last`, within the employment."""
    if last < first:
        raise InvalidInput(_l("Uppehållets sista dag kan inte ligga före den första."), "last_day")
    if first < placement.start_date:
        raise InvalidInput(
            _l(
                "Uppehållet kan inte börja före anställningen (%(date)s).",
                date=placement.start_date.isoformat(),
            ),
            "first_day",
        )
    end = _period_end(placement)
    if end is not None and last > end:
        raise InvalidInput(
            _l(
                "Uppehållet kan inte sluta efter anställningens sista dag (%(date)s).",
                date=end.isoformat(),
            ),
            "last_day",
        )
    for other in placement.suspensions:
        if other.first_day <= last and first <= other.last_day:
            raise InvalidInput(
                _l(
                    "Det finns redan ett uppehåll %(first)s–%(last)s under samma tid.",
                    first=other.first_day.isoformat(),
                    last=other.last_day.isoformat(),
                ),
                "first_day",
            )
    suspension = Suspension(first_day=first, last_day=last, created_by=actor.user_id)
    placement.suspensions.append(suspension)
    session.flush()
    _audit(session, actor, "suspend", placement)
    return suspension


def remove_suspension(
    session: Session, placement: Placement, suspension: Suspension, actor: Actor
) -> None:
    placement.suspensions.remove(suspension)
    session.flush()
    _audit(session, actor, "remove_suspension", placement)
