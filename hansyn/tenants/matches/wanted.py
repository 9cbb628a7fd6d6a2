"""What a vacancy asks of candidates, as the matcher sees it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from hansyn.matching import VacancyProfile
from hansyn.tenants.candidates.operations import FULL_TIME_HOURS, target_group_code
from hansyn.tenants.contracts.models import Contract, SocialClause
from hansyn.tenants.localities import Gazetteer
from hansyn.tenants.vacancies.models import Extent, Vacancy, VacancyStatus


def vacancy_profile(vacancy: Vacancy) -> VacancyProfile:
    """The vacancy as the matcher sees it.

    Target groups: those the contract's social clause names, as the follow-up counts them
    (`contracts.followup.counts_for`: a clause naming none counts every group, so then nobody
    is filtered out). A full-time vacancy asks for full-time hours whatever hours it states
    (37 or 38.25 hours can be full time), a part-time one for its hours; a candidate whose
    working time does not allow them is not ranked (`candidates.operations.WORKING_HOURS`).
    """
    place = Gazetteer.default().get(vacancy.locality_id)
    clause = vacancy.contract.clause
    groups = [target_group_code(g.id) for g in clause.target_groups] if clause is not None else []
    full_time = vacancy.extent is Extent.FULL_TIME
    return VacancyProfile(
        id=f"vacancy:{vacancy.id}",
        required_skills=list(vacancy.required_skills),
        # the occupation itself counts like a desired skill: who has done the job ranks higher
        desired_skills=[vacancy.occupation_label, *vacancy.desired_skills],
        location=place.point if place is not None else None,
        required_languages=list(vacancy.required_languages),
        required_licences=[f"körkort {vacancy.driving_licence}"] if vacancy.driving_licence else [],
        target_groups=groups,
        hours_per_week=float(FULL_TIME_HOURS if full_time else vacancy.hours_per_week),
        start_date=vacancy.start_date,
    )


def open_vacancy_profiles(session: Session) -> Iterator[VacancyProfile]:
    """Every open vacancy of the tenant as the matcher sees it: one statement for the vacancies
    with their contracts and clauses, one per 500 clauses for the clauses' target groups."""
    query = (
        select(Vacancy)
        .where(Vacancy.status == VacancyStatus.OPEN)
        .options(
            joinedload(Vacancy.contract)
            .joinedload(Contract.clause)
            .selectinload(SocialClause.target_groups)
        )
        .order_by(Vacancy.id)
    )
    for vacancy in session.scalars(query).unique():
        yield vacancy_profile(vacancy)
