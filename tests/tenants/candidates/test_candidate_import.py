"""CSV import (upsert by case reference, per-row errors) and CSV export (formula neutralisation)."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from hansyn.db import make_session
from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates.importing import detect_delimiter, import_csv
from hansyn.tenants.candidates.models import Candidate, CandidateStatus
from hansyn.tenants.candidates.spreadsheet import neutralise
from hansyn.tenants.privacy.special_categories import find_special_categories
from tests.fixtures.platform import unique
from tests.hypothesis_budget import examples

BASE = "/alfa/candidates"
HEADER = [
    "referens",
    "namn",
    "telefon",
    "e-post",
    "program",
    "kompetenser",
    "språk",
    "körkort",
    "ort",
    "max pendling km",
    "tillgänglig från",
    "arbetstid",
    "anteckningar",
    "status",
    "samtycke",
]


def csv_bytes(rows, delimiter=";", bom=True, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def row(reference, **values):
    base = {
        "referens": reference,
        "namn": "Sara Lind",
        "telefon": "031-12 34 56",
        "e-post": "sara@example.se",
        "program": "jobbtorg",
        "kompetenser": "Truckvana|Städning",
        "språk": "svenska B2|engelska flytande",
        "körkort": "B, BE",
        "ort": "Borås",
        "max pendling km": "",
        "tillgänglig från": "2027-02-01",
        "arbetstid": "deltid",
        "anteckningar": "",
        "status": "aktiv",
        "samtycke": "ja",
    }
    base.update(values)
    return [base[h] for h in HEADER]


def upload(client, data):
    return client.post_form(
        f"{BASE}/import",
        {"file": (io.BytesIO(data), "arbetssokande.csv")},
        content_type="multipart/form-data",
    )


def by_reference(session, reference):
    session.rollback()
    return session.scalar(select(Candidate).where(Candidate.reference == reference))


def test_upload_saves_good_rows_and_reports_bad_ones_by_line(login, read_db):
    refs = [unique("IMP-") for _ in range(4)]
    rows = [
        row(refs[0]),
        row(refs[1], ort="Xyzzyborg", **{"e-post": "fel@"}),
        row(refs[2], anteckningar="pnr 19811218-9876"),
        row(refs[3], status="kanske", körkort="Q"),
    ]
    client = login(alfa=["coordinator"])
    page = upload(client, csv_bytes(rows))
    assert page.status_code == 200
    assert "1 ny, 0 uppdaterade, 0 oförändrade, 3 rader med fel." in page.text
    assert "<td>3</td>" in page.text
    assert "e-post: Ange en giltig e-postadress" in page.text
    assert "ort: Okänd ort" in page.text
    assert "<td>4</td>" in page.text
    assert "anteckningar: Personnummer får inte registreras" in page.text
    assert "<td>5</td>" in page.text
    assert "Kolumnen status ska vara en av" in page.text
    session = read_db("alfa")
    good = by_reference(session, refs[0])
    assert good.name == "Sara Lind"
    assert good.licence_list == ["B", "BE"]
    assert [s.text for s in good.skills] == ["Truckvana", "Städning"]
    assert good.consent_given
    for bad in refs[1:]:
        assert by_reference(session, bad) is None


def test_second_upload_of_the_same_file_changes_nothing(login, read_db):
    reference = unique("IMP-")
    data = csv_bytes([row(reference)], delimiter=",", bom=False)
    client = login(alfa=["coordinator"])
    assert "1 ny," in upload(client, data).text
    session = read_db("alfa")
    first = by_reference(session, reference)
    stamp, consents = first.updated_at, len(first.consents)
    assert "0 nya, 0 uppdaterade, 1 oförändrad, 0 rader med fel." in upload(client, data).text
    again = by_reference(session, reference)
    assert again.updated_at == stamp
    assert len(again.consents) == consents
    changed = csv_bytes([row(reference, namn="Sara Lind-Ek", status="pausad")])
    assert "0 nya, 1 uppdaterad," in upload(client, changed).text
    updated = by_reference(session, reference)
    assert updated.name == "Sara Lind-Ek"
    assert updated.status is CandidateStatus.PAUSED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"namn;telefon\nAnna;070-1234567\n", "Kolumnerna referens, program saknas"),
        (b"referens;namn;program;skonummer\n", "Okända kolumner: skonummer"),
            ("referens;namn;program\nA;Åsa;jobbtorg\n".encode("utf-16"), "sparad som UTF-16"),
    ],
)
def test_unusable_file_is_refused_as_a_whole(login, data, message):
    page = upload(login(alfa=["coordinator"]), data)
    assert page.status_code == 200
    assert message in page.text


def test_upload_needs_a_file(login):
    page = login(alfa=["coordinator"]).post_form(f"{BASE}/import", {})
    assert "Välj en CSV-fil." in page.text


def test_delimiter_is_detected():
    assert detect_delimiter("referens;namn;program\nA;B,C;D") == ";"
    assert detect_delimiter('referens,namn,program\nA,"B;C",D') == ","


# ---------------------------------------------------------------- idempotence as a property

PLACES = ["Borås", "Angered", "Göteborg", "Kiruna", "Mölndal kommun", "Ystad"]
SKILLS = [
    "Truckvana",
    "Städning",
    "lagerarbete",
    "svetsning",
    "barnskötare",
    "kock",
    "egen fritext",
]
LANGUAGES = ["svenska B1", "arabiska modersmål", "engelska flytande", "somaliska", "dari"]
LICENCES = ["AM", "A", "B", "BE", "C", "CE", "D"]
#: Random letters may spell a word of art. 9 ("etnisk"), which an import refuses to store in
#: a note or a name unconfirmed: such draws are not the rows this property is about.
SAFE_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzåäöÅÄÖ éü-;,\"'")), max_size=30
).filter(lambda text: not find_special_categories(text))
NAMES = SAFE_TEXT.map(lambda s: s.strip()).filter(lambda s: s.strip("-;,\"' ") != "")

candidate_rows = st.fixed_dictionaries(
    {
        "namn": NAMES.map(lambda s: s[:200]),
        "program": st.sampled_from(["jobbtorg", "etablering", "Försörjningsstöd", "jobbgaranti"]),
        "kompetenser": st.lists(st.sampled_from(SKILLS), max_size=4, unique=True).map("|".join),
        "språk": st.lists(st.sampled_from(LANGUAGES), max_size=3, unique=True).map("|".join),
        "körkort": st.lists(st.sampled_from(LICENCES), max_size=3, unique=True).map(" ".join),
        "ort": st.sampled_from([*PLACES, ""]),
        "max pendling km": st.sampled_from(["", "5", "40", "300"]),
        "arbetstid": st.sampled_from(["heltid", "deltid", "båda", ""]),
        "anteckningar": SAFE_TEXT,
        "status": st.sampled_from(["aktiv", "pausad", "avslutad", ""]),
        "samtycke": st.sampled_from(["ja", "nej", ""]),
    }
)


def snapshot(session, references):
    session.expire_all()
    rows = session.scalars(select(Candidate).where(Candidate.reference.in_(references)))
    return sorted(
        (
            c.reference,
            c.name,
            c.phone,
            c.email,
            c.programme_id,
            c.place_id,
            c.max_commute_km,
            c.driving_licences,
            c.available_from,
            c.working_time,
            c.notes,
            c.status,
            c.status_changed_at,
            c.updated_at,
            tuple((s.text, s.key) for s in c.skills),
            tuple((v.text, v.key) for v in c.languages),
            tuple((k.id, k.given) for k in c.consents),
        )
        for c in rows
    )


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(candidate_rows, min_size=1, max_size=6),
    delimiter=st.sampled_from([";", ","]),
    bom=st.booleans(),
)
def test_importing_the_same_rows_twice_changes_nothing(app, rows, delimiter, bom):
    prefix = f"P{uuid.uuid4().hex[:8]}-"
    references = [f"{prefix}{i}" for i in range(len(rows))]
    data = csv_bytes(
        [row(ref, **values) for ref, values in zip(references, rows, strict=True)],
        delimiter=delimiter,
        bom=bom,
    )
    engine = app.extensions["hansyn_databases"].tenant_engine("alfa")
    session = make_session(engine, write=True)
    try:
        with app.test_request_context():
            first = import_csv(session, data, SystemActor(None, "import@example.se"))
            assert first.errors == []
            assert first.created == len(rows)
            before = snapshot(session, references)
            second = import_csv(session, data, SystemActor(None, "import@example.se"))
            assert second.errors == []
            assert (second.created, second.updated, second.unchanged) == (0, 0, len(rows))
            assert snapshot(session, references) == before
    finally:
        session.rollback()
        session.close()


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised(start):
    assert neutralise(f"{start}SUM(A1:A2)") == f"'{start}SUM(A1:A2)"


def test_plain_cells_are_left_alone():
    assert neutralise("Anna ='x'") == "Anna ='x'"
    assert neutralise(None) == ""
    assert neutralise(12) == "12"


def test_export_csv_neutralises_formulas_and_is_audited(login, create_candidate, read_db):
    candidate_id = create_candidate(
        "alfa", name="-Olle", notes='=HYPERLINK("http://evil.example","klicka")'
    )
    client = login(alfa=["coordinator"])
    response = client.get(f"{BASE}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["referens", "namn", "telefon"]
    session = read_db("alfa")
    reference = session.get(Candidate, candidate_id).reference
    mine = next(r for r in rows if r[0] == reference)
    assert mine[1] == "'-Olle"
    assert mine[12] == '\'=HYPERLINK("http://evil.example","klicka")'
    assert mine[5] == "Truckvana|Lagerarbete"


def test_columns_left_out_of_the_file_change_nothing(login, create_candidate, read_db):
    session = read_db("alfa")
    existing = session.get(Candidate, create_candidate("alfa", consent=True))
    data = csv_bytes(
        [[existing.reference, "Amina Testsson-Ali", "jobbtorg"]],
        header=["referens", "namn", "program"],
    )
    page = upload(login(alfa=["coordinator"]), data)
    assert "0 nya, 1 uppdaterad," in page.text
    updated = by_reference(session, existing.reference)
    assert updated.name == "Amina Testsson-Ali"
    assert [s.text for s in updated.skills] == ["Truckvana", "Lagerarbete"]
    assert updated.place_name == "Angered (Göteborg)"
    assert updated.phone == "070-123 45 67"
    assert updated.consent_given
    assert updated.status is CandidateStatus.ACTIVE


def test_report_says_one_row_in_the_singular_in_both_languages(login):
    rows = [row(unique("IMP-")), row(unique("IMP-"), status="kanske")]
    client = login(alfa=["coordinator"])
    page = upload(client, csv_bytes(rows))
    assert "1 ny, 0 uppdaterade, 0 oförändrade, 1 rad med fel." in page.text
    client.post_form("/language", {"language": "en", "next": f"{BASE}/import"})
    page = upload(client, csv_bytes([row(unique("IMP-")), row(unique("IMP-"), status="kanske")]))
    assert "1 new, 0 updated, 0 unchanged, 1 row with errors." in page.text


def test_a_wrong_status_is_reported_with_the_rows_other_mistakes(login):
    bad = row(unique("IMP-"), status="kanske", samtycke="kanske", ort="Xyzzyborg", namn="")
    page = upload(login(alfa=["coordinator"]), csv_bytes([bad])).text
    assert "namn: Ange personens namn." in page
    assert "ort: Okänd ort" in page
    assert "status: Kolumnen status ska vara en av" in page
    assert "samtycke: Kolumnen samtycke ska vara en av" in page
    assert "0 nya, 0 uppdaterade, 0 oförändrade, 1 rad med fel." in page
