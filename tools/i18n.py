"""Message catalogues: `update` extracts every translatable text and merges it into each catalogue;
`compile` builds the .mo files; `missing` lists texts without a translation (exit 1 if any);
`fill FILE.json` merges translations from a JSON object {msgid: msgstr}; a plural message
(ngettext) is keyed by its singular msgid and translated by a list [singular, plural]; a message
with a context (pgettext, for a Swedish word with two English ones) is keyed "context|msgid".

Texts are written in Swedish in the code (the default language); `en` is the English catalogue.
Each domain keeps its English texts in `tools/translations/en/<domain>.json` ({Swedish: English});
`update` merges all of them into the catalogue, so several people can add texts without editing
the same .po file at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "hansyn" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LOCALES = ("en",)
SOURCES = Path(__file__).resolve().parent / "translations"


def _pybabel(*args: str) -> None:
    subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
        [sys.executable, "-m", "babel.messages.frontend", "-q", *args], check=True, cwd=ROOT
    )


def update() -> None:
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-k",
        "lazy_pgettext:1c,2",
        "-o",
        str(TEMPLATE),
        "--no-location",
        "--sort-output",
        "--project",
        "Hänsyn",
        "hansyn",
    )
    for locale in LOCALES:
        _pybabel(
            "update",
            "-i",
            str(TEMPLATE),
            "-d",
            str(TRANSLATIONS),
            "-l",
            locale,
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        )
        for source in sorted((SOURCES / locale).glob("*.json")):
            fill(str(source), locale)


def compile_catalogues() -> None:
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


def _catalogue(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def missing(locale: str = "en") -> list[str]:
    with _catalogue(locale).open("rb") as handle:
        catalogue = read_po(handle)
    return [
        str(m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and (not all(m.string) if isinstance(m.string, tuple) else not m.string or m.fuzzy)
    ]


def fill(path: str, locale: str = "en") -> None:
    translations: dict[str, str] = json.loads(Path(path).read_text())
    with _catalogue(locale).open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.context:
            key = f"{message.context}|{key}"
        if key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
    catalogue.fuzzy = False
    with _catalogue(locale).open("wb") as handle:
        write_po(handle, catalogue, sort_output=True, ignore_obsolete=True, include_lineno=False)


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "compile":
        compile_catalogues()
    elif command == "fill":
        fill(sys.argv[2])
    elif command == "missing":
        untranslated = missing()
        for text in untranslated:
            print(text)
        return 1 if untranslated else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
