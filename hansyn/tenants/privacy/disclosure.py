"""What a supplier may see of a candidate's skills and languages, and what may be matched on.

A coordinator types skills as free lines ("Lagerarbete hos ICA 2019", "Sara Svensson 070-111 22
33"). Suppliers must never see a line as typed: a name, a phone number or a diagnosis would reach
them before any consent. So:

- a line that resolves to the vocabulary (JobTech's occupations, skills and languages) is shown
  as the vocabulary's **label** ("Lagerarbete"), never as typed;
- a free line (no vocabulary term) is shown, as typed, only when it is short (`MAX_FREE_LENGTH`
  characters, `MAX_FREE_WORDS` words), every word is a word of the vocabulary's own labels — so
  names, numbers and addresses are not — and it holds no personnummer and no GDPR art. 9 word;
- anything else is **withheld**: neither shown nor matched on (a "matched: …" explanation would
  show it too). The coordinator's pages say which lines suppliers do not see.

The matching index holds only what `supplier_text` returns; `DISCLOSURE_VERSION` is part of the
index's fingerprint, so an index built under other rules is never reused.
"""

from __future__ import annotations

from functools import cache

from hansyn.matching.swedish import lower_words
from hansyn.matching.vocabulary import Vocabulary
from hansyn.tenants.privacy.personnummer import contains_personnummer
from hansyn.tenants.privacy.special_categories import find_special_categories

#: Change when the rules below change: saved matching indexes built under old rules are dropped.
DISCLOSURE_VERSION = "d1"
MAX_FREE_LENGTH = 40
MAX_FREE_WORDS = 5


@cache
def _label_words(version: str) -> frozenset[str]:
    """Every word (lower case, as written) of every label of the vocabulary of `version`."""
    del version  # the cache key: a new vocabulary gets its own set
    vocabulary = Vocabulary.default()
    return frozenset(
        word for key in vocabulary.all_keys() for word in lower_words(vocabulary.label(key))
    )


def label_words() -> frozenset[str]:
    return _label_words(Vocabulary.default().version)


def free_text_is_safe(text: str) -> bool:
    """A free line short and plain enough to show a supplier (see the module docstring)."""
    words = lower_words(text)
    known = label_words()
    return (
        0 < len(words) <= MAX_FREE_WORDS
        and len(text.strip()) <= MAX_FREE_LENGTH
        and all(word in known for word in words)
        and not contains_personnummer(text)
        and not find_special_categories(text)
    )


def supplier_text(text: str) -> str | None:
    """What a supplier may see of one skill or language line; None: withheld, not matched on."""
    if not text.strip():
        return None
    term = Vocabulary.default().normalize(text)
    if term.kind != "free":
        return Vocabulary.default().label(term.key)
    return " ".join(text.split()) if free_text_is_safe(text) else None


def supplier_texts(texts: list[str]) -> list[str]:
    """The lines a supplier may see, in order, without duplicates; withheld lines left out."""
    shown = (supplier_text(text) for text in texts)
    return list(dict.fromkeys(text for text in shown if text is not None))
