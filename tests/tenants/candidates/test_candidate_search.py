"""The coordinator's candidate list and the admin's register: search by name or reference,
programme, skill, place and state, one page at a time (keyset pagination), each person shown
audited and nobody shown twice or skipped across pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from hansyn.platform.pagination import PAGE_SIZE
from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates.models import CandidateStatus
from tests.fixtures.candidates import unique

ROW = re.compile(r'href="/alfa/candidates/(\d+)"')
NEXT = re.compile(r'href="([^"]+)" rel="next"')


def _listed(html: str) -> set[int]:
    return {int(found) for found in ROW.findall(html)}


def test_search_by_name_reference_skill_place_and_state(app, login, create_candidate):
    surname = unique("Öberg")
    åsa = create_candidate("alfa", name=f"Åsa {surname}", place="Kungälv")
    paused = CandidateStatus.PAUSED
    welder = create_candidate("alfa", name=f"Bo {surname}", skills=["Svetsning"], status=paused)
    other = create_candidate("alfa", name=f"Cecilia {unique('X')}", reference=unique("REF-"))
    client = login(alfa=["coordinator"])

    assert _listed(client.get(f"/alfa/candidates/?q={surname.lower()}").text) == {åsa, welder}
    assert _listed(client.get(f"/alfa/candidates/?q=åsa {surname}").text) == {åsa}
    assert {welder} == _listed(client.get(f"/alfa/candidates/?q={surname}&kompetens=svets").text)
    assert {åsa} == _listed(client.get(f"/alfa/candidates/?q={surname}&ort=kungä").text)
    assert {welder} == _listed(client.get(f"/alfa/candidates/?q={surname}&status=paused").text)
    none = client.get(f"/alfa/candidates/?q={surname}&kompetens=%25").text  # a literal %
    assert _listed(none) == set()
    assert "Ingen arbetssökande matchar sökningen." in none
    assert other not in _listed(client.get(f"/alfa/candidates/?q={surname}").text)


def test_filter_by_programme_and_nonsense_arguments_are_ignored(app, login, create_candidate):
    name = unique("Programmatisk")
    jobbtorg = create_candidate("alfa", name=name, programme="jobbtorg")
    client = login(alfa=["coordinator"])
    page = client.get(f"/alfa/candidates/?q={name}&program=99999999999999999999&status=x")
    assert page.status_code == 200
    assert _listed(page.text) == {jobbtorg}


def test_pages_cover_every_match_once_and_audit_what_they_show(app, login, create_candidate):
    name = unique("Sidvis")
    made = {create_candidate("alfa", name=f"{name} {i}") for i in range(PAGE_SIZE + 3)}
    client = login(alfa=["admin"])
    url, seen, pages = f"/alfa/candidates/register?q={name}", [], 0
    while url:
        html = client.get(url.replace("&amp;", "&")).text
        ids = [int(found) for found in re.findall(r"/alfa/candidates/(\d+)/log", html)]
        seen += ids
        pages += 1
        following = NEXT.search(html)
        url = following[1] if following else ""
    assert pages == 2
    assert sorted(seen) == sorted(made)  # none twice, none skipped
    assert "Första sidan" in html
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        audited = set(session.scalars(
            select(AuditEvent.subject_id).where(AuditEvent.purpose == "register list")
        ))
    assert made <= audited


def test_a_tampered_cursor_gives_the_first_page(app, login, create_candidate):
    name = unique("Markör")
    made = create_candidate("alfa", name=name)
    client = login(alfa=["coordinator"])
    # not base64, an empty list, a text for the integer key, an id beyond 64 bits, a NUL
    for cursor in ("x", "W10", "WyJhIl0", "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5XQ", "%00"):
        page = client.get(f"/alfa/candidates/?q={name}&efter={cursor}")
        assert page.status_code == 200
        assert _listed(page.text) == {made}
