"""The tenant's start page: one section per role the member holds."""

from __future__ import annotations

from flask import Blueprint, render_template

from hansyn.tenants.context import current_member, current_tenant

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index() -> str:
    return render_template(
        "tenants/dashboard.html", tenant=current_tenant(), member=current_member()
    )
