"""How many examples a property test draws.

CI (`.ci/run` sets HYPOTHESIS_PROFILE=ci) draws the full count; `make test` on a developer's
machine draws a fifth of it (at least 10), because the ranking properties alone took about 60 %
of the suite. Tests without their own count take the profile's default.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

IN_CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"

#: Timing is not what these tests judge: the machines are small and shared, so neither a deadline
#: nor the "too slow" health check may fail a property (speed goals live in benchmarks/).
_NOT_TIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=100, **_NOT_TIMED)
settings.register_profile("dev", max_examples=20, **_NOT_TIMED)
settings.load_profile("ci" if IN_CI else "dev")


def examples(full_count: int) -> int:
    return full_count if IN_CI else max(10, full_count // 5)
