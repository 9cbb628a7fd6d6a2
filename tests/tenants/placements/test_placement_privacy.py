"""What a supplier sees of the people it employs through a clause: its own employee by the name
consent released to it for the hire (while that consent holds), otherwise by pseudonym; the terms
of the employment — never the wage subsidy (some imply health data), the target group, contact
details or anything else from the candidate's file.

Every page of the placements blueprint a supplier can open is rendered, in both languages, with
an employee whose personal data is distinctive and a subsidy recorded by the municipality.
"""

from __future__ import annotations

from datetime import date

import pytest

from hansyn.tenants.placements import labels
from hansyn.tenants.placements.models import WageSubsidy
from tests.fixtures.placements import ACTOR, load_placement, terms
from tests.fixtures.platform import unique


def _personal(marker: str) -> dict[str, str]:
    return {
        "name": f"Zlatanina Qvarnström-{marker}",
        "email": f"zlatanina.{marker}@hemlig-post.se",
        "phone": "073-918 27 36",
        "reference": f"AME-HEMLIG-{marker}",
        "notes": f"Anteckning om hälsa {marker}",
        "programme": "forsorjningsstod",
    }


@pytest.fixture
def employee(app, create_placement, placement_db):
    marker = unique("p")
    personal = _personal(marker)
    hire = create_placement(candidate=personal)
    from hansyn.tenants.placements import operations as ops

    with placement_db() as session:
        placement = load_placement(session, hire.placement_id)
        ops.update_placement(
            session, placement, terms(wage_subsidy=WageSubsidy.LONEBIDRAG_TRYGGHET), ACTOR,
            today=date(2026, 2, 1),
        )
        ops.add_suspension(session, placement, date(2026, 4, 1), date(2026, 4, 30), ACTOR)
        suspension_id = placement.suspensions[0].id
    return hire, personal, suspension_id


def _supplier_urls(app, hire, suspension_id: int) -> list[str]:
    args = {
        "placement_id": hire.placement_id,
        "contract_id": hire.contract_id,
        "suspension_id": suspension_id,
        "case_id": hire.case_id,  # hired already: the hire form leads to the placement
        "year": 2026,
        "quarter": 1,
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("tenant.placements.") or "GET" not in rule.methods:
            continue
        values = {"tenant": "alfa", **{k: args[k] for k in rule.arguments - {"tenant"}}}
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def _forbidden(personal: dict[str, str], name: bool) -> list[str]:
    words = [v for k, v in personal.items() if k != "programme" and (name or k != "name")]
    words += ["Försörjningsstöd", "forsorjningsstod"]
    for language in ("sv", "en"):
        from flask_babel import force_locale

        with force_locale(language):
            words += [str(label) for label in labels.SUBSIDY_LABELS.values()]
    words += ["Lönebidrag", "lonebidrag", "Anställningsstöd", "Wage subsidy", "wage_subsidy"]
    return words


def _withdraw_consent(app, candidate_id: int) -> None:
    from hansyn.tenants.candidates import operations as candidate_ops
    from hansyn.tenants.candidates.models import Candidate

    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate_ops.record_consent(session, session.get(Candidate, candidate_id), False, ACTOR)


@pytest.mark.parametrize(
    ("language", "consent"), [("sv", False), ("en", False), ("sv", True), ("en", True)]
)
def test_no_personal_data_or_subsidy_on_any_supplier_page(
    app, login, employee, language, consent
):
    hire, personal, suspension_id = employee
    if not consent:
        _withdraw_consent(app, hire.candidate_id)
    client = login(alfa=[("supplier", hire.supplier_id)])
    client.post_form("/language", {"language": language, "next": "/"})
    urls = _supplier_urls(app, hire, suspension_id)
    assert len(urls) >= 6
    with app.test_request_context():
        forbidden = _forbidden(personal, name=not consent)
    checked = 0
    for url in [*urls, "/alfa/", "/alfa/vacancies/"]:
        page = client.get(url, follow_redirects=True)
        assert page.status_code == 200, url
        for word in forbidden:
            assert word not in page.text, f"{word!r} on {url}"
        checked += 1
    assert checked == len(urls) + 2
    # the supplier does see its employee and the terms it agreed: by the name consent released
    # for the hire while consent holds, by pseudonym once it is withdrawn
    page = client.get(f"/alfa/placements/{hire.placement_id}")
    assert "K-" in page.text
    assert (personal["name"] in page.text) is consent
    assert "2026-04-01 – 2026-04-30" in page.text


def test_the_staff_see_the_subsidy(login, employee):
    hire, personal, _suspension = employee
    page = login(alfa=["coordinator"]).get(f"/alfa/placements/{hire.placement_id}")
    assert "Lönebidrag för trygghet i anställning" in page.text
    assert personal["name"] in page.text


def test_every_name_shown_is_audited(app, login, employee, placement_db):
    from sqlalchemy import select

    from hansyn.tenants.audit.models import AuditEvent

    hire, _personal_data, _suspension = employee
    client = login(alfa=[("supplier", hire.supplier_id)])
    client.get(f"/alfa/placements/contracts/{hire.contract_id}")
    with placement_db() as session:
        rows = session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_type == "candidate",
                AuditEvent.subject_id == hire.candidate_id,
                AuditEvent.purpose == f"follow-up {hire.contract_id}",
            )
        ).all()
    assert [(r.action, r.supplier_id) for r in rows] == [("view", hire.supplier_id)]
