"""Demo vacancies on the demo contracts (see `hansyn.tenants.contracts.demo`). Idempotent: a
vacancy is looked up by its contract and title before it is created."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hansyn.tenants.audit.operations import DEMO_ACTOR
from hansyn.tenants.contracts.models import Contract
from hansyn.tenants.vacancies.models import Extent, Vacancy
from hansyn.tenants.vacancies.operations import VacancyData, create_vacancy

#: (contract diarienummer, vacancy) per demo municipality.
DEMO_VACANCIES: dict[str, tuple[tuple[str, VacancyData], ...]] = {
    "goteborg": (
        (
            "SK-2025-0412",
            VacancyData(
                title="Lokalvårdare till grundskolor på Hisingen",
                occupation="Städare/Lokalvårdare",
                required_skills=["Städning"],
                desired_skills=["Lokalvård", "Maskinstädning"],
                required_languages=["Svenska A2"],
                driving_licence=None,
                locality="Hisingen",
                positions=3,
                start_date=date(2027, 1, 11),
                duration_months=12,
                extent=Extent.FULL_TIME,
                hours_per_week=40,
            ),
        ),
        (
            "SK-2025-0412",
            VacancyData(
                title="Lokalvårdare kvällstid, deltid",
                occupation="Städare/Lokalvårdare",
                required_skills=["Städning"],
                desired_skills=[],
                required_languages=[],
                driving_licence=None,
                locality="Göteborg",
                positions=1,
                start_date=date(2027, 2, 1),
                duration_months=12,
                extent=Extent.PART_TIME,
                hours_per_week=30,
            ),
        ),
        (
            "SK-2025-0977",
            VacancyData(
                title="Köksbiträde och matbud till äldreboenden",
                occupation="Köksbiträde",
                required_skills=["Livsmedelshygien"],
                desired_skills=["Matlagning"],
                required_languages=["Svenska B1"],
                driving_licence="B",
                locality="Göteborg",
                positions=2,
                start_date=date(2027, 3, 1),
                duration_months=12,
                extent=Extent.FULL_TIME,
                hours_per_week=40,
            ),
        ),
    ),
    "boras": (
        (
            "KS 2025/318",
            VacancyData(
                title="Parkarbetare, säsong som förlängs till helår",
                occupation="Parkarbetare",
                required_skills=["Trädgårdsskötsel"],
                desired_skills=["Gräsklippning", "Röjsågning"],
                required_languages=[],
                driving_licence="B",
                locality="Borås",
                positions=2,
                start_date=date(2027, 4, 1),
                duration_months=12,
                extent=Extent.FULL_TIME,
                hours_per_week=40,
            ),
        ),
        (
            "KS 2025/402",
            VacancyData(
                title="Fastighetsskötare till förskolor",
                occupation="Fastighetsskötare",
                required_skills=["Fastighetsskötsel"],
                desired_skills=[],
                required_languages=["Svenska B1"],
                driving_licence="B",
                locality="Borås",
                positions=1,
                start_date=date(2027, 1, 15),
                duration_months=None,
                extent=Extent.FULL_TIME,
                hours_per_week=40,
            ),
        ),
    ),
}


def load_vacancies_demo(session: Session, slug: str) -> None:
    """The demo vacancies of `slug` on its demo contracts; a missing contract is skipped."""
    for reference, data in DEMO_VACANCIES.get(slug, ()):
        contract = session.scalar(select(Contract).where(Contract.reference == reference))
        if contract is None:
            continue
        exists = session.scalar(
            select(Vacancy.id).where(
                Vacancy.contract_id == contract.id, Vacancy.title == data.title
            )
        )
        if exists is None:
            create_vacancy(session, contract, data, DEMO_ACTOR)
