"""Every tenant page, registered under `/<tenant>`. Add a domain's blueprint here."""

from flask import Blueprint

from hansyn.tenants.candidates.views import bp as candidates_bp
from hansyn.tenants.context import make_tenant_blueprint
from hansyn.tenants.contracts.views import bp as contracts_bp
from hansyn.tenants.dashboard.views import bp as dashboard_bp
from hansyn.tenants.labels import display_key, display_text
from hansyn.tenants.matches.case_views import bp as cases_bp
from hansyn.tenants.matches.views import bp as matches_bp
from hansyn.tenants.members.views import bp as members_bp
from hansyn.tenants.notifications.views import bp as notifications_bp
from hansyn.tenants.placements.views import bp as placements_bp
from hansyn.tenants.procurements.views import bp as procurements_bp
from hansyn.tenants.programmes.views import bp as programmes_bp
from hansyn.tenants.statistics.opendata import bp as opendata_bp
from hansyn.tenants.statistics.views import bp as statistics_bp
from hansyn.tenants.suppliers.views import bp as suppliers_bp
from hansyn.tenants.tokens.views import bp as tokens_bp
from hansyn.tenants.vacancies.views import bp as vacancies_bp


def tenant_blueprint() -> Blueprint:
    bp = make_tenant_blueprint()
    # stored skills, languages and licences as shown: {{ text|term }}, {{ key|term_key(text) }}
    bp.add_app_template_filter(display_text, "term")
    bp.add_app_template_filter(display_key, "term_key")
    bp.register_blueprint(dashboard_bp)
    bp.register_blueprint(candidates_bp, url_prefix="/candidates")
    bp.register_blueprint(programmes_bp, url_prefix="/programmes")
    bp.register_blueprint(suppliers_bp, url_prefix="/suppliers")
    bp.register_blueprint(contracts_bp, url_prefix="/contracts")
    bp.register_blueprint(vacancies_bp, url_prefix="/vacancies")
    # the ranked candidates of a vacancy stay at /vacancies/<contract>/<vacancy>/candidates
    bp.register_blueprint(matches_bp, url_prefix="/vacancies")
    bp.register_blueprint(members_bp, url_prefix="/users")
    bp.register_blueprint(placements_bp, url_prefix="/placements")
    bp.register_blueprint(procurements_bp, url_prefix="/procurements")
    bp.register_blueprint(statistics_bp, url_prefix="/statistics")
    bp.register_blueprint(cases_bp, url_prefix="/cases")
    bp.register_blueprint(notifications_bp, url_prefix="/notifications")
    bp.register_blueprint(tokens_bp, url_prefix="/tokens")
    return bp


def public_blueprints() -> list[Blueprint]:
    """Pages outside any municipality that need no login: the open data."""
    return [opendata_bp]
