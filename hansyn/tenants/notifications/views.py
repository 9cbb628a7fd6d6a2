"""Notifications in the app: a section on every member's dashboard, the full list, "mark read";
and the e-mail of what a request notified, sent once the request's work is committed."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from hansyn.db import storable_id
from hansyn.platform.models import Role
from hansyn.platform.pagination import page_cursor
from hansyn.platform.request_db import databases, tenant_db
from hansyn.tenants.context import Member, current_member, requires_role
from hansyn.tenants.menu import (
    DashboardSection,
    Link,
    register_dashboard_section,
    register_menu_item,
)
from hansyn.tenants.notifications import operations as ops

bp = Blueprint("notifications", __name__)

PAGE_SIZE = 30
DASHBOARD_ITEMS = 5


@bp.route("/")
@requires_role(*Role)
def index() -> str:
    """Every member's own list: each sees what is addressed to their roles."""
    member = current_member()
    page, shown = ops.notification_page(tenant_db(), member, page_cursor(), PAGE_SIZE)
    return render_template(
        "tenants/notifications/index.html",
        page=page,
        shown=shown,
        unread=ops.count_for(tenant_db(), member, unread_only=True),
    )


@bp.route("/read", methods=["POST"])
@requires_role(*Role)
def mark_read() -> Response:
    """Mark one notification (`id`) or all of the member's notifications read."""
    member = current_member()
    chosen = storable_id(request.form.get("id"))
    ops.mark_read(tenant_db(), member, [chosen] if chosen else None)
    back = request.form.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(url_for(".index"))


def _section(member: Member) -> DashboardSection:
    session = tenant_db()
    unread = ops.notifications_for(session, member, unread_only=True, limit=DASHBOARD_ITEMS)
    count = ops.count_for(session, member, unread_only=True)
    items = [Link(s.text, s.link) for s in unread]
    everything = url_for("tenant.notifications.index")
    items.append(Link(_("Alla notiser (%(count)s olästa)", count=count), everything))
    return DashboardSection("notifications", _("Notiser"), items=items)


@bp.teardown_app_request
def _send_queued(error: BaseException | None) -> None:
    """After a request that notified and committed: send the e-mail. A failure here is logged
    and retried by `hansyn notifications send`; it never changes the answer already given."""
    if error is not None or not g.get("notifications_queued") or "tenant" not in g:
        return
    try:
        ops.deliver_pending(databases(), g.tenant.slug, g.tenant.id)
    except Exception:
        current_app.logger.exception("notification e-mail not sent")


register_menu_item("tenant.notifications.index", _l("Notiser"), *Role, order=990)
register_dashboard_section("notifications", _section, order=10)
