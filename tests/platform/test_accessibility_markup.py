"""WCAG 2.1 AA basics that the markup itself must carry (the browser tests check the rest):
a skip link, an error summary that takes the focus, help and errors tied to their fields,
form controls with a visible border, and the accessibility statement the law asks for."""

from __future__ import annotations

import re
from pathlib import Path

import hansyn

STYLE = Path(hansyn.__file__).parent / "static" / "style.css"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_page_starts_with_a_skip_link_to_the_main_content(client, login):
    for page in (client.get("/login"), login(alfa=["coordinator"]).get("/alfa/")):
        body = page.text[page.text.index("<body") :]
        first_link = re.search(r"<a [^>]*>", body).group(0)
        assert 'class="skip-link"' in first_link
        assert 'href="#main"' in first_link
        assert '<main id="main"' in page.text


def test_a_form_with_errors_lists_them_at_the_top_and_takes_the_focus(client):
    page = client.post_form("/login", {"email": "", "password": ""}).text
    summary = page[page.index('class="error-summary"') : page.index("</ul>")]
    assert "autofocus" in page[page.index("<div class=\"error-summary\"") : page.index("<h2")]
    assert 'href="#email"' in summary
    assert 'href="#password"' in summary
    assert "Det finns 2 fel i formuläret" in summary
    assert page.index('class="error-summary"') < page.index('action="/login"')


def test_help_texts_and_errors_are_tied_to_their_fields(login, create_supplier_with_contract):
    setup = create_supplier_with_contract("alfa")
    client = login(alfa=[("supplier", setup.supplier_id)])
    page = client.get("/alfa/vacancies/new").text
    occupation = re.search(r'<input[^>]*id="occupation"[^>]*>', page).group(0)
    assert 'aria-describedby="occupation-help"' in occupation
    assert 'id="occupation-help"' in page
    posted = client.post_form("/alfa/vacancies/new", {"contract_id": str(setup.contract_id)}).text
    title = re.search(r'<input[^>]*id="title"[^>]*>', posted).group(0)
    assert 'aria-invalid="true"' in title
    assert 'aria-describedby="title-error"' in title
    occupation = re.search(r'<input[^>]*id="occupation"[^>]*>', posted).group(0)
    assert 'aria-describedby="occupation-help occupation-error"' in occupation


def test_form_controls_have_a_border_of_at_least_3_to_1_against_white():
    css = STYLE.read_text()
    border = re.search(r"--control-border:\s*(#[0-9a-fA-F]{6})", css).group(1)
    assert _contrast(border, "#ffffff") >= 3
    rule = css[css.index(".field input, .field select") :]
    assert "border: 1px solid var(--control-border)" in rule[: rule.index("}")]


def test_the_accessibility_statement_is_public_and_linked_from_every_page(client):
    page = client.get("/tillganglighet")
    assert page.status_code == 200
    assert "Tillgänglighetsredogörelse för Hänsyn" in page.text
    assert "Myndigheten för digital förvaltning (DIGG)" in page.text
    assert 'href="/tillganglighet"' in client.get("/login").text
    client.post_form("/language", {"language": "en", "next": "/tillganglighet"})
    assert "Accessibility statement for Hänsyn" in client.get("/tillganglighet").text
