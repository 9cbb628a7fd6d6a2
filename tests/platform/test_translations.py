"""Every text a person can see has an English translation in the committed catalogue.

The texts are extracted from the code and templates as `make messages` does; a text added without
running it (and without an entry in tools/translations/en/) fails here.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
}


def _extracted() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "hansyn"), METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _translated(locale: str) -> dict[str, bool]:
    path = ROOT / "hansyn" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    done: dict[str, bool] = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        done[key] = all(strings) and not message.fuzzy
    return done


def test_every_text_has_an_english_translation():
    translated = _translated("en")
    missing = sorted(text for text in _extracted() if not translated.get(text))
    assert not missing, f"run `make messages` and translate: {missing[:20]}"


def test_english_catalogue_compiles_and_is_used(login):
    client = login(alfa=["coordinator"])
    client.post_form("/language", {"language": "en", "next": "/alfa/"})
    page = client.get("/alfa/")
    assert page.status_code == 200
    assert "Overview" in page.text
    assert "Översikt" not in page.text


def test_one_swedish_word_with_two_english_ones_gets_both(
    login, create_supplier_with_contract, create_vacancy_row, create_candidate
):
    """The same Swedish word for one and many ("Avtal", "Arbetssökande"); English needs two."""
    setup = create_supplier_with_contract("alfa")
    vacancy = create_vacancy_row("alfa", setup.contract_id)
    client = login(alfa=["admin", "coordinator"])
    client.post_form("/language", {"language": "en", "next": "/alfa/"})
    menu = client.get("/alfa/").text
    assert ">Contracts</a>" in menu
    assert ">Job seekers</a>" in menu
    assert ">Programmes and target groups</a>" in menu
    assert "<title>Contracts" in client.get("/alfa/contracts/").text
    assert "<title>Job seekers" in client.get("/alfa/candidates/").text
    page = client.get(f"/alfa/vacancies/{setup.contract_id}/{vacancy}").text
    assert "<dt>Contract</dt>" in page
    log = client.get(f"/alfa/candidates/{create_candidate('alfa')}/log").text
    assert "<p>Job seeker: " in log
    client.post_form("/language", {"language": "sv", "next": "/alfa/"})
    assert ">Avtal</a>" in client.get("/alfa/").text
    assert "<dt>Avtal</dt>" in client.get(f"/alfa/vacancies/{setup.contract_id}/{vacancy}").text
