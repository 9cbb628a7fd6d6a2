"""Everything inside one municipality (see docs/architecture.md).

Importing any tenant module installs the guard every row written to a tenant database passes
(no personnummer, no control characters): `hansyn.tenants.privacy.guard`.
"""

from hansyn.tenants.privacy import guard as _guard  # noqa: F401
