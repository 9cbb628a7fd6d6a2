"""The tenant's start page: one section per role the member holds."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _

from hansyn.platform.models import Role
from hansyn.tenants.context import Member, current_member, current_tenant
from hansyn.tenants.menu import DashboardSection, register_dashboard_section

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index() -> str:
    return render_template(
        "tenants/dashboard.html", tenant=current_tenant(), member=current_member()
    )


def _analyst_section(member: Member) -> DashboardSection | None:
    if not member.has(Role.ANALYST, Role.ADMIN):
        return None
    return DashboardSection(
        "statistics", _("Statistik"), empty=_("Ingen statistik publicerad ännu.")
    )


register_dashboard_section("statistics", _analyst_section, order=900)
