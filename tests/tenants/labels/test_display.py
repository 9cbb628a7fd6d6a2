"""Stored skills, languages and licences are shown properly cased, languages in the page's language.

Issue 11: the profile showed "Arabiska Modersmål" (language and level glued as stored), and
English pages showed Swedish language names.
"""

import json
import runpy
from pathlib import Path

import pytest
from flask_babel import force_locale

from hansyn.matching.vocabulary import Vocabulary
from hansyn.tenants.labels import display_key, display_text, language_name

DATA = Path(__file__).resolve().parents[3] / "hansyn" / "tenants" / "labels" / "data"


@pytest.mark.parametrize(
    ("stored", "swedish", "english"),
    [
        ("arabiska modersmål", "Arabiska, modersmål", "Arabic, native language"),
        ("ARABISKA MODERSMÅL", "Arabiska, modersmål", "Arabic, native language"),
        ("svenska B1", "Svenska B1", "Swedish B1"),
        ("svenska sfi c", "Svenska SFI C", "Swedish SFI C"),
        ("engelska bra", "Engelska, bra", "English, good"),
        ("somaliska", "Somaliska", "Somali"),
        ("tigrinja flytande", "Tigrinja/Tigrinska, flytande", "Tigrinya, fluent"),
        ("persiska mycket bra", "Persiska (Farsi), mycket bra", "Persian, very good"),
        ("körkort B", "Körkort B", "Driving licence B"),
        ("körkort b96", "Körkort B96 (utökad B)", "Driving licence B96 (extended B)"),
        ("truckkort A", "Truckkort A", "Forklift licence A"),
        ("lagerarbete", "Lagerarbete", "Lagerarbete"),  # skills: the taxonomy has no English
        ("knyppling av spetsar ", "knyppling av spetsar", "knyppling av spetsar"),  # free text
    ],
)
def test_stored_text_is_shown_as_the_term_in_the_page_language(app, stored, swedish, english):
    with app.test_request_context():
        with force_locale("sv"):
            assert display_text(stored) == swedish
        with force_locale("en"):
            assert display_text(stored) == english


def test_a_stored_key_is_shown_without_parsing_the_text_again(app):
    key = Vocabulary.default().normalize("arabiska modersmål").key
    with app.test_request_context():
        with force_locale("en"):
            assert display_key(key, "whatever was typed") == "Arabic, native language"
            assert display_key("free:xyz", " as typed ") == "as typed"
            assert display_key("skill:no-such-concept", "typed") == "typed"
        with force_locale("sv"):
            assert display_key(key) == "Arabiska, modersmål"


def test_every_taxonomy_language_has_an_english_name(app):
    vocabulary = Vocabulary.default()
    languages = [k for k in vocabulary.all_keys() if k.startswith("language:") and "#" not in k]
    names = json.loads((DATA / "languages_en.json").read_text(encoding="utf-8"))
    assert set(names) == set(languages)
    with app.test_request_context(), force_locale("en"):
        for key in languages:
            english = language_name(key)
            assert english[:1].isupper(), key
    assert names[vocabulary.normalize("svenska").key] == "Swedish"


def test_shipped_names_are_what_the_build_writes(tmp_path):
    build = runpy.run_path(
        str(DATA.parents[3] / "tools" / "build_language_names.py"), run_name="build_language_names"
    )
    build["main"](["--out", str(tmp_path)])
    shipped = (DATA / "languages_en.json").read_bytes()
    assert (tmp_path / "languages_en.json").read_bytes() == shipped
