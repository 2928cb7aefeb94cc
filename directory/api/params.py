"""The query parameters of the HSDS API, validated once here (GET query or POST body).

Every invalid value is a 400 JSON problem naming the parameter (directory.api.views).
"""

import datetime as dt
import uuid
from typing import Literal

from django.utils import timezone

from ninja import Field, Schema
from pydantic import field_validator

# A page holds at most this many objects; `format=ndjson` streams everything.
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
MAX_PAGE = 1_000_000
# `proximity` is in metres (HSDS); farther than this is not a neighbourhood search.
MAX_PROXIMITY_M = 500_000
POSTCODE_PATTERN = r"^[0-9]{5}(-[0-9]{4})?$"


class Paging(Schema):
    search: str | None = Field(None, max_length=200, description="Full text search.")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Results per page (at most 100)."
    )
    format: Literal["json", "ndjson"] = Field(
        "json", description="`ndjson` streams every result, one per line, without paging."
    )


class ServiceFilters(Paging):
    taxonomy_term_id: uuid.UUID | None = Field(
        None, description="Services in this category (or one beneath it)."
    )
    taxonomy_id: uuid.UUID | None = Field(
        None, description="Services with any category of this taxonomy."
    )
    organization_id: uuid.UUID | None = Field(None, description="Services of this organization.")
    modified_after: dt.datetime | None = Field(
        None, description="Services published on or after this date-time (ISO 8601)."
    )
    minimal: bool = Field(False, description="Only id, name, status and last_modified.")
    full: bool = Field(False, description="Fully nested objects.")

    @field_validator("modified_after")
    @classmethod
    def aware(cls, value):
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return value


class LocatedFilters(ServiceFilters):
    postcode: str | None = Field(
        None,
        pattern=POSTCODE_PATTERN,
        description="A US ZIP code: places in it or services whose area names it; with "
        "`proximity`, places within that distance of its centre.",
    )
    proximity: float | None = Field(
        None,
        gt=0,
        le=MAX_PROXIMITY_M,
        allow_inf_nan=False,
        description="Metres from the centre of `postcode` (needs `postcode`).",
    )


class OrganizationFilters(Paging):
    full: bool = Field(False, description="Each organization with its services.")
    full_service: bool = Field(False, description="Nested services fully nested.")


class OrganizationOptions(Schema):
    full_service: bool = Field(False, description="Nested services fully nested.")


class TermFilters(Paging):
    taxonomy_id: uuid.UUID | None = Field(None, description="Terms of this taxonomy.")
    top_only: bool = Field(False, description="Only terms without a parent.")
    parent_id: uuid.UUID | None = Field(None, description="Only the children of this term.")
