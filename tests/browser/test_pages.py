"""Every page each demo person can reach by following links, in a real browser: axe-core finds no
WCAG 2.1 A/AA violation and nothing scrolls the page sideways at 375 px (`Visitor.check`).

Pages of one shape (`/candidates/3` and `/candidates/4`) are checked once, so the walk stays short
as the demo grows; downloads, the logout button and other people's forms are not followed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import PageCheckError

pytestmark = pytest.mark.xdist_group("browser")

PEOPLE = [f"{role}@goteborg.example" for role in ("coordinator", "supplier", "admin", "analyst")]
NOT_PAGES = re.compile(r"\.(csv|json)$|/export|/suggest/|/static/|/logout")
MOST_PAGES = 90
T = "/goteborg"
#: Pages each person must reach by links in the demo (as `shape` writes them): the walk fails
#: when one drops out of reach instead of checking fewer pages without a word.
FOLLOW_UP = {
    f"{T}/placements/", f"{T}/placements/N", f"{T}/placements/N/edit", f"{T}/placements/hire/N",
    f"{T}/placements/contracts", f"{T}/placements/contracts/N",
    f"{T}/placements/contracts/N/reports/N/N",
}
#: Every person's own pages: the account with its second factor, API keys and the API's docs.
OWN = {"/account", "/account/two-factor", f"{T}/", f"{T}/tokens/", "/api/v1/docs"}
CASES = {f"{T}/cases/", f"{T}/cases/N", f"{T}/cases/N/move/interview", f"{T}/notifications/"}
MUST_REACH = {
    "coordinator": {
        *OWN, f"{T}/candidates/", f"{T}/candidates/new", f"{T}/candidates/N",
        f"{T}/candidates/N/edit", f"{T}/candidates/import", f"{T}/vacancies/N/N/ranking",
        *CASES, *FOLLOW_UP,
    },
    "supplier": {
        *OWN, f"{T}/contracts/N", f"{T}/vacancies/new",
        f"{T}/vacancies/N/N/candidates", *CASES, *FOLLOW_UP,
    },
    "admin": {
        *OWN, f"{T}/candidates/register", f"{T}/candidates/N/rights",
        f"{T}/contracts/N", f"{T}/suppliers/N", f"{T}/users/", f"{T}/users/N/roles",
        f"{T}/procurements/", f"{T}/statistics/", f"{T}/statistics/compare",
        f"{T}/statistics/published/N", *CASES, *FOLLOW_UP,
    },
    "analyst": {
        *OWN, f"{T}/statistics/", f"{T}/statistics/compare",
        f"{T}/statistics/published", f"{T}/procurements/", "/open-data/",
    },
}


def shape(path: str) -> str:
    return re.sub(r"/\d+", "/N", path)


def reachable_links(visitor) -> list[str]:
    hrefs = visitor.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != visitor.base_url or NOT_PAGES.search(url.path):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


@pytest.mark.parametrize("email", PEOPLE)
def test_every_page_a_person_reaches_passes_axe_and_fits_375_px(visit, email):
    visitor = visit(email)
    queue = [visitor.path(), "/account", "/tillganglighet"]
    seen: set[str] = set()
    problems: list[str] = []
    while queue and len(seen) < MOST_PAGES:
        path = queue.pop(0)
        if shape(urlsplit(path).path) in seen:
            continue
        seen.add(shape(urlsplit(path).path))
        response = visitor.goto(path)
        if response.status != 200:
            problems.append(f"{path} answered {response.status}")
            continue
        try:
            visitor.check(path)
        except PageCheckError as problem:  # every page's problems in one report
            problems.append(str(problem))
        queue.extend(reachable_links(visitor))
    assert not problems, "\n\n".join(problems)
    assert len(seen) < MOST_PAGES, "the walk stopped early: raise MOST_PAGES"
    assert not MUST_REACH[email.split("@")[0]] - seen, sorted(seen)


def test_pages_before_login_and_in_english(visit):
    visitor = visit(None)
    for path in ("/login", "/password/forgot", "/tillganglighet"):
        visitor.goto(path)
        visitor.check(path)
    visitor.follow(visitor.page.get_by_role("button", name="English"))
    assert visitor.page.get_attribute("html", "lang") == "en"
    visitor.check("accessibility statement in English")
    visitor.goto("/login")
    visitor.follow(visitor.page.get_by_role("button", name="Log in"))
    assert visitor.page.locator(".error-summary").is_visible()
    visitor.check("login refused in English")
