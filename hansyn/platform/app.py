"""The application factory: reads like a table of contents of the web app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, g, has_request_context, session
from flask_babel import get_locale, to_user_timezone
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from hansyn.db import MAX_ID, Databases
from hansyn.platform import api, errors, fast_translations, request_db
from hansyn.platform.account import bp as account_bp
from hansyn.platform.auth import bp as platform_bp
from hansyn.platform.auth import user_tenants
from hansyn.platform.config import load_config
from hansyn.platform.extensions import babel, csrf, login_manager
from hansyn.platform.mfa_views import bp as mfa_bp
from hansyn.platform.oidc import bp as oidc_bp
from hansyn.platform.public import bp as public_bp
from hansyn.platform.security import add_security_headers
from hansyn.platform.session_cookie import RollingSessionInterface
from hansyn.tenants.blueprints import public_blueprints, tenant_blueprint


def select_locale() -> str:
    """The member's saved choice, then this browser's choice, then Swedish."""
    languages = ("sv", "en")
    if not has_request_context():
        return "sv"
    for chosen in (g.get("api_locale"), g.get("api_user_locale")):  # API: header, then the key's
        if chosen in languages:
            return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    if session.get("locale") in languages:
        return str(session["locale"])
    return "sv"


def template_helpers() -> dict[str, Any]:
    from hansyn.tenants.menu import dashboard_sections, role_label, tenant_menu

    return {
        # an error page about a database that cannot serve must not ask it for the menu
        "nav_tenants": (
            user_tenants()
            if current_user.is_authenticated and not g.get("database_unavailable")
            else []
        ),
        "tenant_menu": tenant_menu,
        "dashboard_sections": dashboard_sections,
        "role_label": role_label,
        "current_locale": lambda: str(get_locale() or "sv"),
    }


def local_time(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time as clocks in Sweden show it (BABEL_DEFAULT_TIMEZONE), for templates."""
    return to_user_timezone(moment).strftime(pattern)


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every URL: a number no row can have (beyond 64 bits) is 404, not a crash."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    config = load_config(test_config)
    app = Flask(
        "hansyn",
        instance_path=str(config["INSTANCE_PATH"]),
        template_folder="templates",
        static_folder="static",
    )
    app.config.update(config)
    app.session_interface = RollingSessionInterface()
    app.url_map.converters["int"] = DatabaseIdConverter

    # 1. Databases: the control plane and the tenant engines, request-scoped sessions.
    databases = Databases(app.config["DATABASE_URL"], app.config["INSTANCE_PATH"])
    request_db.init_app(app, databases)

    # 2. Security: CSRF on every form, login, hardening headers.
    csrf.init_app(app)
    login_manager.init_app(app)
    # Hänsyn binds each session to its browser itself (auth.guard_signed_in_request): flask-login's
    # "strong" mode only marks a permanent session "not fresh" when the browser changes.
    login_manager.session_protection = None
    app.after_request(add_security_headers)
    if app.config["PROXY_HOPS"]:
        # Client address and scheme from X-Forwarded-For/-Proto, only as set by that many
        # proxies in front of us; without this setting those headers are ignored.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    # 3. Language: Swedish first, English second.
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    fast_translations.install(app)

    # 4. Pages: the platform shell and its public pages, then every tenant page under /<tenant>.
    app.register_blueprint(platform_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(mfa_bp)
    app.register_blueprint(oidc_bp)
    app.register_blueprint(tenant_blueprint())
    for public in public_blueprints():
        app.register_blueprint(public)
    errors.init_app(app)

    # 5. The JSON API under /api/v1/<tenant>, its OpenAPI document and docs page.
    api.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(template_helpers)
    app.add_template_filter(local_time, "local")

    # 6. Command line.
    from hansyn.platform.cli import register_commands

    register_commands(app)
    return app
