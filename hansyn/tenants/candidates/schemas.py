"""The JSON shapes of job seekers in the API (the coordinator's view: who they are)."""

from __future__ import annotations

from marshmallow import fields, validate

from hansyn.platform.api.schemas import (
    ApiSchema,
    PageArgsSchema,
    UtcDateTime,
    items,
    length,
    number,
    page_schema,
)
from hansyn.tenants.candidates.models import (
    CLOSING_REASONS,
    LICENCE_CLASSES,
    CandidateStatus,
    WorkingTime,
)
from hansyn.tenants.candidates.parsing import MAX_COMMUTE_KM

MAX_LIST = 50


class CandidateInSchema(ApiSchema):
    """What a coordinator registers or replaces (PUT sends every field)."""

    reference = fields.String(required=True, validate=length(60),
                              metadata={"description": "The case reference in your own system."})
    name = fields.String(required=True, validate=length(200))
    phone = fields.String(load_default=None, allow_none=True, validate=length(40))
    email = fields.String(load_default=None, allow_none=True, validate=length(254))
    programme_id = fields.Integer(required=True, metadata={"description": "See GET programmes."})
    skills = fields.List(fields.String(validate=length(200)), load_default=list,
                         validate=items(MAX_LIST))
    languages = fields.List(fields.String(validate=length(200)), load_default=list,
                            validate=items(MAX_LIST),
                            metadata={"description": "e.g. \"svenska B1\", \"arabiska modersmål\""})
    driving_licences = fields.List(fields.String(validate=validate.OneOf(LICENCE_CLASSES)),
                                   load_default=list, validate=items(len(LICENCE_CLASSES)))
    place = fields.String(load_default="", allow_none=True, validate=length(200),
                          metadata={"description": "Home town or district (resolved by name)."})
    place_id = fields.String(load_default="", allow_none=True, validate=length(20))
    max_commute_km = fields.Integer(load_default=None, allow_none=True,
                                    validate=number(1, MAX_COMMUTE_KM))
    available_from = fields.Date(load_default=None, allow_none=True)
    working_time = fields.Enum(WorkingTime, by_value=True, load_default=WorkingTime.EITHER)
    notes = fields.String(load_default=None, allow_none=True, validate=length(2000))
    confirm_special = fields.Boolean(
        load_default=False,
        metadata={"description": "Confirms that GDPR art. 9 words in the notes are needed."},
    )


class NewCandidateSchema(CandidateInSchema):
    consent = fields.Boolean(
        load_default=False,
        metadata={"description": "The person agrees to be shown pseudonymised to suppliers."},
    )


class CandidateSchema(ApiSchema):
    id = fields.Integer(required=True)
    reference = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    programme_id = fields.Integer(required=True)
    skills = fields.Function(lambda c: [s.text for s in c.skills], required=True,
                             metadata={"type": "array", "items": {"type": "string"}})
    languages = fields.Function(lambda c: [v.text for v in c.languages], required=True,
                                metadata={"type": "array", "items": {"type": "string"}})
    driving_licences = fields.Function(lambda c: c.licence_list, required=True,
                                       metadata={"type": "array", "items": {"type": "string"}})
    place = fields.String(attribute="place_name", allow_none=True)
    place_id = fields.String(allow_none=True)
    max_commute_km = fields.Integer(allow_none=True)
    available_from = fields.Date(allow_none=True)
    working_time = fields.Enum(WorkingTime, by_value=True, required=True)
    notes = fields.String(allow_none=True)
    status = fields.Enum(CandidateStatus, by_value=True, required=True)
    closed_reason = fields.String(allow_none=True)
    consent_given = fields.Boolean(required=True)
    restricted = fields.Function(lambda c: c.restricted_at is not None, required=True,
                                 metadata={"type": "boolean"})
    erased = fields.Function(lambda c: c.erased_at is not None, required=True,
                             metadata={"type": "boolean"})
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


CandidatePageSchema = page_schema(CandidateSchema, "CandidatePage")


class CandidateListArgsSchema(PageArgsSchema):
    status = fields.Enum(CandidateStatus, by_value=True, load_default=None)


class StatusInSchema(ApiSchema):
    status = fields.Enum(CandidateStatus, by_value=True, required=True)
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.OneOf(CLOSING_REASONS),
                           metadata={"description": "Why a case is closed (status closed)."})


class ConsentInSchema(ApiSchema):
    given = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=length(500),
                         metadata={"description": "How the consent was given (optional)."})


class ProgrammeSchema(ApiSchema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    active = fields.Boolean(required=True)
