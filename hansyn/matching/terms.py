"""The canonical term the vocabulary hands to the engine (re-exported by ``vocabulary``)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["KINDS", "Term"]

KINDS = ("skill", "occupation", "language", "licence", "free")


@dataclass(frozen=True, slots=True)
class Term:
    """A canonical vocabulary term.

    ``key`` is stable: ``skill:<conceptId>``, ``occupation:<conceptId>``,
    ``language:<conceptId>`` or ``language:<conceptId>#B1``, ``licence:B`` (driving licence
    class; base ``licence``), ``licence:truck`` / ``licence:truck#A`` (truck licence) and
    ``free:<normalised text>``. Hänsyn's own additions to the taxonomy use ids ``x-<slug>``.
    ``head_only`` marks a compound the vocabulary does not know whose head it does
    ("nattstädare" is the term of "Städare"): the engine ranks it as a specialisation of that
    term, below the term itself. ``matched_by`` says how a skill or occupation was found:
    ``"alias"`` (the text is a label or alias, inflected or not: a word the vocabulary knows),
    ``"typo"`` (the nearest spelling within the typo budget: a guess), else ``""``; it takes
    no part in equality.
    """

    key: str
    label: str
    kind: str
    base: str
    qualifier: str | None
    head_only: bool = False
    matched_by: str = field(default="", compare=False)
