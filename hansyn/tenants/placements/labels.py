"""What people read for the fixed lists of placements and follow-up (Swedish msgids), and the
clause's rules in words."""

from __future__ import annotations

from fractions import Fraction

from flask_babel import LazyString, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hansyn.tenants.contracts.followup import (
    ClauseStatus,
    EndReason,
    FirstHire,
    FollowUp,
    Why,
)
from hansyn.tenants.placements.models import EmploymentForm, ReportState, WageSubsidy

EMPLOYMENT_FORM_LABELS: dict[EmploymentForm, LazyString] = {
    EmploymentForm.PERMANENT: _l("Tillsvidareanställning"),
    EmploymentForm.GENERAL_FIXED_TERM: _l("Allmän visstidsanställning"),
    EmploymentForm.SUBSTITUTE: _l("Vikariat"),
    EmploymentForm.SEASONAL: _l("Säsongsanställning"),
    EmploymentForm.TRIAL: _l("Provanställning"),
}

SUBSIDY_LABELS: dict[WageSubsidy, LazyString] = {
    WageSubsidy.NONE: _l("Inget anställningsstöd"),
    WageSubsidy.NYSTARTSJOBB: _l("Nystartsjobb"),
    WageSubsidy.INTRODUKTIONSJOBB: _l("Introduktionsjobb"),
    WageSubsidy.ETABLERINGSJOBB: _l("Etableringsjobb"),
    WageSubsidy.YRKESINTRODUKTION: _l("Yrkesintroduktionsanställning"),
    WageSubsidy.LONEBIDRAG: _l("Lönebidrag för anställning"),
    WageSubsidy.LONEBIDRAG_UTVECKLING: _l("Lönebidrag för utveckling i anställning"),
    WageSubsidy.LONEBIDRAG_TRYGGHET: _l("Lönebidrag för trygghet i anställning"),
}

END_REASON_LABELS: dict[EndReason, LazyString] = {
    EndReason.EXPIRED: _l("Anställningen löpte ut"),
    EndReason.RESIGNED: _l("Den anställde sade upp sig"),
    EndReason.OBJECTIVE_GROUNDS: _l("Uppsägning på saklig grund"),
    EndReason.SUMMARY_DISMISSAL: _l("Avsked"),
    EndReason.EMPLOYER_OTHER: _l("Arbetsgivaren avslutade anställningen av annat skäl"),
    EndReason.OTHER_EMPLOYER: _l("Gick vidare till en annan arbetsgivare"),
}

STATUS_LABELS: dict[ClauseStatus, LazyString] = {
    ClauseStatus.ON_TRACK: _l("Enligt plan"),
    ClauseStatus.AT_RISK: _l("Risk"),
    ClauseStatus.MET: _l("Uppfyllt"),
    ClauseStatus.NOT_MET: _l("Ej uppfyllt"),
}

#: Worst first: the order of the contract list's "status" column.
STATUS_ORDER = (ClauseStatus.NOT_MET, ClauseStatus.AT_RISK, ClauseStatus.ON_TRACK, ClauseStatus.MET)


def status_filter_label(value: str) -> str:
    """The follow-up list's status filter: a clause status, or "dialog" (a dialogue clause,
    followed up in dialogue, has none)."""
    if value == "dialog":
        return _("Dialogkrav")
    return str(STATUS_LABELS[ClauseStatus(value)])


FIRST_HIRE_LABELS: dict[FirstHire, LazyString] = {
    FirstHire.MET: _l("uppfyllt"),
    FirstHire.PENDING: _l("ingen anställning ännu"),
    FirstHire.NEAR: _l("ingen anställning ännu – fristen närmar sig"),
    FirstHire.MISSED: _l("fristen gick ut utan anställning"),
}

REPORT_STATE_LABELS: dict[ReportState, LazyString] = {
    ReportState.DRAFT: _l("Utkast"),
    ReportState.SUBMITTED: _l("Inskickad"),
    ReportState.APPROVED: _l("Godkänd"),
    ReportState.RETURNED: _l("Återsänd för komplettering"),
}


def months(value: Fraction) -> str:
    """Full-time months with one decimal, in the reader's language ("30,5" / "30.5")."""
    return str(format_decimal(round(float(value), 1), format="#,##0.#"))


def months_text(value: Fraction) -> str:
    """ "1 heltidsmånad", "2,5 heltidsmånader" (a fraction of a month is plural)."""
    count = 1 if value == 1 else 2
    return ngettext(
        "%(months)s heltidsmånad", "%(months)s heltidsmånader", count, months=months(value)
    )


def rule_in_words(result: FollowUp, deadline: str) -> list[str]:
    """Why the clause has its status, one sentence per rule that decided it."""
    words = {
        Why.DELIVERED: _(
            "Levererat %(delivered)s av %(required)s; första anställningen påbörjades eller "
            "erbjöds %(first)s, före fristen %(deadline)s.",
            delivered=months(result.delivered),
            required=months_text(result.required),
            first=result.first_hire_on.isoformat() if result.first_hire_on else "–",
            deadline=deadline,
        ),
        Why.FIRST_HIRE_MISSED: _(
            "Ingen anställning påbörjades eller erbjöds senast %(deadline)s (sex månader efter "
            "avtalets start eller den frist avtalet anger).",
            deadline=deadline,
        ),
        Why.ENDED_SHORT: _(
            "Avtalet har löpt ut med %(delivered)s av %(required)s levererade.",
            delivered=months(result.delivered),
            required=months_text(result.required),
        ),
        Why.FORECAST_SHORT: _(
            "Planerade anställningar ger %(planned)s av %(required)s till avtalets slut; "
            "%(missing)s saknas.",
            planned=months(result.planned),
            required=months_text(result.required),
            missing=months_text(result.required - result.planned),
        ),
        Why.DEADLINE_NEAR: _(
            "Ingen anställning ännu och fristen för den första (%(deadline)s) närmar sig.",
            deadline=deadline,
        ),
        Why.FORECAST_MEETS: _(
            "Planerade anställningar ger %(planned)s av %(required)s.",
            planned=months(result.planned),
            required=months_text(result.required),
        ),
    }
    return [words[why] for why in result.why]


def early_end_rule(share: int) -> str:
    return _(
        "En anställning som avslutas i förtid räknas som hel om minst %(share)d %% av den "
        "avtalade tiden har fullgjorts och den anställde sade upp sig, gick till en annan "
        "arbetsgivare, sades upp på saklig grund eller avskedades – inte om arbetsgivaren "
        "avslutade den av annat skäl.",
        share=share,
    )
