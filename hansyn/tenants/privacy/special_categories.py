"""Words that reveal special categories of personal data (GDPR art. 9, and art. 10 convictions).

The list is curated by hand and shipped with the package (`data/special_categories_sv.txt`, whose
header explains the format). `find_special_categories` names the words found and their category,
so a form can say exactly why it asks for confirmation or refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SpecialWords:
    exact: dict[str, str]  # word -> category
    prefixes: tuple[tuple[str, str], ...]  # (start of word, category)

    def category(self, word: str) -> str | None:
        found = self.exact.get(word)
        if found is not None:
            return found
        return next((cat for start, cat in self.prefixes if word.startswith(start)), None)


def parse_list(text: str) -> SpecialWords:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    category = ""
    for line in text.splitlines():
        entry = line.strip().casefold()
        if not entry or entry.startswith("#"):
            continue
        if entry.startswith("[") and entry.endswith("]"):
            category = entry[1:-1]
        elif entry.endswith("*"):
            prefixes.append((entry[:-1], category))
        else:
            exact[entry] = category
    return SpecialWords(exact, tuple(sorted(prefixes, key=lambda p: -len(p[0]))))


@cache
def special_words() -> SpecialWords:
    data = resources.files("hansyn.tenants.privacy") / "data" / "special_categories_sv.txt"
    return parse_list(data.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Finding:
    word: str  # as typed
    category: str


def find_special_categories(text: str | None) -> list[Finding]:
    """Each word of `text` on the list, once, in the order typed."""
    if not text:
        return []
    words = special_words()
    found: dict[str, Finding] = {}
    for match in _WORD.finditer(text):
        category = words.category(match.group().casefold())
        if category is not None:
            found.setdefault(match.group().casefold(), Finding(match.group(), category))
    return list(found.values())
