"""Export → import changes nothing (formula escapes come off again); encodings, the template,
and the limits of a file and of a cell get clear messages on the import page."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder

from hansyn.tenants.audit.operations import SystemActor
from hansyn.tenants.candidates.exporting import candidates_csv
from hansyn.tenants.candidates.importing import import_csv
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.candidates.spreadsheet import neutralise, restore
from hansyn.tenants.privacy.personnummer import contains_personnummer
from hansyn.tenants.privacy.text import has_control_characters
from tests.fixtures.candidates import make_candidate
from tests.fixtures.platform import unique
from tests.hypothesis_budget import examples

BASE = "/alfa/candidates"
ACTOR = SystemActor(None, "import@example.se")

_starts = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "=HYPERLINK(", "-1+"])
_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=0, max_size=60
)


@given(_starts, _text)
def test_restore_undoes_neutralise(start, text):
    assert restore(neutralise(start + text)) == start + text


@given(
    st.builds(lambda s, t: (s + t).strip(), _starts, _text),
    st.builds(lambda s, t: (s + t).strip(), _starts, _text),
)
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_export_then_import_is_the_identity(app, databases, name, notes):
    assume(name and not contains_personnummer(name) and not contains_personnummer(notes))
    assume(not has_control_characters(name + notes) and "\r" not in notes)
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate = make_candidate(session, name=name[:200], notes=notes, confirm_special=True)
        before = (candidate.name, candidate.notes, candidate.phone, candidate.reference)
        exported = candidates_csv([candidate]).encode("utf-8")
        report = import_csv(session, exported, ACTOR, confirm_special=True)
        assert report.errors == []
        assert (report.created, report.updated) == (0, 0)
        session.expire_all()
        after = session.get(Candidate, candidate.id)
        assert (after.name, after.notes, after.phone, after.reference) == before
        session.rollback()


def test_a_phone_number_with_plus_survives_a_round_trip(app, databases):
    with app.test_request_context(), databases.tenant_session("alfa", write=True) as session:
        candidate = make_candidate(session, phone="+46 70 123 45 67", name="-Olle")
        exported = candidates_csv([candidate])
        assert "'+46 70 123 45 67" in exported  # still safe to open in Excel
        report = import_csv(session, exported.encode(), ACTOR)
        assert (report.unchanged, report.errors) == (1, [])
        session.rollback()


def _upload(client, data: bytes, name: str = "fil.csv"):
    return client.post_form(
        f"{BASE}/import", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_windows_1252_is_read_and_named(login, read_db):
    reference = unique("IMP-")
    text = f"referens;namn;program;ort\n{reference};Åsa Öberg;jobbtorg;Borås\n"
    page = _upload(login(alfa=["coordinator"]), text.encode("cp1252")).text
    assert "Filens teckenkodning: Windows-1252." in page
    assert "1 ny," in page
    session = read_db("alfa")
    from sqlalchemy import select

    assert session.scalar(select(Candidate.name).where(Candidate.reference == reference)) == (
        "Åsa Öberg"
    )


def test_utf8_with_and_without_bom_are_named(login):
    client = login(alfa=["coordinator"])
    text = f"referens;namn;program\n{unique('IMP-')};Åsa;jobbtorg\n"
    page = _upload(client, b"\xef\xbb\xbf" + text.encode()).text
    assert "Filens teckenkodning: UTF-8 (BOM)." in page
    text = f"referens;namn;program\n{unique('IMP-')};Åsa;jobbtorg\n"
    assert "Filens teckenkodning: UTF-8." in _upload(client, text.encode()).text


def test_the_template_downloads_and_imports(login):
    client = login(alfa=["coordinator"])
    page = client.get(f"{BASE}/import").text
    assert "Högst 5 MB och 5000 rader per fil." in page
    assert f'href="{BASE}/import/mall.csv"' in page
    template = client.get(f"{BASE}/import/mall.csv")
    assert template.status_code == 200
    assert template.mimetype == "text/csv"
    assert template.text.lstrip("\ufeff").startswith('"referens";"namn";"telefon"')
    body = template.text.replace("AME-1001", unique("IMP-")).encode("utf-8")
    assert "1 ny," in _upload(client, body).text


def test_a_file_beyond_the_request_limit_gets_a_message_on_the_page(login, app):
    client = login(alfa=["coordinator"])
    too_big = b"referens;namn;program\n" + b"x" * app.config["MAX_CONTENT_LENGTH"]
    builder = EnvironBuilder(
        path=f"{BASE}/import",
        method="POST",
        data={"csrf_token": client.csrf_token(), "file": (io.BytesIO(too_big), "fil.csv")},
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    try:  # the builder spools the 6 MB body to a temporary file: close it
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 413
    assert "Filen är större än 5 MB. Dela upp den i flera filer." in response.text
    assert "Importera arbetssökande" in response.text  # the import page, not a bare error page


def test_a_cell_beyond_the_csv_field_limit_gets_a_message(login):
    data = b"referens;namn;program\nA;" + b"x" * 140_000 + b";jobbtorg\n"
    response = _upload(login(alfa=["coordinator"]), data)
    assert response.status_code == 200
    assert "Rad 2: en cell är längre än 131072 tecken." in response.text


def test_a_nul_byte_in_a_file_is_removed(login, read_db):
    reference = unique("IMP-")
    data = f"referens;namn;program\n{reference};Nu\x00ll\x1b;jobbtorg\n".encode()
    assert "1 ny," in _upload(login(alfa=["coordinator"]), data).text
    from sqlalchemy import select

    session = read_db("alfa")
    assert session.scalar(select(Candidate.name).where(Candidate.reference == reference)) == "Null"
