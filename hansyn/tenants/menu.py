"""The tenant's navigation and dashboard, assembled from what each domain registers.

A domain adds its menu entries with `register_menu_item` and its dashboard section with
`register_dashboard_section`, both at import time of its views module; the templates only loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import request, url_for
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from hansyn.platform.models import Role
from hansyn.tenants.context import Member, current_member, current_tenant

ROLE_LABELS = {
    Role.ADMIN: _l("administratör"),
    Role.COORDINATOR: _l("handläggare"),
    Role.SUPPLIER: _l("leverantör"),
    Role.ANALYST: _l("analytiker"),
}


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: LazyString
    roles: frozenset[Role]
    order: int = 100


@dataclass(frozen=True)
class Link:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class DashboardSection:
    key: str
    title: str
    items: list[Link] = field(default_factory=list)
    empty: str = ""


SectionProvider = Callable[[Member], DashboardSection | None]
_MENU: list[MenuItem] = []
_SECTIONS: dict[str, tuple[int, SectionProvider]] = {}
#: Built menus by tenant, roles, language and script root (a few dozen at most).
_kept_menus: dict[tuple[object, ...], tuple[Link, ...]] = {}


def register_menu_item(endpoint: str, label: LazyString, *roles: Role, order: int = 100) -> None:
    if all(item.endpoint != endpoint for item in _MENU):
        _MENU.append(MenuItem(endpoint, label, frozenset(roles), order))
        _kept_menus.clear()


def register_dashboard_section(key: str, provider: SectionProvider, order: int = 100) -> None:
    """Register (or replace) the dashboard section `key`."""
    _SECTIONS[key] = (order, provider)


def tenant_menu() -> tuple[Link, ...]:
    """The member's menu, built once per tenant, set of roles, language and script root and
    kept in the process: every tenant page's layout shows it, and a url_for and a translation
    per entry were a tenth of a supplier's ranked page."""
    member = current_member()
    key = (current_tenant().slug, member.roles, str(get_locale()), request.script_root)
    menu = _kept_menus.get(key)
    if menu is None:
        items = sorted((i for i in _MENU if member.has(*i.roles)), key=lambda i: i.order)
        menu = _kept_menus[key] = tuple(Link(str(i.label), url_for(i.endpoint)) for i in items)
    return menu


def dashboard_sections() -> list[DashboardSection]:
    member = current_member()
    ordered = sorted(_SECTIONS.values(), key=lambda entry: entry[0])
    return [s for _order, provider in ordered if (s := provider(member)) is not None]


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[role])
