"""Issue 11, first point: what a coordinator types or imports as a skill never reaches a supplier
unless it cannot identify anyone — through the form, the CSV import, rows already in the
database, the ranked page and its JSON, and the "matched" explanation."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from hansyn.errors import InvalidInput
from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import Candidate, CandidateSkill
from hansyn.tenants.matches.models import CandidatePseudonym
from hansyn.tenants.privacy.disclosure import supplier_text
from tests.fixtures.candidates import free_skill, programme_id
from tests.fixtures.platform import unique

ACTOR = SystemActor(None, "handlaggare@example.se")
NAME_AND_PHONE = "Sara Svensson 070-111 22 33"
DIAGNOSIS = "epilepsi, sjukskriven"
PERSONNUMMER = "900101-1239"
#: Nothing of these may appear on any supplier page.
SECRETS = ("Sara", "Svensson", "070-111", "070111", "epilepsi", "sjukskriv", "900101", "ICA")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (NAME_AND_PHONE, None),
        (DIAGNOSIS, None),
        (PERSONNUMMER, None),
        ("Anna Berg", None),
        ("Lagerarbete hos ICA 2019", "Lagerarbete"),  # the vocabulary's label, never as typed
        ("Lagerarbete hos Sara Svensson", "Lagerarbete"),
        ("truck", "Truckvana"),
        ("svenska B1", "Svenska B1"),
        ("Svetsning MIG/MAG", "Svetsning MIG/MAG"),  # free, short, every word a known word
        ("x" * 41, None),
    ],
)
def test_what_a_supplier_may_see_of_a_line(typed, shown):
    assert supplier_text(typed) == shown


@pytest.fixture
def supplier_vacancy(login, create_supplier_with_contract, create_vacancy_row):
    special = free_skill()
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row(
        "alfa", setup.contract_id, required_skills=[special, "Lagerarbete"]
    )
    client = login(alfa=[("supplier", setup.supplier_id)])
    return setup, vacancy, client, special


def _supplier_pages(setup, vacancy, client) -> tuple[str, list[dict]]:
    base = f"/alfa/vacancies/{setup.contract_id}/{vacancy}"
    page = client.get(f"{base}/candidates")
    listing = client.get(f"{base}/candidates.json")
    assert page.status_code == listing.status_code == 200
    return page.text + listing.text, listing.get_json()["candidates"]


def _pseudonym(read_db, candidate_id: int, supplier_id: int) -> str | None:
    session = read_db("alfa")
    session.rollback()
    return session.scalar(
        select(CandidatePseudonym.pseudonym).where(
            CandidatePseudonym.candidate_id == candidate_id,
            CandidatePseudonym.supplier_id == supplier_id,
        )
    )


def _assert_hidden(text: str, candidates: list[dict], pseudonym: str | None, special: str):
    for secret in SECRETS:
        assert secret not in text, secret
    ours = next(c for c in candidates if c["pseudonym"] == pseudonym)
    assert special in ours["skills"]
    assert "Lagerarbete" in ours["skills"]
    offered = {m["offered"] for m in ours["matched"]}
    assert offered <= set(ours["skills"])


def test_typed_in_the_form(login, read_db, supplier_vacancy):
    setup, vacancy, supplier, special = supplier_vacancy
    coordinator = login(alfa=["coordinator"])
    session = read_db("alfa")
    reference = unique("AME-")
    response = coordinator.post_form(
        "/alfa/candidates/new",
        {
            "reference": reference,
            "name": "Sara Svensson",
            "programme": str(programme_id(session)),
            "skills": f"{special}\nLagerarbete hos ICA 2019\n{NAME_AND_PHONE}",
            "languages": "svenska B1",
            "place": "Angered",
            "working_time": "either",
            "consent": "y",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert f"Visas inte för leverantörer och matchas inte: ”{NAME_AND_PHONE}”" in response.text
    assert "visas inte för leverantörer och matchas inte" in response.text  # the profile says so
    session.rollback()
    candidate = session.scalar(select(Candidate).where(Candidate.reference == reference))
    assert candidate is not None
    text, candidates = _supplier_pages(setup, vacancy, supplier)
    _assert_hidden(text, candidates, _pseudonym(read_db, candidate.id, setup.supplier_id), special)


@pytest.mark.parametrize(
    ("skill", "message"),
    [
        (DIAGNOSIS, "Känsliga personuppgifter (GDPR art. 9): ”epilepsi” (hälsa)"),
        ("diagnos ADHD", "”ADHD” (hälsa)"),
        ("Städning, muslim", "”muslim” (religion eller övertygelse)"),
        ("romsk bakgrund", "”romsk” (etniskt ursprung)"),
        (f"Städning {PERSONNUMMER}", "Personnummer får inte registreras"),
        ("Städning 19900101 1239", "Personnummer får inte registreras"),
    ],
)
def test_the_form_refuses_what_suppliers_must_never_see(login, read_db, skill, message):
    coordinator = login(alfa=["coordinator"])
    session = read_db("alfa")
    reference = unique("AME-")
    response = coordinator.post_form(
        "/alfa/candidates/new",
        {
            "reference": reference,
            "name": "Sara Svensson",
            "programme": str(programme_id(session)),
            "skills": f"Truckvana\n{skill}",
            "working_time": "either",
        },
    )
    assert response.status_code == 200
    assert message in response.text
    session.rollback()
    assert session.scalar(select(Candidate).where(Candidate.reference == reference)) is None


def test_the_refusal_is_in_english_too(login, read_db):
    coordinator = login(alfa=["coordinator"])
    coordinator.post_form("/language", {"language": "en", "next": "/alfa/"})
    response = coordinator.post_form(
        "/alfa/candidates/new",
        {
            "reference": unique("AME-"),
            "name": "Sara Svensson",
            "programme": str(programme_id(read_db("alfa"))),
            "skills": DIAGNOSIS,
            "working_time": "either",
        },
    )
    assert "Sensitive personal data (GDPR art. 9): ”epilepsi” (health)" in response.text


def test_imported_from_csv(login, read_db, supplier_vacancy):
    setup, vacancy, supplier, special = supplier_vacancy
    good, diagnosis, number = unique("IMP-"), unique("IMP-"), unique("IMP-")
    rows = [
        f"{good};Sara Svensson;jobbtorg;{special}|Lagerarbete hos ICA 2019|{NAME_AND_PHONE};"
        "Angered;ja",
        f"{diagnosis};Sara Svensson;jobbtorg;Truckvana|{DIAGNOSIS};Angered;ja",
        f"{number};Sara Svensson;jobbtorg;Truckvana|{PERSONNUMMER};Angered;ja",
    ]
    data = ("referens;namn;program;kompetenser;ort;samtycke\n" + "\n".join(rows)).encode()
    page = login(alfa=["coordinator"]).post_form(
        "/alfa/candidates/import",
        {"file": (io.BytesIO(data), "fil.csv")},
        content_type="multipart/form-data",
    )
    assert "1 ny, 0 uppdaterade, 0 oförändrade, 2 rader med fel." in page.text
    assert "”epilepsi” (hälsa)" in page.text
    assert "Personnummer får inte registreras" in page.text
    session = read_db("alfa")
    session.rollback()
    candidate = session.scalar(select(Candidate).where(Candidate.reference == good))
    text, candidates = _supplier_pages(setup, vacancy, supplier)
    _assert_hidden(text, candidates, _pseudonym(read_db, candidate.id, setup.supplier_id), special)


def test_rows_saved_before_the_rules_are_withheld_too(app, read_db, supplier_vacancy):
    """Data typed before this check existed (or written by any other path) is filtered where
    the matching index is built, so it is neither shown nor matched on."""
    setup, vacancy, supplier, special = supplier_vacancy
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        from tests.fixtures.candidates import make_candidate

        candidate = make_candidate(session, consent=True, skills=[special, "Lagerarbete"])
        for position, text in enumerate((NAME_AND_PHONE, DIAGNOSIS, "Lagerarbete hos ICA")):
            session.add(
                CandidateSkill(
                    candidate_id=candidate.id, position=10 + position, text=text,
                    key=f"free:{position}", kind="free",
                )
            )
        candidate_id = candidate.id
    text, candidates = _supplier_pages(setup, vacancy, supplier)
    _assert_hidden(text, candidates, _pseudonym(read_db, candidate_id, setup.supplier_id), special)


def test_no_path_stores_a_personnummer(app):
    """The guard on every written row: even a row built by hand is refused at the flush."""
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        from tests.fixtures.candidates import make_candidate

        candidate = make_candidate(session)
        candidate.notes = "Pnr 19900101\u20131239"
        with pytest.raises(InvalidInput) as refused:
            session.flush()
        assert refused.value.field == "notes"
        session.rollback()


def test_control_characters_are_removed_on_every_engine(app, read_db):
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        from tests.fixtures.candidates import make_candidate

        candidate = make_candidate(session, notes="Före\x00efter\x1b[31m\ttabb")
        candidate.name = "Nul\x00 Byte"
        candidate_id = candidate.id
    session = read_db("alfa")
    stored = session.get(Candidate, candidate_id)
    assert stored.notes == "Föreefter[31m\ttabb"
    assert stored.name == "Nul Byte"


def test_a_restricted_candidate_leaves_the_suppliers_list(app, read_db, supplier_vacancy):
    setup, vacancy, supplier, special = supplier_vacancy
    databases = app.extensions["hansyn_databases"]
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        from tests.fixtures.candidates import make_candidate

        candidate_id = make_candidate(session, consent=True, skills=[special, "Lagerarbete"]).id
    _text, before = _supplier_pages(setup, vacancy, supplier)
    pseudonym = _pseudonym(read_db, candidate_id, setup.supplier_id)
    assert pseudonym in {c["pseudonym"] for c in before}
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate_ops.restrict(session, session.get(Candidate, candidate_id), "accuracy", ACTOR)
    _text, after = _supplier_pages(setup, vacancy, supplier)
    assert pseudonym not in {c["pseudonym"] for c in after}
