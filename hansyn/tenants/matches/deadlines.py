"""The deadlines a cron job keeps (`hansyn deadlines`), each safe to run again at any time:

- a case that waited for an answer (proposed, requested, consent asked) longer than the
  municipality's answer days is refused with the deadline's own reason, and the coordinators and
  the supplier are told (running again finds nothing left to refuse);
- an open vacancy nobody saved for 90 days is flagged and its supplier told; flagged and still
  unsaved 30 days later, it is closed (both once: the flag and the status say it was done);
- before a contract's first-hire deadline (the clause's `first_hire_deadline`), while none of the
  contract's vacancies has a case in state hired, its supplier and the admins are reminded 30 and
  7 days ahead (once per step: the notification's `dedup_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from hansyn.tenants.audit.operations import Actor, SystemActor
from hansyn.tenants.contracts.models import Contract, SocialClause
from hansyn.tenants.matches import reasons
from hansyn.tenants.matches.models import AWAITING_ANSWER, Case, CaseRole, CaseState
from hansyn.tenants.matches.operations import answer_days
from hansyn.tenants.matches.workflow import transition
from hansyn.tenants.notifications.models import Audience, Notification
from hansyn.tenants.notifications.operations import Target, notify, register_kind
from hansyn.tenants.vacancies.models import Vacancy
from hansyn.tenants.vacancies.operations import (
    CLOSE_AFTER_FLAG,
    close_stale_vacancies,
    flag_stale_vacancies,
)

#: Days before the first-hire deadline at which the supplier and the admins are reminded.
REMINDER_DAYS = (30, 7)
DEADLINE_ACTOR = SystemActor(None, "deadlines@hansyn")


@dataclass
class DeadlineReport:
    refused: list[int] = field(default_factory=list)  # case ids
    flagged: list[int] = field(default_factory=list)  # vacancy ids
    closed: list[int] = field(default_factory=list)  # vacancy ids
    reminded: list[int] = field(default_factory=list)  # contract ids


def run_deadlines(session: Session, now: datetime, actor: Actor = DEADLINE_ACTOR) -> DeadlineReport:
    """Every deadline of one municipality, as of `now` (flush only; the caller commits)."""
    report = DeadlineReport()
    report.refused = refuse_unanswered(session, now, actor)
    report.flagged = [v.id for v in flag_stale_vacancies(session, now)]
    for vacancy_id in report.flagged:
        _notify_vacancy(session, "vacancy_stale", vacancy_id, Audience.SUPPLIER)
    report.closed = [v.id for v in close_stale_vacancies(session, now)]
    for vacancy_id in report.closed:
        _notify_vacancy(session, "vacancy_closed", vacancy_id, Audience.SUPPLIER)
        _notify_vacancy(session, "vacancy_closed", vacancy_id, Audience.COORDINATORS)
    report.reminded = remind_first_hire(session, now.date())
    return report


def refuse_unanswered(session: Session, now: datetime, actor: Actor) -> list[int]:
    cutoff = now - timedelta(days=answer_days(session))
    waiting = session.scalars(
        select(Case)
        .where(Case.state.in_(sorted(AWAITING_ANSWER)), Case.state_changed_at < cutoff)
        .order_by(Case.id)
    ).all()
    for case in waiting:
        transition(
            session, case, CaseState.REFUSED, actor, role=CaseRole.SYSTEM,
            reason=reasons.NO_ANSWER,
        )
    return [case.id for case in waiting]


def _notify_vacancy(session: Session, kind: str, vacancy_id: int, audience: Audience) -> None:
    vacancy = session.get(Vacancy, vacancy_id)
    assert vacancy is not None  # noqa: S101 - just found by the caller
    flagged = vacancy.stale_flagged_at.isoformat() if vacancy.stale_flagged_at else ""
    notify(
        session, kind, audience,
        supplier_id=vacancy.contract.supplier_id if audience is Audience.SUPPLIER else None,
        vacancy_id=vacancy.id,
        params={"vacancy": vacancy.title, "days": str(CLOSE_AFTER_FLAG.days)},
        dedup_key=f"{kind}:{vacancy.id}:{audience.value}:{flagged}",
    )


def _hired_contract_ids(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(Vacancy.contract_id)
            .join(Case, Case.vacancy_id == Vacancy.id)
            .where(Case.state == CaseState.HIRED)
        )
    )


def remind_first_hire(session: Session, today: date) -> list[int]:
    """Remind about the contracts whose first-hire deadline is near and that have no hire."""
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    clauses = session.scalars(
        select(SocialClause)
        .join(Contract)
        .where(
            SocialClause.first_hire_deadline >= today,
            SocialClause.first_hire_deadline <= horizon,
        )
        .options(joinedload(SocialClause.contract))
        .order_by(SocialClause.contract_id)
    ).all()
    hired = _hired_contract_ids(session)
    reminded = []
    for clause in clauses:
        if clause.contract_id in hired:
            continue
        left = (clause.first_hire_deadline - today).days
        step = min(days for days in REMINDER_DAYS if left <= days)
        if _remind(session, clause, step, left):
            reminded.append(clause.contract_id)
    return reminded


def _remind(session: Session, clause: SocialClause, step: int, left: int) -> bool:
    contract = clause.contract
    params = {
        "contract": contract.title,
        "deadline": clause.first_hire_deadline.isoformat(),
        "days": str(left),
    }
    key = f"first_hire:{contract.id}:{clause.first_hire_deadline.isoformat()}:{step}"
    to_supplier = notify(
        session, "first_hire_due", Audience.SUPPLIER, supplier_id=contract.supplier_id,
        contract_id=contract.id, params=params, dedup_key=f"{key}:supplier",
    )
    to_admins = notify(
        session, "first_hire_due", Audience.ADMINS, contract_id=contract.id, params=params,
        dedup_key=f"{key}:admin",
    )
    return to_supplier is not None or to_admins is not None


# ---------------------------------------------------------------- what people read


def _vacancy_link(notification: Notification) -> Target | None:
    vacancy_id = notification.vacancy_id
    if vacancy_id is None:
        return None
    return "tenant.cases.index", {"vacancy": vacancy_id}


def _contract_link(notification: Notification) -> Target | None:
    if notification.contract_id is None:
        return None
    return "tenant.contracts.detail", {"contract_id": notification.contract_id}


register_kind(
    "vacancy_stale",
    lambda n: _(
        "Annonsen ”%(vacancy)s” har inte ändrats på 90 dagar. Spara den om den fortfarande "
        "gäller; annars stängs den om %(days)s dagar.",
        **n.params,
    ),
    link=_vacancy_link,
    subject=_l("En annons i Hänsyn behöver ses över"),
)
register_kind(
    "vacancy_closed",
    lambda n: _("Annonsen ”%(vacancy)s” stängdes eftersom den inte hade ändrats på länge.",
                **n.params),
    link=_vacancy_link,
    subject=_l("En annons i Hänsyn har stängts"),
)
register_kind(
    "first_hire_due",
    lambda n: _(
        "Avtalet ”%(contract)s”: den första anställningen ska vara gjord senast %(deadline)s "
        "(om %(days)s dagar), och ingen är anställd ännu.",
        **n.params,
    ),
    link=_contract_link,
    subject=_l("Påminnelse: första anställningen enligt avtalet"),
)
