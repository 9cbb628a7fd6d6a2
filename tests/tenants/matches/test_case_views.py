"""The case pages through real forms with CSRF: the list, one case, moving it, proposing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.matches.models import Case, CaseEvent, CaseReason, CaseState
from tests.fixtures.candidates import free_skill
from tests.fixtures.platform import unique

TODAY = date.today().isoformat()


def _case(app, case_id: int) -> Case:
    with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
        return case


def _events(app, case_id: int) -> list[CaseEvent]:
    with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        rows = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def move(client, case_id: int, state: str, **data: str):
    return client.post_form(f"/alfa/cases/{case_id}/move/{state}", data)


def test_the_coordinator_moves_a_case_to_an_offer_and_the_supplier_follows(
    app, login, create_case
):
    name = unique("Zlatanina Qvarnström ")
    setup = create_case("alfa", CaseState.REQUESTED, candidate={"name": name})
    coordinator = login(alfa=["coordinator"])
    supplier = login(alfa=[("supplier", setup.supplier_id)])

    listing = coordinator.get("/alfa/cases/?state=requested")
    assert name in listing.text
    assert f"/alfa/cases/{setup.case_id}/move/consent_asked" in listing.text

    assert move(coordinator, setup.case_id, "consent_asked").status_code == 302
    page = coordinator.get(f"/alfa/cases/{setup.case_id}/move/consented")
    assert "leverantören se den arbetssökandes namn" in page.text
    refused = move(coordinator, setup.case_id, "consented", consent_on=TODAY)
    assert refused.status_code == 200  # no channel, no confirmation: nothing happens
    assert "Ange hur svaret kom." in refused.text
    assert "Bekräfta att du vill göra detta." in refused.text
    assert _case(app, setup.case_id).state is CaseState.CONSENT_ASKED

    before = supplier.get(f"/alfa/cases/{setup.case_id}").text
    assert name not in before
    done = move(
        coordinator, setup.case_id, "consented", consent_on=TODAY, consent_channel="phone",
        confirm="y", message="Du är välkommen på intervju.", note="Ringde, fick ja.",
    )
    assert done.status_code == 302
    case = _case(app, setup.case_id)
    assert (case.state, case.consent_channel.value) == (CaseState.CONSENTED, "phone")

    after = supplier.get(f"/alfa/cases/{setup.case_id}")
    assert name in after.text
    assert "Ringde, fick ja." not in after.text  # the unit's note stays with the unit
    assert move(supplier, setup.case_id, "interview", interview_on=TODAY).status_code == 302
    assert move(supplier, setup.case_id, "offered").status_code == 302
    offered = supplier.get(f"/alfa/cases/{setup.case_id}")
    assert "Erbjuden anställning" in offered.text
    assert "/move/hired" not in offered.text  # the hire is the placements domain's form
    assert supplier.get(f"/alfa/cases/{setup.case_id}/move/hired").status_code == 404
    assert [e.to_state.value for e in _events(app, setup.case_id)] == [
        "requested", "consent_asked", "consented", "interview", "offered",
    ]
    shown = coordinator.get(f"/alfa/cases/{setup.case_id}").text
    assert "Du är välkommen på intervju." in shown
    assert "Ringde, fick ja." in shown


def test_every_read_of_a_released_name_is_audited_with_the_supplier(app, login, create_case):
    setup = create_case("alfa", CaseState.CONSENTED)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    supplier.get(f"/alfa/cases/{setup.case_id}")
    supplier.get("/alfa/cases/")
    with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        rows = session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_type == "candidate",
                AuditEvent.subject_id == setup.candidate_id,
            )
        ).all()
        release = [(r.action, r.supplier_id) for r in rows if r.action == "release"]
        reads = {
            r.purpose for r in rows if r.action == "view" and r.supplier_id == setup.supplier_id
        }
    assert release == [("release", setup.supplier_id)]
    assert reads == {f"supplier case {setup.case_id}", "supplier case list"}
    log = login(alfa=["admin"]).get(f"/alfa/candidates/{setup.candidate_id}/log").text
    assert "lämnade ut namn och kontakt" in log
    assert "leverantörens ärende" in log


def test_a_refusal_takes_a_reason_and_a_confirmation(app, login, create_case):
    setup = create_case("alfa", CaseState.INTERVIEW)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    form = supplier.get(f"/alfa/cases/{setup.case_id}/move/refused").text
    assert "Kom inte till intervjun" in form
    assert "Inget svar inom tidsfristen" not in form  # the deadline's own reason
    missing = move(supplier, setup.case_id, "refused", confirm="y")
    assert "Välj ett skäl ur listan." in missing.text
    done = move(supplier, setup.case_id, "refused", reason="no_show", confirm="y",
                message="Tyvärr blev det inte du den här gången.")
    assert done.status_code == 302
    case = _case(app, setup.case_id)
    assert (case.state, case.reason_code, case.interview_outcome.value) == (
        CaseState.REFUSED, "no_show", "no_show"
    )
    assert case.decided_at is not None
    assert "Kom inte till intervjun" in supplier.get("/alfa/cases/").text


def test_who_may_do_what_on_the_pages(app, login, create_case):
    setup = create_case("alfa", CaseState.REQUESTED)
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    other = create_case("alfa", CaseState.REQUESTED)
    other_supplier = login(alfa=[("supplier", other.supplier_id)])
    # a supplier may not ask the candidate; the page says so and the POST changes nothing
    page = supplier.get(f"/alfa/cases/{setup.case_id}/move/consent_asked")
    assert "kan inte gå från" in page.text
    refused = move(supplier, setup.case_id, "consent_asked")
    assert refused.status_code == 200
    assert _case(app, setup.case_id).state is CaseState.REQUESTED
    # another supplier's case does not exist for it
    assert other_supplier.get(f"/alfa/cases/{setup.case_id}").status_code == 404
    assert move(other_supplier, setup.case_id, "refused").status_code == 404
    assert str(setup.case_id) not in other_supplier.get("/alfa/cases/").text.split("cases/")[1:]
    # nobody fires "obsolete" or an unknown state by hand
    coordinator = login(alfa=["coordinator"])
    assert coordinator.get(f"/alfa/cases/{setup.case_id}/move/obsolete").status_code == 404
    assert coordinator.get(f"/alfa/cases/{setup.case_id}/move/nonsense").status_code == 404


def test_the_list_filters_by_state_supplier_and_name_and_pages(app, login, create_case):
    name = unique("Örjan Åkesson ")
    first = create_case("alfa", CaseState.REQUESTED, candidate={"name": name})
    second = create_case("alfa", CaseState.CONSENT_ASKED, candidate_id=first.candidate_id)
    coordinator = login(alfa=["coordinator"])
    by_name = coordinator.get("/alfa/cases/", query_string={"q": name.lower()})
    assert by_name.text.count(name) == 2
    by_state = coordinator.get("/alfa/cases/", query_string={"q": name, "state": "requested"})
    assert f"/alfa/cases/{first.case_id}\"" in by_state.text
    assert f"/alfa/cases/{second.case_id}\"" not in by_state.text
    by_supplier = coordinator.get(
        "/alfa/cases/", query_string={"q": name, "supplier": second.supplier_id}
    )
    assert f"/alfa/cases/{second.case_id}\"" in by_supplier.text
    assert f"/alfa/cases/{first.case_id}\"" not in by_supplier.text
    for _ in range(26):
        create_case("alfa", CaseState.REQUESTED, supplier_id=first.supplier_id)
    page_one = coordinator.get("/alfa/cases/", query_string={"supplier": first.supplier_id})
    assert "Nästa sida" in page_one.text
    assert page_one.text.count('<td><a href="/alfa/cases/') == 25
    link = next(part.split('"')[0] for part in page_one.text.split('href="') if "efter=" in part)
    page_two = coordinator.get(link.replace("&amp;", "&"))
    assert page_two.text.count('<td><a href="/alfa/cases/') == 2
    assert "Första sidan" in page_two.text


def test_the_coordinator_proposes_from_the_candidates_page(
    app, login, create_case, create_candidate
):
    setup = create_case("alfa", CaseState.REQUESTED)
    candidate = create_candidate("alfa", consent=True)
    coordinator = login(alfa=["coordinator"])
    profile = coordinator.get(f"/alfa/candidates/{candidate}")
    assert "Föreslå för en annons" in profile.text
    response = coordinator.post_form(
        "/alfa/cases/propose",
        {"candidate_id": candidate, "vacancy_id": setup.vacancy_id, "message": "Passar bra."},
    )
    assert response.status_code == 302
    with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        case = session.scalar(select(Case).where(Case.candidate_id == candidate))
        assert (case.state, case.vacancy_id, case.origin.value) == (
            CaseState.PROPOSED, setup.vacancy_id, "coordinator"
        )
    assert "Föreslagen av kommunen" in coordinator.get(f"/alfa/candidates/{candidate}").text
    again = coordinator.post_form(
        "/alfa/cases/propose", {"candidate_id": candidate, "vacancy_id": setup.vacancy_id},
        follow_redirects=True,
    )
    assert "redan ett ärende för den här annonsen" in again.text
    hidden = create_candidate("alfa", consent=False)
    assert "kan föreslås för en annons när" in coordinator.get(f"/alfa/candidates/{hidden}").text


def test_the_coordinator_proposes_from_the_vacancys_ranking(
    app, login, create_supplier_with_contract, create_vacancy_row, create_candidate
):
    special = free_skill()
    name = unique("Rangordnad Person ")
    candidate = create_candidate("alfa", consent=True, skills=[special], name=name)
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row("alfa", setup.contract_id, required_skills=[special])
    coordinator = login(alfa=["coordinator"])
    url = f"/alfa/vacancies/{setup.contract_id}/{vacancy}/ranking"
    page = coordinator.get(url)
    assert name in page.text
    response = coordinator.post_form(
        "/alfa/cases/propose",
        {"candidate_id": candidate, "vacancy_id": vacancy, "back": url},
    )
    assert response.status_code == 302
    assert "Föreslagen av kommunen" in coordinator.get(url).text
    supplier = login(alfa=[("supplier", setup.supplier_id)])
    assert supplier.get(url).status_code == 403
    assert name not in supplier.get(f"/alfa/vacancies/{setup.contract_id}/{vacancy}").text


def test_the_answer_days_and_retired_reasons(app, login, create_case):
    admin = login(alfa=["admin"])
    assert admin.post_form("/alfa/cases/settings", {"answer_days": "0"}).status_code == 200
    assert admin.post_form("/alfa/cases/settings", {"answer_days": "21"}).status_code == 302
    assert 'value="21"' in admin.get("/alfa/cases/settings").text
    setup = create_case("alfa", CaseState.REFUSED)  # reason "other"
    retire = admin.post_form("/alfa/cases/settings/reasons/other", {"retire": "yes"})
    assert retire.status_code == 302
    try:
        coordinator = login(alfa=["coordinator"])
        offered = create_case("alfa", CaseState.CONSENT_ASKED)
        form = coordinator.get(f"/alfa/cases/{offered.case_id}/move/refused").text
        assert 'value="other"' not in form
        assert "Annat skäl" in coordinator.get(f"/alfa/cases/{setup.case_id}").text
        with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
            assert session.get(CaseReason, "other").retired_at is not None
        assert admin.post_form("/alfa/cases/settings/reasons/no_answer", {}).status_code == 404
    finally:
        admin.post_form("/alfa/cases/settings/reasons/other", {"retire": "no"})
        admin.post_form("/alfa/cases/settings", {"answer_days": "30"})


def test_an_interview_date_may_lie_ahead_but_an_answer_not(app, login, create_case):
    setup = create_case("alfa", CaseState.CONSENT_ASKED)
    coordinator = login(alfa=["coordinator"])
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = move(coordinator, setup.case_id, "consented", consent_on=tomorrow,
                    consent_channel="email", confirm="y")
    assert "Svaret kan inte ha kommit i framtiden." in response.text
    move(coordinator, setup.case_id, "consented", consent_on=TODAY, consent_channel="email",
         confirm="y")
    assert move(coordinator, setup.case_id, "interview", interview_on=tomorrow).status_code == 302
    assert _case(app, setup.case_id).interview_on.isoformat() == tomorrow


def test_each_page_offers_exactly_the_moves_the_table_allows(app, login, create_case):
    """For a case in every state, every role sees links to exactly the targets the transition
    table gives it (the hire goes through the placements form, obsolete is Hänsyn's), and a POST
    to any other target changes nothing."""
    import re

    from hansyn.tenants.matches.models import CaseRole
    from hansyn.tenants.matches.workflow import TRANSITIONS

    admin, coordinator = login(alfa=["admin"]), login(alfa=["coordinator"])
    for state in CaseState:
        setup = create_case("alfa", state)
        clients = {
            CaseRole.ADMIN: admin,
            CaseRole.COORDINATOR: coordinator,
            CaseRole.SUPPLIER: login(alfa=[("supplier", setup.supplier_id)]),
        }
        for role, client in clients.items():
            expected = {
                t.target.value for t in TRANSITIONS
                if t.source is state and role in t.roles
            } - {"hired", "obsolete"}
            page = client.get(f"/alfa/cases/{setup.case_id}").text
            offered = set(re.findall(rf"/alfa/cases/{setup.case_id}/move/(\w+)", page))
            assert offered == expected, (state, role)
            refused = sorted({s.value for s in CaseState} - expected - {"hired", "obsolete"})
            if refused:
                client.post_form(f"/alfa/cases/{setup.case_id}/move/{refused[0]}",
                                 {"reason": "other", "confirm": "y"})
                assert _case(app, setup.case_id).state is state, (state, role, refused[0])
