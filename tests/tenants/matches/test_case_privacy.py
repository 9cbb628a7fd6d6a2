"""No supplier page, JSON answer or e-mail shows who a candidate is before the candidate consented
for that case, or after the consent was withdrawn; and no e-mail to anyone ever names them.

The candidate's personal data is distinctive, so that finding any of it anywhere is certain."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from hansyn.tenants.matches.models import Case, CaseState
from tests.fixtures.mail import body
from tests.fixtures.platform import unique


def _personal(marker: str) -> dict[str, str]:
    digits = f"{uuid.uuid4().int % 10**7:07d}"
    return {
        "name": f"Xenodokia Påhlsson-{marker}",
        "email": f"xenodokia.{marker}@hemlig-post.se",
        "phone": f"073-{digits[:3]} {digits[3:5]} {digits[5:7]}",
        "reference": f"AME-HEMLIG-{marker}",
        "notes": f"Anteckning om hälsa {marker}",
    }


def _supplier_pages(setup) -> list[str]:
    base = f"/alfa/vacancies/{setup.contract_id}/{setup.vacancy_id}"
    case = f"/alfa/cases/{setup.case_id}"
    return [
        "/alfa/",
        "/alfa/cases/",
        "/alfa/cases/?state=open",
        f"/alfa/cases/?vacancy={setup.vacancy_id}",
        case,
        f"{case}/move/interview",
        f"{case}/move/refused",
        "/alfa/notifications/",
        base,
        f"{base}/candidates",
        f"{base}/candidates.json",
    ]


def _state(app, case_id: int) -> CaseState:
    with app.extensions["hansyn_databases"].tenant_session("alfa") as session:
        return session.scalar(select(Case.state).where(Case.id == case_id))


def _assert_hidden(client, setup, secrets: list[str], when: str) -> None:
    for url in _supplier_pages(setup):
        response = client.get(url)
        assert response.status_code == 200, f"{url} {when}"
        for secret in secrets:
            assert secret not in response.text, f"{secret!r} on {url} {when}"


def test_a_suppliers_pages_and_mail_name_nobody_before_consent_or_after_withdrawal(
    app, login, create_user, create_case, mailbox
):
    marker = unique("p")
    personal = _personal(marker)
    setup = create_case(
        "alfa", CaseState.REQUESTED,
        candidate={**personal, "place": "Olofstorp", "programme": "etablering"},
    )
    supplier_user = create_user(alfa=[("supplier", setup.supplier_id)])
    supplier = login(supplier_user)
    coordinator_user = create_user(alfa=["coordinator"])
    coordinator = login(coordinator_user)
    always_hidden = [
        personal["reference"], personal["notes"], "AME-HEMLIG", "Olofstorp",
        "Etableringsprogrammet", f"/candidates/{setup.candidate_id}",
    ]
    identity = [personal["name"], personal["email"], personal["phone"], "Xenodokia", "hemlig-post"]
    case = f"/alfa/cases/{setup.case_id}"

    _assert_hidden(supplier, setup, identity + always_hidden, "when requested")
    coordinator.post_form(f"{case}/move/consent_asked", {"note": personal["name"]})
    assert _state(app, setup.case_id) is CaseState.CONSENT_ASKED
    _assert_hidden(supplier, setup, identity + always_hidden, "while consent is asked")

    coordinator.post_form(
        f"{case}/move/consented",
        {"consent_on": date.today().isoformat(), "consent_channel": "in_person", "confirm": "y"},
    )
    assert _state(app, setup.case_id) is CaseState.CONSENTED
    released = supplier.get(case).text
    assert personal["name"] in released
    assert personal["phone"] in released
    assert personal["email"] in released
    for secret in always_hidden:
        assert secret not in released
    for url in _supplier_pages(setup):  # other pages keep to the pseudonym or the name only
        for secret in always_hidden:
            assert secret not in supplier.get(url).text, f"{secret!r} on {url} after consent"

    withdraw = coordinator.post_form(
        f"/alfa/candidates/{setup.candidate_id}/consent", {"given": "no"}
    )
    assert withdraw.status_code == 302
    assert _state(app, setup.case_id) is CaseState.WITHDRAWN
    _assert_hidden(supplier, setup, identity + always_hidden, "after consent was withdrawn")

    to_supplier = mailbox.to(supplier_user.email)
    assert len(to_supplier) >= 3  # consent asked, consented, withdrawn
    to_coordinator = mailbox.to(coordinator_user.email)
    for message in to_supplier + to_coordinator:
        text = body(message) + str(message["Subject"])
        for secret in identity + always_hidden:
            assert secret not in text, f"{secret!r} in an e-mail"
    for message in to_supplier:
        pseudonym_free = body(message)
        assert "K-" not in pseudonym_free  # not even the pseudonym leaves by e-mail


def test_a_case_in_another_state_shows_no_name_either(app, login, create_case):
    for state in (CaseState.PROPOSED, CaseState.DECLINED, CaseState.REFUSED, CaseState.OBSOLETE):
        personal = _personal(unique("q"))
        setup = create_case("alfa", state, candidate=personal)
        supplier = login(alfa=[("supplier", setup.supplier_id)])
        _assert_hidden(supplier, setup, list(personal.values()), f"in {state}")
