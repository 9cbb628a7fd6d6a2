"""How many examples a property test draws.

CI (`.ci/run` sets HYPOTHESIS_PROFILE=ci) draws the full count; `make test` on a developer's
machine draws a fifth of it (at least 10), because the ranking properties alone took about 60 %
of the suite. Tests without their own count take the profile's default.
"""

from __future__ import annotations

import os

from hypothesis import settings

IN_CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"

settings.register_profile("ci", max_examples=100)
settings.register_profile("dev", max_examples=20)
settings.load_profile("ci" if IN_CI else "dev")


def examples(full_count: int) -> int:
    return full_count if IN_CI else max(10, full_count // 5)
