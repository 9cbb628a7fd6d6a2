"""Every tenant page, registered under `/<tenant>`. Add a domain's blueprint here."""

from flask import Blueprint

from hansyn.tenants.context import make_tenant_blueprint
from hansyn.tenants.dashboard.views import bp as dashboard_bp


def tenant_blueprint() -> Blueprint:
    bp = make_tenant_blueprint()
    bp.register_blueprint(dashboard_bp)
    return bp
