"""Brute-force matching: the definition the fast index is checked against."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hansyn.matching import CandidateProfile, VacancyProfile
from hansyn.matching.engine import (
    ALIAS,
    DESIRED_WEIGHT,
    DISTANCE_WEIGHT,
    REQUIRED_WEIGHT,
    SKILL_KINDS,
    availability_factor,
    distance_factor,
    haversine_km,
)
from hansyn.matching.ngrams import NgramModel
from hansyn.matching.similarity import (
    GENERIC,
    SPECIFIC,
    TYPO_COSINE,
    Wanted,
    reworded,
    score,
)
from hansyn.matching.swedish import form, lower_words


@dataclass(frozen=True)
class Offer:
    key: str
    form: str | None  # skills only
    factor: float
    spelling: str = ""  # the words joined, lowercase, diacritics kept
    word: bool = False  # the vocabulary knows the text as a label or alias


def _label_forms(vocab: object, key: str) -> set[str]:
    label = vocab.label(key)  # type: ignore[attr-defined]
    parts = [label, *label.split("/"), *(p.split(",")[0] for p in label.split("/"))]
    return {form(p) for p in parts}


def _exactness(vocab: object, key: str, text_form: str) -> float:
    if key.startswith("free:"):
        return 1.0
    return 1.0 if text_form in _label_forms(vocab, key) else ALIAS


def offer(vocab: object, text: str) -> Offer:
    term = vocab.normalize(text)  # type: ignore[attr-defined]
    if term.kind not in SKILL_KINDS:
        return Offer(term.key, None, 1.0)
    text_form, spelling = form(text), " ".join(lower_words(text))
    if getattr(term, "head_only", False):
        return Offer(term.key, text_form, SPECIFIC, spelling)
    word = getattr(term, "matched_by", "") == "alias"
    return Offer(term.key, text_form, _exactness(vocab, term.key, text_form), spelling, word)


def _model(vocab: object) -> NgramModel:
    make = getattr(vocab, "ngram_model", None)
    if make is not None:
        return make()  # type: ignore[no-any-return]
    if not hasattr(vocab, "_reference_model"):
        vocab._reference_model = NgramModel()  # type: ignore[attr-defined]
    return vocab._reference_model  # type: ignore[attr-defined,no-any-return]


def similarity(vocab: object, text: str,
               required: bool = False) -> tuple[str, Callable[[Offer], float]]:
    """The term key of a wanted text and its similarity to any offer, by the definitions of
    ``hansyn.matching.similarity.score`` and the vocabulary's ``related``, one pair at a time.
    A language or a licence is graded too, except as a requirement (a fact)."""
    term = vocab.normalize(text)  # type: ignore[attr-defined]
    related = dict(vocab.related(term))  # type: ignore[attr-defined]
    fact = term.kind not in SKILL_KINDS
    if fact and required:
        return term.key, lambda o: related.get(o.key, 0.0) * o.factor
    own = form(text)
    swaps = None if fact else getattr(vocab, "head_swaps", None)
    model = _model(vocab)
    known = getattr(term, "matched_by", "") == "alias"
    wanted = Wanted.of([own], swaps(own) if swaps else [], model, text, known)
    factor = (1.0 if fact else GENERIC if getattr(term, "head_only", False)
              else _exactness(vocab, term.key, own))
    own_vector = model.vectors([own])

    def sim(o: Offer) -> float:
        if o.form is None:
            return min(related.get(o.key, 0.0) * factor * o.factor, 1.0)
        cosine = float((own_vector @ model.vectors([o.form]).T).toarray()[0, 0])
        best = score(wanted, o.form, cosine, o.spelling, o.word)
        if o.form != own:  # the same wording is judged by the form alone
            by_key = related.get(o.key, 0.0) * factor * o.factor
            best = max(best, reworded(by_key, cosine if cosine >= TYPO_COSINE else 0.0))
        return min(best, 1.0)

    return term.key, sim


def reference_scores(vocab: object, candidates: Sequence[CandidateProfile],
                     v: VacancyProfile) -> dict[str, tuple[float, float | None]]:
    """Every eligible candidate's score and distance."""
    offered = {c.id: [offer(vocab, t) for t in (*c.skills, *c.languages, *c.driving_licences)
                      if t.strip()]
               for c in candidates}
    wanted: dict[str, tuple[float, Callable[[Offer], float]]] = {}
    for texts, weight in ((v.required_skills, REQUIRED_WEIGHT),
                          (v.desired_skills, DESIRED_WEIGHT)):
        for text in texts:
            if text.strip():
                key, sim = similarity(vocab, text)
                wanted.setdefault(key, (weight, sim))
    for text in v.desired_languages:
        if text.strip():
            key, sim = similarity(vocab, text)
            wanted.setdefault(key, (DESIRED_WEIGHT, sim))
    needs = [similarity(vocab, t, required=True)[1]
             for t in (*v.required_languages, *v.required_licences) if t.strip()]
    total = sum(w for w, _ in wanted.values())
    out: dict[str, tuple[float, float | None]] = {}
    for c in candidates:
        mine = offered[c.id]
        if not all(any(need(o) > 0 for o in mine) for need in needs):
            continue
        groups = {g.strip() for g in v.target_groups if g.strip()}
        if groups and not groups & {g.strip() for g in c.target_groups}:
            continue
        if v.hours_per_week is not None and c.hours_per_week is not None:
            low, high = c.hours_per_week
            if not low <= v.hours_per_week <= high:
                continue
        if wanted:
            skill = sum(w * max((sim(o) for o in mine), default=0.0)
                        for w, sim in wanted.values()) / total
            if skill <= 0:
                continue
        else:
            skill = 1.0
        dist: float | None = None
        factor = 1.0
        if v.location is not None:
            if c.location is None:
                if v.radius_km is not None:
                    continue
                factor = 1.0 - DISTANCE_WEIGHT
            else:
                dist = float(haversine_km(v.location[0], v.location[1],
                                          c.location[0], c.location[1]))
                if c.max_commute_km is not None and dist > c.max_commute_km:
                    continue
                if v.radius_km is not None and dist > v.radius_km:
                    continue
                factor = float(distance_factor(dist))
        if v.start_date is not None and c.available_from is not None:
            factor *= float(availability_factor((c.available_from - v.start_date).days))
        out[c.id] = (skill * factor, dist)
    return out


def near_limit(c: CandidateProfile, v: VacancyProfile, tol: float = 1e-6) -> bool:
    """Whether rounding could decide this pair's eligibility."""
    if c.location is None or v.location is None:
        return False
    d = float(haversine_km(v.location[0], v.location[1], c.location[0], c.location[1]))
    limits = [x for x in (c.max_commute_km, v.radius_km) if x is not None]
    return any(math.isclose(d, x, abs_tol=tol) for x in limits)
