"""Who is told when a case moves, and what they read.

A move by the supplier is told to the coordinators; a move by the municipality to the supplier;
a move by Hänsyn itself (deadline, withdrawn consent, hire elsewhere) to the supplier, and a
deadline refusal to the coordinators as well. What the supplier reads in the app names the
candidate by pseudonym; its e-mail names only the vacancy. Nothing names the candidate, and no
supplier is ever told which other supplier hired.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hansyn.tenants.matches.models import Case, CaseEvent, CaseRole, CaseState
from hansyn.tenants.matches.pseudonyms import pseudonyms_for
from hansyn.tenants.matches.reasons import reason_label, state_label
from hansyn.tenants.notifications.models import Audience, Notification
from hansyn.tenants.notifications.operations import Target, notify, register_kind

CASE = "case"


def notify_transition(session: Session, case: Case, log_row: CaseEvent) -> None:
    params = {
        "state": case.state.value,
        "vacancy": case.vacancy.title,
        "reason": case.reason_code or "",
    }
    if log_row.role is CaseRole.SUPPLIER or _coordinators_told(log_row):
        _notify(session, case, Audience.COORDINATORS, {**params, "supplier": case.supplier.name})
    if log_row.role is not CaseRole.SUPPLIER:
        pseudonym = pseudonyms_for(session, case.supplier_id, [case.candidate_id])
        _notify(
            session,
            case,
            Audience.SUPPLIER,
            {**params, "pseudonym": pseudonym[case.candidate_id]},
        )


def _coordinators_told(log_row: CaseEvent) -> bool:
    return log_row.role is CaseRole.SYSTEM and log_row.to_state is CaseState.REFUSED


def _notify(session: Session, case: Case, audience: Audience, params: dict[str, str]) -> None:
    notify(
        session,
        CASE,
        audience,
        supplier_id=case.supplier_id if audience is Audience.SUPPLIER else None,
        case_id=case.id,
        vacancy_id=case.vacancy_id,
        params=params,
    )


def _state(notification: Notification) -> str:
    text = state_label(CaseState(notification.params["state"]))
    reason = notification.params.get("reason")
    return f"{text} ({reason_label(reason)})" if reason else text


def _text(notification: Notification) -> str:
    params: dict[str, Any] = {**notification.params, "state": _state(notification)}
    if notification.audience is Audience.SUPPLIER:
        return _("%(pseudonym)s, %(vacancy)s: %(state)s", **params)
    return _("%(supplier)s, %(vacancy)s: %(state)s", **params)


def _email_text(notification: Notification) -> str:
    """No candidate in it, not even a pseudonym: only the vacancy and the new state."""
    return _(
        "Ett ärende på annonsen ”%(vacancy)s” har ändrats: %(state)s.",
        vacancy=notification.params["vacancy"],
        state=_state(notification),
    )


def _link(notification: Notification) -> Target | None:
    if notification.case_id is None:
        return None
    return "tenant.cases.show", {"case_id": notification.case_id}


register_kind(
    CASE, _text, link=_link, email_text=_email_text, subject=_l("Ett ärende i Hänsyn har ändrats")
)
