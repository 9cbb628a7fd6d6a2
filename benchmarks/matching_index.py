"""Cost of the web app's matching index (`hansyn/tenants/matching_index.py`) on a real tenant.

    .venv/bin/python benchmarks/matching_index.py [--size 5000] [--changes 20]

Builds a throwaway SQLite tenant with `--size` visible candidates (three skills each from a
dozen common ones, Svenska B1, a licence, a home place around Göteborg), then measures:

* the per-request check (`fingerprint`) while nothing changed;
* a full build of the index from the database;
* bringing the cached index up to date after one candidate changed (`refresh`), `--changes` times;
* ranking one vacancy (25 best).

Figures are recorded in ``docs/vacancies.md``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from hansyn.matching import VacancyProfile
from hansyn.matching.vocabulary import Vocabulary
from hansyn.migrations import upgrade_control
from hansyn.platform import operations
from hansyn.platform.app import create_app
from hansyn.platform.models import utcnow
from hansyn.tenants import matching_index
from hansyn.tenants.candidates import operations as candidate_ops
from hansyn.tenants.candidates.models import (
    Candidate,
    CandidateConsent,
    CandidateLanguage,
    CandidateSkill,
    CandidateStatus,
)
from hansyn.tenants.localities import Gazetteer
from hansyn.tenants.programmes.models import Programme

SKILLS = (
    "Städning", "Lokalvård", "Truckvana", "Lagerarbete", "Matlagning", "Livsmedelshygien",
    "Trädgårdsskötsel", "Fastighetsskötsel", "Kundservice", "Kassaarbete", "Diskning",
    "Barnomsorg",
)
PLACES = ("Göteborg", "Angered", "Borås", "Kungälv", "Lerum", "Partille", "Alingsås", "Mölndal")
SLUG = "bench"


def _seed(databases: object, size: int, rng: random.Random) -> None:
    vocabulary, gazetteer = Vocabulary.default(), Gazetteer.default()
    places = [gazetteer.resolve(name) for name in PLACES]
    language = vocabulary.normalize("Svenska B1")
    with databases.tenant_session(SLUG, write=True) as session:  # type: ignore[attr-defined]
        programme = session.scalar(select(Programme.id))
        now = utcnow()
        for i in range(size):
            place = rng.choice(places)
            candidate = Candidate(
                reference=f"BENCH-{i}", name=f"Bänk {i}", programme_id=programme,
                place_id=place.id, place_name=place.display_name, lat=place.lat, lon=place.lon,
                kommunkod=place.kommunkod, driving_licences="B", status=CandidateStatus.ACTIVE,
                status_changed_at=now, created_at=now, updated_at=now,
            )
            for position, text in enumerate(rng.sample(SKILLS, 3)):
                term = vocabulary.normalize(text)
                candidate.skills.append(
                    CandidateSkill(position=position, text=text, key=term.key, kind=term.kind)
                )
            candidate.languages.append(
                CandidateLanguage(
                    position=0, text="Svenska B1", language="Svenska", level="B1", key=language.key
                )
            )
            session.add(candidate)
            session.flush()
            session.add(CandidateConsent(candidate_id=candidate.id, given=True, recorded_at=now))


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({
            "HANSYN_ENV": "testing", "INSTANCE_PATH": Path(instance), "DATABASE_URL": None,
            "SECRET_KEY": "benchmark-secret-key-that-is-long-enough", "PASSWORD_HASHING": "fast",
        })
        databases = app.extensions["hansyn_databases"]
        actor = candidate_ops.SystemActor(None, "benchmark@example.se")
        with app.test_request_context():
            upgrade_control(databases)
            with databases.control_session(write=True) as session:
                operations.create_tenant(session, databases, SLUG, "Bänk kommun", "9990")
            _seed(databases, args.size, rng)

            def flip(candidate_id: int) -> None:
                with databases.tenant_session(SLUG, write=True) as session:
                    candidate = session.get(Candidate, candidate_id)
                    paused = candidate.status is CandidateStatus.PAUSED
                    status = CandidateStatus.ACTIVE if paused else CandidateStatus.PAUSED
                    candidate_ops.set_status(session, candidate, status, actor)

            flip(args.size)  # later than the seeded rows' one shared timestamp
            with databases.tenant_session(SLUG) as session:
                build = _timed(lambda: matching_index.index_for(session, SLUG))
                index = matching_index.index_for(session, SLUG)
                check = min(_timed(lambda: matching_index.index_for(session, SLUG))
                            for _ in range(50))
                vacancy = VacancyProfile(
                    "v", required_skills=["Städning"], desired_skills=["Lokalvård"],
                    location=Gazetteer.default().resolve("Angered").point,
                    required_languages=["Svenska B1"],
                )
                rank = min(_timed(lambda: index.engine.rank(vacancy, 25)) for _ in range(50))
            refreshes = []
            for candidate_id in rng.sample(range(1, args.size), args.changes):
                flip(candidate_id)
                with databases.tenant_session(SLUG) as session:
                    refreshes.append(_timed(lambda: matching_index.index_for(session, SLUG)))
                    assert matching_index.index_for(session, SLUG).engine is index.engine
        databases.dispose()
    print(f"{args.size} visible candidates (SQLite)")
    print(f"  check per request, unchanged: {check * 1000:.1f} ms")
    print(f"  full build from the database: {build:.2f} s")
    print(f"  refresh after one change:     {statistics.median(refreshes) * 1000:.1f} ms median,"
          f" {max(refreshes) * 1000:.1f} ms max")
    print(f"  rank one vacancy (25 best):   {rank * 1000:.1f} ms")


if __name__ == "__main__":
    main()
