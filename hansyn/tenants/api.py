"""Every domain's part of the JSON API, registered under `/api/v1/<tenant>` (see
`hansyn.platform.api`). Add a domain's API blueprint here, with the URL prefix it lives under."""

from __future__ import annotations

from hansyn.platform.api.parsing import Blueprint


def domain_blueprints() -> list[tuple[Blueprint, str]]:
    from hansyn.tenants.candidates.api import bp as candidates
    from hansyn.tenants.candidates.api import programmes_bp as programmes
    from hansyn.tenants.contracts.api import bp as contracts
    from hansyn.tenants.matches.api import bp as cases
    from hansyn.tenants.placements.api import bp as placements
    from hansyn.tenants.placements.reports_api import bp as reports
    from hansyn.tenants.statistics.api import bp as statistics
    from hansyn.tenants.suppliers.api import bp as suppliers
    from hansyn.tenants.vacancies.api import bp as vacancies

    return [
        (candidates, "/candidates"),
        (programmes, "/programmes"),
        (suppliers, "/suppliers"),
        (contracts, "/contracts"),
        # /vacancies and /contracts/<id>/vacancies/…: a vacancy is reached through its contract
        (vacancies, ""),
        (cases, "/cases"),
        # /placements/… and /cases/<id>/hire; /contracts/<id>/reports/…
        (placements, ""),
        (reports, ""),
        (statistics, "/statistics"),
    ]
