"""Every model of the tenant schema, imported so that `TenantBase.metadata` knows all tables.

Alembic's tenant environment imports this module; add each domain's models here.
"""

from hansyn.tenants.audit.models import AuditEvent
from hansyn.tenants.candidates.changes import CandidateChange, ChangeCounter
from hansyn.tenants.candidates.models import Candidate
from hansyn.tenants.contracts.models import Contract, SocialClause
from hansyn.tenants.matches.models import (
    CandidatePseudonym,
    Case,
    CaseEvent,
    CaseReason,
    CaseSettings,
)
from hansyn.tenants.notifications.models import Notification, NotificationRead
from hansyn.tenants.placements.models import (
    PeriodicReport,
    Placement,
    ReportEvent,
    Suspension,
)
from hansyn.tenants.procurements.models import Procurement
from hansyn.tenants.programmes.models import Programme
from hansyn.tenants.statistics.models import (
    PublishedFigures,
    SocioEconomicParameters,
    StatisticsSettings,
)
from hansyn.tenants.suppliers.models import Supplier
from hansyn.tenants.vacancies.models import Vacancy

__all__ = [
    "AuditEvent",
    "Candidate",
    "CandidateChange",
    "CandidatePseudonym",
    "Case",
    "CaseEvent",
    "CaseReason",
    "CaseSettings",
    "ChangeCounter",
    "Contract",
    "Notification",
    "NotificationRead",
    "PeriodicReport",
    "Placement",
    "Procurement",
    "Programme",
    "PublishedFigures",
    "ReportEvent",
    "SocialClause",
    "SocioEconomicParameters",
    "StatisticsSettings",
    "Supplier",
    "Suspension",
    "Vacancy",
]
