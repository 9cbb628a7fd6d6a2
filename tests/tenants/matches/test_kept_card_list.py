"""The supplier's ranked cards are rendered once per kept ranking and kept in the process
(`matches.cards.kept_card_list`): what each reader gets must still be their own page."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from hansyn.tenants.audit.models import AuditEvent
from tests.fixtures.candidates import free_skill
from tests.fixtures.vacancies import new_vacancy_row

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PSEUDONYM = re.compile(r'name="pseudonym" value="(K-[0-9A-F]{6})"')
SHOWN = re.compile(r'<h2 class="pseudonym">(K-[0-9A-F]{6})</h2>')


def _audited(app, vacancy: int) -> int:
    databases = app.extensions["hansyn_databases"]
    with app.app_context(), databases.tenant_session("alfa") as session:
        return session.scalar(
            select(func.count()).select_from(AuditEvent).where(
                AuditEvent.purpose == f"supplier list {vacancy}"
            )
        )


def test_each_reader_of_a_kept_list_gets_their_own_token_audit_and_fresh_candidates(
    app, login, create_supplier_with_contract, create_candidate
):
    special = free_skill()  # no other test's candidates match it
    for _ in range(2):
        create_candidate("alfa", consent=True, skills=[special])
    setup = create_supplier_with_contract("alfa")
    vacancy = new_vacancy_row(app, "alfa", setup.contract_id, required_skills=[special])
    page = f"/alfa/vacancies/{setup.contract_id}/{vacancy}/candidates"
    first, second = (login(alfa=[("supplier", setup.supplier_id)]) for _ in range(2))

    first_page, second_page = first.get(page).text, second.get(page).text
    assert PSEUDONYM.findall(first_page) == PSEUDONYM.findall(second_page) != []
    first_tokens, second_tokens = set(TOKEN.findall(first_page)), set(TOKEN.findall(second_page))
    assert len(second_tokens) == 1
    assert first_tokens != second_tokens
    assert _audited(app, vacancy) == 2 * len(PSEUDONYM.findall(first_page))

    pseudonym = PSEUDONYM.findall(second_page)[0]
    meet = page.replace("/candidates", "/meet")
    foreign = second.post(meet, data={"csrf_token": first_tokens.pop(), "pseudonym": pseudonym})
    assert foreign.status_code == 400
    own = second.post(meet, data={"csrf_token": second_tokens.pop(), "pseudonym": pseudonym})
    assert own.status_code == 302
    asked = first.get(page).text
    assert "Möte efterfrågat" in asked
    assert pseudonym not in PSEUDONYM.findall(asked)  # no second "ask to meet" form

    before = set(SHOWN.findall(asked))
    create_candidate("alfa", consent=True, skills=[special])  # the change counter moves
    assert set(SHOWN.findall(first.get(page).text)) - before  # a kept list would not show them
