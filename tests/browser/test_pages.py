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
MOST_PAGES = 60


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
    assert len(seen) >= 4, seen  # the analyst sees the fewest: dashboard, start, account, statement


def test_pages_before_login_and_in_english(visit):
    visitor = visit(None)
    for path in ("/login", "/password/forgot", "/tillganglighet"):
        visitor.goto(path)
        visitor.check(path)
    visitor.page.get_by_role("button", name="English").click()
    visitor.page.wait_for_load_state()
    assert visitor.page.get_attribute("html", "lang") == "en"
    visitor.check("accessibility statement in English")
    visitor.goto("/login")
    visitor.page.get_by_role("button", name="Log in").click()
    assert visitor.page.locator(".error-summary").is_visible()
    visitor.check("login refused in English")
