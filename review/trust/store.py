"""The freshness store: per-field and per-listing freshness, kept outside the page.

Recomputed from verifications (and an import's own last-verified date) after every
verification or approved edit, and for every listing by a daily periodic job.
`recompute` handles any number of listings in batches, with a fixed number of
queries per batch.
"""

import datetime as dt
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from review.conf import review_days, review_setting, trust_setting
from review.trust.fields import present_fields_for
from review.trust.freshness import Vote, confidence, field_freshness, listing_freshness

BATCH_SIZE = 2000


def stale_after():
    """How long a full verification keeps a listing from being stale (settings:
    STEWARD["REVIEW"]["STALE_AFTER_DAYS"], DESIGN default 365)."""
    return review_days("STALE_AFTER_DAYS")


def due_after():
    """When a listing falls due, before it turns stale (DUE_AFTER_DAYS, default 330)."""
    return review_days("DUE_AFTER_DAYS")


def _weak_after(half_life_days):
    """Age at which a field's freshness falls to STALE_FIELD_FRESHNESS (one
    half-life at the default 0.5)."""
    threshold = review_setting("STALE_FIELD_FRESHNESS")
    return dt.timedelta(days=half_life_days * math.log2(1 / threshold))


def is_key_field(name, weights=None):
    """A field whose weight is STALE_FIELD_WEIGHT: its freshness alone can make a
    listing stale (and due) early."""
    weights = trust_setting("WEIGHTS") if weights is None else weights
    return weights.get(name, 1) == review_setting("STALE_FIELD_WEIGHT")


@dataclass(frozen=True)
class Check:
    """One verification as the formulas need it."""

    user_id: int | None
    organization_id: int | None
    fields: frozenset
    at: dt.datetime


@dataclass
class FieldState:
    last_verified_at: dt.datetime | None
    freshness: float
    confidence: float


@dataclass
class ListingState:
    score: float
    last_verified_at: dt.datetime | None
    last_full_verification_at: dt.datetime | None
    verifying_organizations_count: int
    partly_checked_fields: list
    due_at: dt.datetime | None
    stale_at: dt.datetime | None
    fields: dict = field(default_factory=dict)


def listing_state(*, present, checks, baseline, organization_id, reliabilities, now, reports=()):
    """Freshness, confidence and due date of one listing (pure; time passed in).

    `present`: the trust fields the listing has. `checks`: its verifications.
    `baseline`: when an import's source last verified it (or None); it counts as a
    full verification credited to no organization. `reliabilities`: {user id: R_u}.
    `reports`: (reported at, trust fields) of its open reports: a listing is due
    from the moment someone reports a value that nobody verified since.
    """
    half_lives = trust_setting("HALF_LIVES")
    weights = trust_setting("WEIGHTS")
    last = {}
    for name in present:
        dates = [c.at for c in checks if name in c.fields]
        if baseline is not None:
            dates.append(baseline)
        last[name] = max(dates, default=None)

    fields = {}
    for name in present:
        votes = [
            Vote(
                reliability=reliabilities.get(c.user_id, 0.7),
                organization_id=c.organization_id,
                verified_at=c.at,
            )
            for c in checks
            if name in c.fields and c.user_id is not None
        ]
        fields[name] = FieldState(
            last_verified_at=last[name],
            freshness=field_freshness(name, last[name], now=now),
            confidence=confidence(
                votes,
                listing_organization_id=organization_id,
                half_life_days=half_lives[name],
                now=now,
            ),
        )

    dates = list(last.values())
    full = None if any(d is None for d in dates) else min(dates, default=None)
    due_at = stale_at = None
    if full is not None:
        # Stale after STALE_AFTER_DAYS without a full verification, or when a
        # weight-3 field falls to STALE_FIELD_FRESHNESS; due at DUE_AFTER_DAYS, or
        # at that same moment, whichever comes first (review.conf).
        weak_at = [
            last[name] + _weak_after(half_lives[name])
            for name in present
            if is_key_field(name, weights)
        ]
        stale_at = min([full + stale_after(), *weak_at])
        due_at = min([full + due_after(), *weak_at])
    reported = [
        at
        for at, names in reports
        if any(last.get(name) is None or last[name] < at for name in names if name in last)
    ]
    if reported and full is not None:  # (never fully verified: due already)
        due_at = min([due_at, *reported])
    latest = max(checks, key=lambda c: c.at, default=None)
    partly = []
    if latest is not None and (full is None or latest.at > full):
        partly = sorted(name for name in present if name in latest.fields)
        if set(partly) == set(present):
            partly = []
    organizations = {
        c.organization_id
        for c in checks
        if c.organization_id is not None and now - c.at < review_days("ORGANIZATIONS_WINDOW_DAYS")
    }
    return ListingState(
        score=listing_freshness(last, now=now),
        last_verified_at=max((c.at for c in checks), default=None),
        last_full_verification_at=full,
        verifying_organizations_count=len(organizations),
        partly_checked_fields=partly,
        due_at=due_at,
        stale_at=stale_at,
        fields=fields,
    )


def _start_of(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_default_timezone())


def recompute(page_ids=None, *, now=None, batch_size=BATCH_SIZE):
    """Recompute the store for these listings (all service pages when None).

    Returns how many listings were recomputed.
    """
    from directory.models import ServicePage

    now = now or timezone.now()
    if page_ids is None:
        ids = list(ServicePage.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(page_ids))
    for start in range(0, len(ids), batch_size):
        _recompute_batch(ids[start : start + batch_size], now=now)
    return len(ids)


PAGE_FIELDS = (
    "id",
    "path",
    "uuid",
    "title",
    "description",
    "email",
    "website",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "application_process",
    "fees_description",
    "status",
)


def _prepared(fields, rows):
    """The database values of the rows, each distinct value of a column prepared
    once (the batch shares its `computed_at`, and a listing's fields mostly share
    their dates: preparing datetimes was most of the nightly write)."""
    memo = [{} for _ in fields]
    params = []
    for row in rows:
        values = []
        for seen, f in zip(memo, fields, strict=True):
            value = row[f.name]
            try:
                values.append(seen[value])
            except KeyError:
                seen[value] = prepared = f.get_db_prep_save(value, connection)
                values.append(prepared)
            except TypeError:  # unhashable (a JSON list): prepared every time
                values.append(f.get_db_prep_save(value, connection))
        params.append(values)
    return params


def _upsert(model, rows, *, unique):
    """INSERT these rows (dicts of field name -> value, all with the same keys), or
    UPDATE every other column of the row with the same `unique` fields."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in rows[0]]
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields]
    keys = {quote(model._meta.get_field(name).column) for name in unique}
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - names from the model, quoted; values are parameters
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(c for c in columns if c in keys)}) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in keys)
    )
    if connection.vendor == "postgresql":
        # One statement per batch: the rows travel as one array per column and
        # are unnested by the server (executemany costs a round of parsing and
        # adapting per row).
        arrays, casts = [], []
        for f in fields:
            column_type = f.db_type(connection)
            if f.get_internal_type() == "JSONField":
                arrays.append([json.dumps(row[f.name]) for row in rows])
            else:
                # Plain Python values (ints, floats, aware datetimes, dates, text)
                # that psycopg adapts itself.
                arrays.append([row[f.name] for row in rows])
            casts.append(f"%s::{column_type}[]")
        select = f"SELECT * FROM unnest({', '.join(casts)})"  # noqa: S608 - column types from the model
        import psycopg

        connection.ensure_connection()
        # Server-side binding: the arrays travel as parameters, not quoted into
        # the statement's text (Django's cursors bind on the client).
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                sql.replace(f"VALUES ({', '.join(['%s'] * len(columns))})", select), arrays
            )
        return
    params = _prepared(fields, rows)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def open_reports(ids):
    """{page id: [(reported at, trust fields), ...]} of the open reports that name
    a value (review.queue.actions.REPORT_FIELDS), in one query."""
    from review.models import Report
    from review.queue.actions import REPORT_FIELDS

    reports = defaultdict(list)
    for page_id, reason, at in Report.objects.filter(
        page_id__in=ids, status=Report.Status.OPEN, reason__in=list(REPORT_FIELDS)
    ).values_list("page_id", "reason", "created_at"):
        reports[page_id].append((at, REPORT_FIELDS[reason]))
    return reports


def _recompute_batch(ids, *, now):
    from directory.members import organizations_by_path
    from directory.models import OrganizationPage, ServicePage, SourceRecord
    from review.models import FieldFreshness, ListingFreshness, Verification
    from review.trust.standing import standings_for

    pages = list(ServicePage.objects.filter(pk__in=ids).only(*PAGE_FIELDS))
    present = present_fields_for(pages)
    organizations = organizations_by_path(
        [p.path for p in pages], OrganizationPage.objects.values("pk", "path")
    )
    checks = defaultdict(list)
    for page_id, user_id, organization_id, names, at in Verification.objects.filter(
        page_id__in=ids
    ).values_list("page_id", "user_id", "organization_id", "fields", "verified_at"):
        checks[page_id].append(Check(user_id, organization_id, frozenset(names), at))
    sources = {}
    for uuid, source, assured in SourceRecord.objects.filter(
        kind="service", object_uuid__in=[p.uuid for p in pages]
    ).values_list("object_uuid", "source", "assured_date"):
        known = sources.get(uuid)
        if known is None or (assured and (known[1] is None or assured > known[1])):
            sources[uuid] = (source, assured)
    reports = open_reports(ids)
    users = {c.user_id for cs in checks.values() for c in cs if c.user_id is not None}
    reliabilities = {pk: s.reliability for pk, s in standings_for(users).items()}

    # Every row is written anew by one upsert per table (INSERT ... ON CONFLICT DO
    # UPDATE, the same SQL on SQLite and PostgreSQL), from plain values: set-based,
    # safe against a concurrent recomputation of the same listing, and without
    # building a model instance per row (bulk_update's CASE expressions, then
    # bulk_create's per-object compilation, cost most of the nightly job).
    kept_fields = set(
        FieldFreshness.objects.filter(page_id__in=ids).values_list("pk", "page_id", "field")
    )
    listing_rows, field_rows, written = [], [], set()
    for page in pages:
        source, assured = sources.get(page.uuid, ("", None))
        organization = organizations[page.path]
        organization_id = organization["pk"] if organization else None
        state = listing_state(
            present=present[page.pk],
            checks=checks[page.pk],
            baseline=_start_of(assured) if assured else None,
            organization_id=organization_id,
            reliabilities=reliabilities,
            now=now,
            reports=reports.get(page.pk, ()),
        )
        listing_rows.append(
            {
                "page": page.pk,
                "organization": organization_id,
                "score": state.score,
                "last_verified_at": state.last_verified_at,
                "last_full_verification_at": state.last_full_verification_at,
                "partly_checked_fields": state.partly_checked_fields,
                "verifying_organizations_count": state.verifying_organizations_count,
                "imported_from": source,
                "source_verified_on": assured,
                "due_at": state.due_at,
                "stale_at": state.stale_at,
                "computed_at": now,
            }
        )
        for name, field_state in state.fields.items():
            written.add((page.pk, name))
            field_rows.append(
                {
                    "page": page.pk,
                    "field": name,
                    "last_verified_at": field_state.last_verified_at,
                    "freshness": field_state.freshness,
                    "confidence": field_state.confidence,
                    "computed_at": now,
                }
            )

    with transaction.atomic():
        _upsert(ListingFreshness, listing_rows, unique=["page"])
        _upsert(FieldFreshness, field_rows, unique=["page", "field"])
        # Fields the listing no longer has: their derived rows go (the
        # verifications they came from stay).
        gone = [pk for pk, page_id, name in kept_fields if (page_id, name) not in written]
        if gone:
            FieldFreshness.objects.filter(pk__in=gone).delete()
