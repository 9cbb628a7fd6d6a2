"""Brute-force matching: the definition the fast index is checked against."""

from __future__ import annotations

import math
from collections.abc import Sequence

from hansyn.matching import CandidateProfile, VacancyProfile
from hansyn.matching.engine import (
    DESIRED_WEIGHT,
    DISTANCE_WEIGHT,
    REQUIRED_WEIGHT,
    distance_factor,
    haversine_km,
)


def _keys(vocab: object, text: str, pool: Sequence[str]) -> tuple[str, dict[str, float]]:
    term = vocab.normalize(text)  # type: ignore[attr-defined]
    sims = dict(vocab.related(term))  # type: ignore[attr-defined]
    if term.kind == "free":
        for key, sim in vocab.similar_free(term, pool):  # type: ignore[attr-defined]
            sims[key] = max(sim, sims.get(key, 0.0))
    return term.key, sims


def reference_scores(vocab: object, candidates: Sequence[CandidateProfile],
                     v: VacancyProfile) -> dict[str, tuple[float, float | None]]:
    """Every eligible candidate's score and distance."""
    offered = {c.id: {vocab.normalize(t).key  # type: ignore[attr-defined]
                      for t in (*c.skills, *c.languages, *c.driving_licences) if t.strip()}
               for c in candidates}
    pool = sorted({k for keys in offered.values() for k in keys if k.startswith("free:")})
    wanted: dict[str, tuple[float, dict[str, float]]] = {}
    for texts, weight in ((v.required_skills, REQUIRED_WEIGHT),
                          (v.desired_skills, DESIRED_WEIGHT)):
        for text in texts:
            if text.strip():
                key, sims = _keys(vocab, text, pool)
                wanted.setdefault(key, (weight, sims))
    needs = [_keys(vocab, t, pool)[1] for t in (*v.required_languages, *v.required_licences)]
    total = sum(w for w, _ in wanted.values())
    out: dict[str, tuple[float, float | None]] = {}
    for c in candidates:
        mine = offered[c.id]
        if not all(any(k in mine for k in need) for need in needs):
            continue
        if wanted:
            skill = sum(w * max((s for k, s in sims.items() if k in mine), default=0.0)
                        for w, sims in wanted.values()) / total
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
        out[c.id] = (skill * factor, dist)
    return out


def near_limit(c: CandidateProfile, v: VacancyProfile, tol: float = 1e-6) -> bool:
    """Whether rounding could decide this pair's eligibility."""
    if c.location is None or v.location is None:
        return False
    d = float(haversine_km(v.location[0], v.location[1], c.location[0], c.location[1]))
    limits = [x for x in (c.max_commute_km, v.radius_km) if x is not None]
    return any(math.isclose(d, x, abs_tol=tol) for x in limits)
