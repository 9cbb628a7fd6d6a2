"""Creating, listing and reading notifications, and sending their e-mail.

A domain registers each kind it creates (`register_kind`): how its text reads in the app and in
an e-mail, and where it links to. Texts are rendered when read, in the reader's language. An
e-mail to a supplier never carries personal data: the e-mail text of a kind names the vacancy,
never the candidate, not even by pseudonym.

E-mail goes out after the unit of work that created the notification committed: a request that
notified sends at its teardown (`views.py`), commands call `deliver_pending` after their commit,
and `hansyn notifications send` (cron) retries what a server refused. Each notification is
claimed in a short write transaction before it is sent, so two processes never send it twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from flask import current_app, g, has_request_context, url_for
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from hansyn.db import Databases
from hansyn.platform.mail import MailNotSentError, localized_mail, send_mail
from hansyn.platform.models import Membership, Role, User, utcnow
from hansyn.platform.pagination import Page, paginate
from hansyn.tenants.notifications.models import (
    Audience,
    EmailState,
    Notification,
    NotificationRead,
)

MAX_ATTEMPTS = 5
#: A claimed notification whose sending process died is sent again after this long.
CLAIM_TIMEOUT = timedelta(minutes=10)
BATCH = 200


#: A page as (endpoint, URL arguments without the tenant).
Target = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    text: Callable[[Notification], str]
    #: The e-mail's text: for a supplier without any personal data (pseudonyms included).
    email_text: Callable[[Notification], str]
    link: Callable[[Notification], Target | None]
    subject: LazyString


_KINDS: dict[str, Kind] = {}


def register_kind(
    kind: str,
    text: Callable[[Notification], str],
    *,
    link: Callable[[Notification], Target | None],
    email_text: Callable[[Notification], str] | None = None,
    subject: LazyString | None = None,
) -> None:
    _KINDS[kind] = Kind(text, email_text or text, link, subject or _l("Nytt i Hänsyn"))


def text_of(notification: Notification) -> str:
    kind = _KINDS.get(notification.kind)
    return kind.text(notification) if kind else notification.kind


def link_of(notification: Notification) -> str | None:
    """The page the notification points at, inside the current request's tenant."""
    kind = _KINDS.get(notification.kind)
    target = kind.link(notification) if kind else None
    return url_for(target[0], **target[1]) if target else None


# ---------------------------------------------------------------- creating


def notify(
    session: Session,
    kind: str,
    audience: Audience,
    *,
    supplier_id: int | None = None,
    case_id: int | None = None,
    vacancy_id: int | None = None,
    contract_id: int | None = None,
    params: dict[str, str] | None = None,
    dedup_key: str | None = None,
) -> Notification | None:
    """Add a notification (flush only); None when `dedup_key` was already notified."""
    if dedup_key is not None and session.scalar(
        select(Notification.id).where(Notification.dedup_key == dedup_key)
    ):
        return None
    notification = Notification(
        kind=kind,
        audience=audience,
        supplier_id=supplier_id,
        case_id=case_id,
        vacancy_id=vacancy_id,
        contract_id=contract_id,
        params=params or {},
        dedup_key=dedup_key,
        email_state=EmailState.PENDING,
        created_at=utcnow(),
    )
    session.add(notification)
    session.flush()
    if has_request_context():
        g.notifications_queued = True
    return notification


# ---------------------------------------------------------------- reading


class Reader(Protocol):
    """Whom a list is for: a member's user id, roles and supplier (`tenants.context.Member`)."""

    @property
    def user_id(self) -> int: ...

    @property
    def roles(self) -> frozenset[Role]: ...

    @property
    def supplier_id(self) -> int | None: ...


def _audience_filter(reader: Reader) -> Any:
    clauses = []
    if Role.COORDINATOR in reader.roles:
        clauses.append(Notification.audience == Audience.COORDINATORS)
    if Role.ADMIN in reader.roles:
        clauses.append(Notification.audience == Audience.ADMINS)
    if Role.SUPPLIER in reader.roles and reader.supplier_id is not None:
        clauses.append(
            and_(
                Notification.audience == Audience.SUPPLIER,
                Notification.supplier_id == reader.supplier_id,
            )
        )
    return or_(*clauses) if clauses else false()


def _is_read(reader: Reader) -> Any:
    return exists().where(
        NotificationRead.notification_id == Notification.id,
        NotificationRead.user_id == reader.user_id,
    )


@dataclass(frozen=True)
class Shown:
    notification: Notification
    read: bool
    text: str
    link: str | None


def notifications_for(
    session: Session,
    reader: Reader,
    *,
    unread_only: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> list[Shown]:
    """The reader's notifications, newest first."""
    read = _is_read(reader).label("read")
    query = select(Notification, read).where(_audience_filter(reader))
    if unread_only:
        query = query.where(~_is_read(reader))
    rows = session.execute(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [Shown(n, bool(is_read), text_of(n), link_of(n)) for n, is_read in rows]


def notification_page(
    session: Session, reader: Reader, cursor: str | None, size: int
) -> tuple[Page[Notification], list[Shown]]:
    """One page of the reader's notifications, newest first (keyset pages by id)."""
    query = select(Notification).where(_audience_filter(reader))
    page = paginate(session, query, (Notification.id,), cursor=cursor, size=size, descending=True)
    ids = [n.id for n in page.items]
    read = set(
        session.scalars(
            select(NotificationRead.notification_id).where(
                NotificationRead.user_id == reader.user_id,
                NotificationRead.notification_id.in_(ids),
            )
        )
    ) if ids else set()
    return page, [Shown(n, n.id in read, text_of(n), link_of(n)) for n in page.items]


def count_for(session: Session, reader: Reader, *, unread_only: bool = False) -> int:
    query = select(func.count(Notification.id)).where(_audience_filter(reader))
    if unread_only:
        query = query.where(~_is_read(reader))
    return session.scalar(query) or 0


def mark_read(session: Session, reader: Reader, notification_ids: Iterable[int] | None) -> int:
    """Mark these (None: all) of the reader's unread notifications read; how many."""
    query = select(Notification.id).where(_audience_filter(reader), ~_is_read(reader))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(list(notification_ids)))
    ids = list(session.scalars(query))
    now = utcnow()
    session.add_all(
        NotificationRead(notification_id=i, user_id=reader.user_id, read_at=now) for i in ids
    )
    session.flush()
    return len(ids)


# ---------------------------------------------------------------- e-mail


@dataclass(frozen=True)
class Recipient:
    email: str
    locale: str | None


def recipients(control: Session, tenant_id: int, notification: Notification) -> list[Recipient]:
    """The active users of the audience who have not turned e-mail off."""
    role = {
        Audience.COORDINATORS: Role.COORDINATOR,
        Audience.ADMINS: Role.ADMIN,
        Audience.SUPPLIER: Role.SUPPLIER,
    }[notification.audience]
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.tenant_id == tenant_id,
            Membership.role == role,
            User.active.is_(True),
            User.email_notifications.is_(True),
        )
        .order_by(User.id)
        .distinct()
    )
    if notification.audience is Audience.SUPPLIER:
        query = query.where(Membership.supplier_id == notification.supplier_id)
    return [Recipient(user.email, user.locale) for user in control.scalars(query)]


def _claim(databases: Databases, slug: str) -> list[int]:
    """Take the pending notifications for sending (a short write transaction of its own)."""
    now = utcnow()
    with databases.tenant_session(slug, write=True) as session:
        found = session.scalars(
            select(Notification)
            .where(
                Notification.email_state == EmailState.PENDING,
                or_(
                    Notification.emailed_at.is_(None), Notification.emailed_at < now - CLAIM_TIMEOUT
                ),
            )
            .order_by(Notification.id)
            .limit(BATCH)
        ).all()
        for notification in found:
            notification.emailed_at = now  # claimed; SENT once delivered
            notification.email_attempts += 1
        return [n.id for n in found]


def _finish(databases: Databases, slug: str, notification_id: int, sent: bool) -> None:
    with databases.tenant_session(slug, write=True) as session:
        notification = session.get(Notification, notification_id)
        if notification is None:
            return
        if sent:
            notification.email_state = EmailState.SENT
        elif notification.email_attempts >= MAX_ATTEMPTS:
            notification.email_state = EmailState.FAILED
        else:
            notification.emailed_at = None  # the next run tries again


def _mail_to(recipient: Recipient, kind: Kind, notification: Notification, link: str) -> None:
    with force_locale(recipient.locale if recipient.locale in ("sv", "en") else "sv"):
        text = kind.email_text(notification)
    send_mail(
        localized_mail(
            recipient.email,
            recipient.locale,
            kind.subject,
            "mail/notification.txt",
            text=text,
            link=link,
        )
    )


def absolute(path: str | None) -> str:
    """A link for an e-mail: HANSYN_BASE_URL (or the configured server name) and the path."""
    base = current_app.config.get("BASE_URL")
    if not base and current_app.config.get("SERVER_NAME"):
        scheme = current_app.config.get("PREFERRED_URL_SCHEME", "http")
        base = f"{scheme}://{current_app.config['SERVER_NAME']}"
    return f"{(base or '').rstrip('/')}{path or '/'}"


def deliver_pending(databases: Databases, slug: str, tenant_id: int) -> int:
    """Send the e-mail of every pending notification of the tenant; how many were sent."""
    sent = 0
    for notification_id in _claim(databases, slug):
        with databases.tenant_session(slug) as session, databases.control_session() as control:
            notification = session.get(Notification, notification_id)
            assert notification is not None  # noqa: S101 - claimed above, never deleted
            kind = _KINDS.get(notification.kind)
            people = recipients(control, tenant_id, notification) if kind else []
            link = absolute(link_for_mail(notification, slug))
            ok = True
            for recipient in people:
                try:
                    _mail_to(recipient, kind, notification, link)  # type: ignore[arg-type]
                except MailNotSentError:
                    ok = False
        _finish(databases, slug, notification_id, ok)
        sent += ok
    return sent


def link_for_mail(notification: Notification, slug: str) -> str | None:
    """The notification's page in tenant `slug` as a path, built outside a request too."""
    kind = _KINDS.get(notification.kind)
    target = kind.link(notification) if kind else None
    if target is None:
        return None
    adapter = current_app.url_map.bind(
        "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
    )
    return str(adapter.build(target[0], {"tenant": slug, **target[1]}))
