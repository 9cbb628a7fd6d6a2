"""Browser tests: Debian's Chromium driven by Playwright against Hänsyn served by gunicorn on
127.0.0.1, with the demo data loaded (`hansyn demo`), on SQLite or — when HANSYN_DATABASE_URL
names a server — PostgreSQL.

Every page a test looks at goes through `Visitor.check`: a screenshot, axe-core's WCAG 2.1 A/AA
rules (0 violations) and the page at 375 px wide without sideways scrolling (another screenshot,
axe again). Screenshots go to `test-artifacts/browser/<test>/` (HANSYN_TEST_ARTIFACTS moves it).

Without Chromium at /usr/bin/chromium (HANSYN_CHROMIUM names another) the tests are skipped with
that reason; with HANSYN_REQUIRE_BROWSER=1 (CI) a missing browser is an error instead.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.platform import postgres_server_url, throwaway_database
from tests.fixtures.served import DEMO_PASSWORD, Server, hansyn_env, run_hansyn, start_gunicorn

REPOSITORY = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("HANSYN_CHROMIUM", "/usr/bin/chromium"))
#: As issue 13 asks: headless, no sandbox (root in CI), nothing that calls home.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 812}


def artifacts_root() -> Path:
    root = os.environ.get("HANSYN_TEST_ARTIFACTS") or REPOSITORY / "test-artifacts"
    return Path(root) / "browser"


def why_no_browser() -> str | None:
    """None when the browser tests can run, else the reason they cannot."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make install)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = why_no_browser()
    if reason is None:
        return
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.path)).parents]
    if ours and os.environ.get("HANSYN_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"browser tests required (HANSYN_REQUIRE_BROWSER) but {reason}")
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            # The browser's own language decides the order of a date field's parts: fixed, so
            # that a test typing a date with the keyboard types it in the same order everywhere.
            env={**os.environ, "LANG": "en_US.UTF-8", "LANGUAGE": "en_US"},
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Hänsyn with the demo loaded, served by gunicorn (two workers) for the whole session."""
    instance = tmp_path_factory.mktemp("browser-instance")
    server_url = postgres_server_url()
    if server_url:
        with throwaway_database(server_url) as url:
            yield from _serve_demo(instance, url)
    else:
        yield from _serve_demo(instance, None)


def _serve_demo(instance: Path, database_url: str | None) -> Iterator[Server]:
    env = hansyn_env(instance, database_url)
    run_hansyn(env, "db", "upgrade")
    run_hansyn(env, "demo")
    server = start_gunicorn(env, instance / "gunicorn.log")
    try:
        yield server
    finally:
        server.stop()


class PageCheckError(AssertionError):
    pass


class Visitor:
    """One person in one browser context: visits pages and checks each one it looks at."""

    def __init__(self, page: Any, base_url: str, artifacts: Path) -> None:
        self.page = page
        self.base_url = base_url
        self.artifacts = artifacts
        self.steps = 0
        self.checked: list[str] = []

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        return response

    def login(self, email: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.follow(self.page.locator("main button[type=submit]"))
        assert "/login" not in self.page.url, f"{email} could not log in"

    def follow(self, target: Any) -> None:
        """Click a link or submit button and wait until the page it leads to has loaded.

        A bare `click()` returns once the navigation has started, so the next assertion could read
        the page being left (a form posted back to its own URL looks unchanged until the answer
        arrives): a CI run once read an error summary before the refused form had come back.
        """
        with self.page.expect_navigation():
            target.click()

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    def check(self, step: str) -> None:
        """Screenshot, axe-core and the 375 px check of the page as it is now."""
        from tests.browser import axe

        self.steps += 1
        name = f"{self.steps:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower()).strip('-')}"
        self.page.wait_for_load_state()
        self.page.screenshot(path=self.artifacts / f"{name}.png", full_page=True)
        problems = self.structure_problems()
        if found := axe.violations(self.page):
            problems.append(f"axe-core at {DESKTOP['width']} px:\n{axe.describe(found)}")
        self.page.set_viewport_size(NARROW)
        try:
            self.page.screenshot(path=self.artifacts / f"{name}-375.png", full_page=True)
            if overflow := self.sideways_overflow():
                problems.append(f"scrolls sideways at 375 px: {overflow}")
            if found := axe.violations(self.page):
                problems.append(f"axe-core at 375 px:\n{axe.describe(found)}")
        finally:
            self.page.set_viewport_size(DESKTOP)
        self.checked.append(self.path())
        if problems:
            raise PageCheckError(f"{step} ({self.path()}):\n" + "\n".join(problems))

    def structure_problems(self) -> list[str]:
        """What the accessibility statement promises of every page and axe-core does not check:
        a skip link first that leads to the main content, and every help text and error message
        of a form tied to its field (`aria-describedby`)."""
        return self.page.evaluate(  # type: ignore[no-any-return]
            """() => {
              const problems = [];
              const first = document.querySelector('a[href], button, input, select, textarea');
              const main = document.querySelector('main#main');
              if (!first || !first.classList.contains('skip-link')
                  || first.getAttribute('href') !== '#main' || !main)
                problems.push('the first focusable element is not a skip link to main#main');
              const described = new Set([...document.querySelectorAll('[aria-describedby]')]
                .flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/)));
              for (const note of document.querySelectorAll('form .help, form .error')) {
                if (!note.id || !described.has(note.id))
                  problems.push('not tied to a field by aria-describedby: '
                                + note.outerHTML.slice(0, 160));
              }
              return problems;
            }"""
        )

    def sideways_overflow(self) -> str | None:
        """None when the page is no wider than the window, else what sticks out."""
        return self.page.evaluate(  # type: ignore[no-any-return]
            """() => {
              const view = document.documentElement.clientWidth;
              if (document.documentElement.scrollWidth <= view) return null;
              const scrolls = e =>
                ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX);
              const inside = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                if (scrolls(p)) return true; } return false; };
              const wide = [...document.body.querySelectorAll('*')].filter(
                e => e.getBoundingClientRect().right > view + 1 && !inside(e));
              const top = wide.filter(e => !wide.includes(e.parentElement)).slice(0, 5);
              return `${document.documentElement.scrollWidth} px wide: ` + top.map(e =>
                `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}` +
                `${e.className ? '.' + String(e.className).split(' ').join('.') : ''}` +
                ` (${Math.round(e.getBoundingClientRect().right)} px)`).join(', ');
            }"""
        )


@pytest.fixture
def visit(
    chromium: Any, site: Server, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Visitor]]:
    """`visit("coordinator@goteborg.example")`: a new browser context, logged in (or not, with
    None); screenshots under test-artifacts/browser/<test>/<person>/."""
    test_dir = artifacts_root() / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    shutil.rmtree(test_dir, ignore_errors=True)
    contexts: list[Any] = []

    def factory(email: str | None, locale: str = "sv-SE") -> Visitor:
        context = chromium.new_context(viewport=DESKTOP, locale=locale)
        # generous: the suite shares two cores with the rest of the tests
        context.set_default_timeout(45_000)
        contexts.append(context)
        artifacts = test_dir / re.sub(r"[^a-z0-9]+", "-", (email or "anonymous").split(".")[0])
        artifacts.mkdir(parents=True, exist_ok=True)
        visitor = Visitor(context.new_page(), site.base_url, artifacts)
        if email:
            visitor.login(email)
        return visitor

    yield factory
    for context in contexts:
        context.close()
