"""Test fixtures shared by the whole suite.

The app and its two tenants (`alfa`, `beta`) are built once per test session — on SQLite in a
temporary instance folder, or on PostgreSQL in a throwaway database when HANSYN_DATABASE_URL
points at a server (as CI does). Tests isolate themselves by creating their own rows through the
factory fixtures (unique e-mail addresses and names), never by rebuilding the schema.

Domain factories live in `tests/fixtures/<domain>.py`; every module there is loaded as a plugin.
A module may also define `isolation_args(app, slug) -> dict[endpoint, url_args]`, which the
route-loop isolation test uses to build a URL in another tenant for each of its endpoints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import tests.hypothesis_budget  # noqa: F401 (loads the hypothesis profile)

pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)


@pytest.fixture(autouse=True)
def _index_builds_are_awaited(monkeypatch: pytest.MonkeyPatch) -> None:
    """In process, a request waits for a tenant's index build as long as it takes: on a loaded
    2-core machine a first build can outlast the 3 s production wait, and a 503 there would fail a
    test about something else. The wait itself is tested with its own short value
    (tests/tenants/matches/test_matching_index.py, tests/platform/test_api.py)."""
    from hansyn.tenants.matches import index as matching_index

    monkeypatch.setattr(matching_index, "INDEX_WAIT_SECONDS", 120.0)
