"""A small stand-in for ``hansyn.matching.vocabulary.Vocabulary``.

The engine's tests pin its behaviour with a vocabulary whose answers they can predict:
synonyms, a related pair, licence inclusion and language levels; free text is graded by the
engine's own similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SYNONYMS = {"städning": "lokalvård", "städ": "lokalvård", "truck": "truckkort a",
            "chaufför": "förare"}
SKILLS = {"lokalvård", "storstädning", "truckkort a", "förare", "kassa", "svetsning",
          "lager", "barnskötsel", "kock", "diskare"}
RELATED = {"lokalvård": {"storstädning": 0.7}, "storstädning": {"lokalvård": 0.8},
           "kock": {"diskare": 0.4}}
LANGUAGES = {"svenska", "engelska", "arabiska", "somaliska"}
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
LICENCES = {"B": ("B", "BE", "C", "CE", "D", "DE"), "BE": ("BE", "CE", "DE"), "C": ("C", "CE"),
            "CE": ("CE",), "D": ("D", "DE"), "DE": ("DE",), "AM": ("AM", "A1", "A2", "A", "B"),
            "A": ("A",)}


@dataclass(frozen=True, slots=True)
class Term:
    key: str
    label: str
    kind: str
    base: str
    qualifier: str | None


class FakeVocabulary:
    version = "fake-1"

    def normalize(self, text: str) -> Term:
        t = " ".join(text.lower().split())
        if not t:
            raise ValueError("blank")
        lic = re.fullmatch(r"(?:körkort )?([a-z0-9]+)", t)
        if lic and lic.group(1).upper() in LICENCES:
            code = lic.group(1).upper()
            return Term(f"licence:{code}", code, "licence", code, None)
        words = t.split()
        if words[0] in LANGUAGES:
            level = words[1].upper() if len(words) > 1 and words[1].upper() in LEVELS else None
            key = f"language:{words[0]}" + (f"#{level}" if level else "")
            return Term(key, t, "language", f"language:{words[0]}", level)
        t = SYNONYMS.get(t, t)
        if t in SKILLS:
            return Term(f"skill:{t}", t, "skill", f"skill:{t}", None)
        return Term(f"free:{t}", t, "free", f"free:{t}", None)

    def related(self, term: Term) -> list[tuple[str, float]]:
        if term.kind == "licence":
            return [(f"licence:{c}", 1.0) for c in LICENCES[term.base]]
        if term.kind == "language":
            start = LEVELS.index(term.qualifier) if term.qualifier else 0
            keys = [f"{term.base}#{lv}" for lv in LEVELS[start:]]
            return [(k, 1.0) for k in ([term.base] if term.qualifier is None else []) + keys]
        name = term.key.split(":", 1)[1]
        return [(term.key, 1.0)] + [(f"skill:{o}", s) for o, s in RELATED.get(name, {}).items()]

    def label(self, key: str) -> str:
        return key.split(":", 1)[1]
