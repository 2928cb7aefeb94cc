"""The review queue's scan (DESIGN.md §4, "The review queue").

`scan(now=...)` looks at every listing for the four triggers and makes the open
items match what it finds: a new item where a trigger holds and none is open,
the open item's reason refreshed where one is, and the item closed where the
trigger no longer holds. Running it twice changes nothing the second time. The
database allows one open item per (listing, kind), so two scans racing cannot
duplicate an item either.

Each trigger is a function from `now` to {(page_id, kind): Trigger}; priority
is computed for every open item in a few batched queries.
"""

import datetime as dt
import inspect
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.models import Page, Revision, WorkflowState

from directory.models import OrganizationPage, ServicePage, TaxonomyTerm
from review.conf import review_setting, trust_setting
from review.models import Report, ReviewItem
from review.queue.confidential import possible_confidential
from review.queue.priority import priority as priority_formula
from review.queue.priority import severity as severity_formula
from review.queue.translations import translation_outdated
from review.trust import freshness as freshness_formulas

Kind = ReviewItem.Kind
DAY = dt.timedelta(days=1)
AUTO_RESOLUTION = "No longer applies (closed by the scan)."
# Items written per statement.
WRITE_BATCH = 1000
# Within one scan, each listing's freshness is computed once (the stale trigger
# and the priorities both read it).
_memo = threading.local()


@dataclass
class Trigger:
    reason: str
    data: dict = field(default_factory=dict)
    report_ids: list = field(default_factory=list)
    revision_ids: list = field(default_factory=list)
    # When the newest evidence appeared: a person's resolution after it stands.
    evidence_at: dt.datetime | None = None


@dataclass
class ScanResult:
    created: list
    closed: list
    updated: int = 0

    def __str__(self):
        return f"{len(self.created)} created, {len(self.closed)} closed, {self.updated} updated"


# ---------------------------------------------------------------- triggers


def _as_object_ids(page_ids):
    return [str(pk) for pk in page_ids]


def pending_edits(*, now, page_ids=None):
    """Listings with a moderation workflow in progress."""
    listing_types = ContentType.objects.get_for_models(ServicePage, OrganizationPage).values()
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, content_type__in=listing_types
    ).select_related("requested_by")
    if page_ids is not None:
        states = states.filter(object_id__in=_as_object_ids(page_ids))
    found = {}
    page_ids = {int(state.object_id) for state in states}
    pages = Page.objects.in_bulk(page_ids)
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None:
            continue
        found[(page.pk, Kind.PENDING_EDIT)] = Trigger(
            reason="An edit waits for review.",
            data={
                "workflow_state": state.pk,
                "submitted_at": state.created_at.isoformat(),
                "live_revision": page.live_revision_id,
                "latest_revision": page.latest_revision_id,
            },
            revision_ids=[r for r in (page.live_revision_id, page.latest_revision_id) if r],
            evidence_at=state.created_at,
        )
    return found


@dataclass(frozen=True)
class Freshness:
    listing: float  # F, now
    weakest_key_field: tuple  # (F_f, field) of the weakest weight-3 field, or (1.0, "")


def listing_freshness(page_ids, *, now):
    """{page_id: Freshness} at `now`, from the freshness store's per-field dates
    (review.trust.store; one query). A listing the store knows nothing about was never
    verified: F = 0."""

    memo = getattr(_memo, "fresh", None)
    if memo is not None and memo[0] == now:
        known = memo[1]
        missing = [pk for pk in page_ids if pk not in known]
        if missing:
            known.update(_listing_freshness(missing, now=now))
        return {pk: known[pk] for pk in page_ids}
    return _listing_freshness(page_ids, now=now)


def _listing_freshness(page_ids, *, now):
    from review.models import FieldFreshness

    weights = trust_setting("WEIGHTS")
    by_page = {pk: {} for pk in page_ids}
    for page_id, name, verified_at in FieldFreshness.objects.filter(
        page_id__in=page_ids
    ).values_list("page_id", "field", "last_verified_at"):
        by_page[page_id][name] = verified_at
    result = {}
    for page_id, by_field in by_page.items():
        key_fields = [
            (freshness_formulas.field_freshness(name, at, now=now), name)
            for name, at in by_field.items()
            if weights.get(name, 1) == 3
        ]
        result[page_id] = Freshness(
            listing=freshness_formulas.listing_freshness(by_field, now=now) if by_field else 0.0,
            weakest_key_field=min(key_fields, default=(1.0, "")),
        )
    return result


def stale(*, now, page_ids=None):
    """A weight-3 field below STALE_FIELD_FRESHNESS, or no full verification for
    STALE_AFTER_DAYS (never verified counts): the freshness store's `stale_at`
    decides (review.trust.store); the settings only word the reason."""
    from review.models import ListingFreshness
    from review.trust.fields import LABELS

    threshold = review_setting("STALE_FIELD_FRESHNESS")
    max_age = dt.timedelta(days=review_setting("STALE_AFTER_DAYS"))
    live = ServicePage.objects.live()
    if page_ids is not None:
        live = live.filter(pk__in=page_ids)
    known = {
        page_id: (stale_at, full, imported_from)
        for page_id, stale_at, full, imported_from in ListingFreshness.objects.filter(
            page__in=live
        ).values_list("page_id", "stale_at", "last_full_verification_at", "imported_from")
    }
    stale_ids = [
        pk
        for pk in live.values_list("pk", flat=True)
        if pk not in known or known[pk][0] is None or known[pk][0] <= now
    ]
    fresh = listing_freshness(stale_ids, now=now)
    found = {}
    for page_id in stale_ids:
        _, full, imported_from = known.get(page_id, (None, None, ""))
        field_f, field_name = fresh[page_id].weakest_key_field
        reasons = []
        if full is None:
            reasons.append(
                f"Imported from {imported_from}, never verified here."
                if imported_from
                else "Never fully verified."
            )
        elif now - full >= max_age:
            reasons.append(f"Last fully verified {(now - full).days} days ago.")
        if field_name and field_f < threshold:
            label = LABELS.get(field_name, field_name).lower()
            reasons.append(f"{label.capitalize()} due for checking (freshness {field_f:.2f}).")
        found[(page_id, Kind.STALE)] = Trigger(
            reason=" ".join(reasons) or "Due for verification.",
            data={
                "freshness": round(fresh[page_id].listing, 3),
                "weakest_field": field_name,
                "weakest_field_freshness": round(field_f, 3),
                "last_full_verification": full.isoformat() if full else None,
            },
        )
    return found


def disputed(*, now, page_ids=None):
    """Every open report reaches a reviewer (issue 11 overrides DESIGN.md's "two
    reporters" rule: the report form promises a local reviewer checks each one).
    The reason says how strong the evidence is; one anonymous report is marked
    `single_anonymous` and ranks lower (review.queue.priority)."""
    by_page = defaultdict(list)
    reports = Report.objects.filter(status=Report.Status.OPEN).order_by("created_at", "pk")
    if page_ids is not None:
        reports = reports.filter(page_id__in=page_ids)
    for report in reports:
        by_page[report.page_id].append(report)
    found = {}
    for page_id, reports in by_page.items():
        why = []
        if any(r.organization_id or r.source == Report.Source.MEMBER for r in reports):
            why.append("A member of an organization reported a problem.")
        if any(
            r.source == Report.Source.OUTCOME and r.reason in Report.OUTCOME_REASONS
            for r in reports
        ):
            why.append("Someone could not get help here (an outcome report).")
        reporters = {r.reporter_identity for r in reports}
        sources = {r.source for r in reports}
        if len(reporters) >= 2 or len(sources) >= 2:
            why.append(f"{len(reporters)} different people reported problems.")
        single_anonymous = not why
        if single_anonymous:
            why.append("Someone reported a problem.")
        found[(page_id, Kind.DISPUTED)] = Trigger(
            reason=" ".join(why),
            data={
                "reasons": sorted({r.reason for r in reports}),
                "single_anonymous": single_anonymous,
            },
            report_ids=[r.pk for r in reports],
            evidence_at=max(r.created_at for r in reports),
        )
    return found


def _child_rows(content, relation, keys):
    return tuple(
        sorted(tuple(str(row.get(k) or "") for k in keys) for row in content.get(relation, []))
    )


def comparable_values(content):
    """{trust field: hashable value} from a service revision's content (the
    fields of review.trust.fields.MODEL_TO_FIELD; a field made of several model fields,
    like eligibility, compares them together)."""
    from review.trust.fields import MODEL_TO_FIELD

    parts = defaultdict(list)
    for model_name, trust_field in MODEL_TO_FIELD.items():
        if model_name == "phones":
            value = tuple(
                sorted(
                    (re.sub(r"\D", "", p.get("number") or ""), p.get("extension") or "")
                    for p in content.get("phones", [])
                )
            )
        elif model_name == "hours":
            value = _child_rows(
                content, "hours", ("weekday", "opens_at", "closes_at", "closed", "location")
            )
        elif model_name == "service_at_locations":
            value = _child_rows(content, "service_at_locations", ("location",))
        else:
            raw = content.get(model_name)
            value = raw.strip() if isinstance(raw, str) else raw
        parts[trust_field].append(value)
    return {name: tuple(values) for name, values in parts.items()}


def count_reversions(values):
    """How often a value went back to one it held before: A→B→A is one, A→B→A→B two."""
    reversions = 0
    for i in range(1, len(values)):
        if values[i] != values[i - 1] and values[i] in values[: i - 1]:
            reversions += 1
    return reversions


def conflicts(*, now, page_ids=None):
    """A field's value flipped back and forth twice within 30 days (an edit war)."""
    window_start = now - review_setting("CONFLICT_WINDOW_DAYS") * DAY
    flips_needed = review_setting("CONFLICT_FLIPS")
    service_type = ContentType.objects.get_for_model(ServicePage)
    in_window = Revision.objects.filter(
        content_type=service_type, created_at__gte=window_start, created_at__lte=now
    )
    if page_ids is not None:
        in_window = in_window.filter(object_id__in=_as_object_ids(page_ids))
    # Only listings edited at least twice in the window can have flipped twice;
    # their revisions' content is loaded, nobody else's.
    busy = (
        in_window.values("object_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=flips_needed)
        .values("object_id")
    )
    recent = defaultdict(list)
    for revision in (
        in_window.filter(object_id__in=busy)
        .only("pk", "object_id", "created_at", "content")
        .order_by("created_at", "pk")
    ):
        recent[int(revision.object_id)].append(revision)
    found = {}
    for page_id, revisions in recent.items():
        if len(revisions) < flips_needed:
            continue
        baseline = (
            Revision.objects.filter(
                content_type=service_type, object_id=str(page_id), created_at__lt=window_start
            )
            .only("pk", "content", "created_at")
            .order_by("-created_at", "-pk")
            .first()
        )
        sequence = ([baseline] if baseline else []) + revisions
        values = [comparable_values(r.content) for r in sequence]
        flipped = {}
        for name in values[0]:
            series = [v[name] for v in values]
            count = count_reversions(series)
            if count >= flips_needed:
                flipped[name] = count
        if flipped:
            names = ", ".join(sorted(flipped))
            found[(page_id, Kind.CONFLICT)] = Trigger(
                reason=f"Edits keep changing its {names} back and forth.",
                data={"fields": sorted(flipped), "flips": flipped},
                revision_ids=[r.pk for r in sequence],
                evidence_at=revisions[-1].created_at,
            )
    return found


def changed_fields(before, after):
    """Trust fields whose value differs between two revisions' content."""
    old, new = comparable_values(before), comparable_values(after)
    return sorted(name for name in new if new[name] != old.get(name))


def contradicted_verifications(*, now, page_ids=None):
    """A pending change contradicts a value that another organization (not the
    editor's) verified in the last CONFLICT_VERIFIED_WITHIN_DAYS (90) days."""
    from directory.members import acting_organization
    from review.models import Verification

    within_days = review_setting("CONFLICT_VERIFIED_WITHIN_DAYS")
    since = now - within_days * DAY
    service_type = ContentType.objects.get_for_model(ServicePage)
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, content_type=service_type
    ).select_related("requested_by")
    if page_ids is not None:
        states = states.filter(object_id__in=_as_object_ids(page_ids))
    states = list(states)
    if not states:
        return {}
    pages = ServicePage.objects.in_bulk([int(s.object_id) for s in states])
    revision_ids = {
        r for page in pages.values() for r in (page.live_revision_id, page.latest_revision_id) if r
    }
    revisions = Revision.objects.in_bulk(revision_ids)
    verifications = defaultdict(list)
    for v in Verification.objects.filter(
        page_id__in=pages,
        kind=Verification.Kind.VERIFICATION,
        verified_at__gte=since,
        organization__isnull=False,
    ).select_related("organization"):
        verifications[v.page_id].append(v)
    found = {}
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None or not verifications.get(page.pk):
            continue
        live, latest = revisions.get(page.live_revision_id), revisions.get(page.latest_revision_id)
        if live is None or latest is None or live.pk == latest.pk:
            continue
        changed = set(changed_fields(live.content, latest.content))
        editor_organization = (
            acting_organization(state.requested_by) if state.requested_by else None
        )
        against = [
            v
            for v in verifications[page.pk]
            if v.organization_id != getattr(editor_organization, "pk", None)
            and changed & set(v.fields)
        ]
        if against:
            fields = sorted(changed & {f for v in against for f in v.fields})
            titles = sorted({v.organization.title for v in against})
            found[(page.pk, Kind.CONFLICT)] = Trigger(
                reason=ngettext(
                    "A pending edit changes %(fields)s, which %(organizations)s "
                    "verified in the last %(days)s day.",
                    "A pending edit changes %(fields)s, which %(organizations)s "
                    "verified in the last %(days)s days.",
                    within_days,
                )
                % {
                    "fields": ", ".join(fields),
                    "organizations": " and ".join(titles),
                    "days": within_days,
                },
                data={
                    "fields": fields,
                    "verified_by": [
                        {"id": v.organization_id, "title": v.organization.title} for v in against
                    ],
                },
                revision_ids=[live.pk, latest.pk],
                evidence_at=latest.created_at,
            )
    return found


def all_conflicts(*, now, page_ids=None):
    """Both conflict triggers; one item per listing, with both reasons."""
    found = conflicts(now=now, page_ids=page_ids)
    for key, trigger in contradicted_verifications(now=now, page_ids=page_ids).items():
        if key in found:
            flip = found[key]
            found[key] = Trigger(
                reason=f"{flip.reason} {trigger.reason}",
                data={
                    **flip.data,
                    **trigger.data,
                    "fields": sorted({*flip.data["fields"], *trigger.data["fields"]}),
                },
                revision_ids=sorted({*flip.revision_ids, *trigger.revision_ids}),
                evidence_at=max(flip.evidence_at, trigger.evidence_at),
            )
        else:
            found[key] = trigger
    return found


# Issue 10: places an import flagged as possibly confidential (review/confidential.py).
TRIGGERS = (
    pending_edits,
    stale,
    disputed,
    all_conflicts,
    possible_confidential,
    translation_outdated,
)


# ---------------------------------------------------------------- priority


def listing_views(page_ids, *, since):
    """{page_id: views since `since`} from every `steward_listing_views` hook (impact
    registers it); 0 for a listing nothing answers for."""
    counts = dict.fromkeys(page_ids, 0)
    for fn in hooks.get_hooks("steward_listing_views"):
        for pk, count in (fn(list(page_ids), since) or {}).items():
            if pk in counts:
                counts[pk] += count
    return counts


def category_families(page_ids):
    """{page_id: {"crisis", "food", ...}}: the families of each listing's categories,
    found by name on the term or any of its ancestors (tree_path)."""
    families = review_setting("CATEGORY_FAMILIES")
    patterns = {
        family: re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
        for family, words in families.items()
    }
    through = ServicePage.categories.through
    links = list(
        through.objects.filter(servicepage_id__in=page_ids).values_list(
            "servicepage_id", "taxonomyterm__tree_path"
        )
    )
    hexes = {h for _, path in links for h in path.split("/") if h}
    names = {
        term_uuid.hex: name
        for term_uuid, name in TaxonomyTerm.objects.filter(uuid__in=hexes).values_list(
            "uuid", "name"
        )
    }
    result = defaultdict(set)
    for page_id, path in links:
        for h in path.split("/"):
            name = names.get(h)
            if not name:
                continue
            for family, pattern in patterns.items():
                if pattern.search(name):
                    result[page_id].add(family)
    return result


def refresh_priorities(items, *, now):
    """P = (1 − F) · log2(2 + views) · S + 0.02 · hours waiting, for each item
    (disputed items count 1 − F ≥ 0.5). Returns the items whose priority changed."""
    items = list(items)
    if not items:
        return []
    page_ids = {item.page_id for item in items}
    fresh = listing_freshness(page_ids, now=now)
    views = listing_views(page_ids, since=now - review_setting("VIEWS_WINDOW_DAYS") * DAY)
    families = category_families(page_ids)
    changed = []
    for item in items:
        listing = fresh.get(item.page_id)
        value = priority_formula(
            freshness=listing.listing if listing else 1.0,
            views_30_days=views.get(item.page_id, 0),
            severity=severity_formula(families.get(item.page_id, ())),
            hours_waiting=(now - item.created_at) / dt.timedelta(hours=1),
            disputed=item.kind == Kind.DISPUTED,
            single_anonymous=bool((item.data or {}).get("single_anonymous")),
        )
        # Tenths: the waiting term alone would otherwise rewrite every item (and
        # its history) on every scan.
        value = round(value, 1)
        if not math.isclose(value, item.priority, abs_tol=0.05):
            item.priority = value
            changed.append(item)
    return changed


# ---------------------------------------------------------------- the scan


def _latest_manual_resolutions(page_ids=None):
    """{(page_id, kind): resolved_at} of the latest resolution made by a person."""
    rows = ReviewItem.objects.filter(status=ReviewItem.Status.RESOLVED, resolved_by__isnull=False)
    if page_ids is not None:
        rows = rows.filter(page_id__in=page_ids)
    rows = rows.values_list("page_id", "kind", "resolved_at").order_by("resolved_at")
    return {(page_id, kind): at for page_id, kind, at in rows}


def _triggered(trigger, *, now, page_ids):
    """One trigger's findings, for every listing or only `page_ids` (a trigger
    that cannot narrow itself is filtered afterwards)."""
    if page_ids is None:
        return trigger(now=now)
    if "page_ids" in inspect.signature(trigger).parameters:
        found = trigger(now=now, page_ids=page_ids)
    else:
        found = trigger(now=now)
    return {key: value for key, value in found.items() if key[0] in page_ids}


def scan(now=None, *, page_ids=None):
    """Bring the queue in line with the listings. Idempotent. With `page_ids`,
    only those listings (refresh_listings: a decision takes effect at once)."""
    from simple_history.utils import bulk_update_with_history

    now = now or timezone.now()
    if page_ids is not None:
        page_ids = set(page_ids)
    _memo.fresh = (now, {})
    try:
        return _scan(now, page_ids, bulk_update_with_history)
    finally:
        _memo.fresh = None


def _scan(now, page_ids, bulk_update_with_history):
    wanted = {}
    for trigger in TRIGGERS:
        wanted.update(_triggered(trigger, now=now, page_ids=page_ids))
    resolved_by_people = _latest_manual_resolutions(page_ids)
    open_qs = ReviewItem.objects.open()
    if page_ids is not None:
        open_qs = open_qs.filter(page_id__in=page_ids)
    open_items = {(i.page_id, i.kind): i for i in open_qs}
    created, closed, to_update = [], [], []

    for key, item in open_items.items():
        if key in wanted:
            trigger = wanted[key]
            if (item.reason, item.data, item.report_ids, item.revision_ids) != (
                trigger.reason,
                trigger.data,
                trigger.report_ids,
                trigger.revision_ids,
            ):
                item.reason, item.data = trigger.reason, trigger.data
                item.report_ids, item.revision_ids = trigger.report_ids, trigger.revision_ids
                to_update.append(item)
            continue
        item.status = ReviewItem.Status.RESOLVED
        item.resolution = AUTO_RESOLUTION
        item.resolved_at = now
        closed.append(item)
    # Set-based writes, each with its history rows (simple_history's bulk helpers).
    if to_update:
        bulk_update_with_history(
            to_update,
            ReviewItem,
            ["reason", "data", "report_ids", "revision_ids"],
            batch_size=WRITE_BATCH,
        )
    if closed:
        bulk_update_with_history(
            closed, ReviewItem, ["status", "resolution", "resolved_at"], batch_size=WRITE_BATCH
        )

    new_items = []
    for key, trigger in wanted.items():
        if key in open_items:
            continue
        settled_at = resolved_by_people.get(key)
        if settled_at and (trigger.evidence_at is None or trigger.evidence_at <= settled_at):
            continue  # a reviewer already decided on this evidence
        page_id, kind = key
        new_items.append(
            ReviewItem(
                page_id=page_id,
                kind=kind,
                reason=trigger.reason,
                data=trigger.data,
                report_ids=trigger.report_ids,
                revision_ids=trigger.revision_ids,
                created_at=now,
            )
        )
    # New items are written with their priority, in batches.
    refresh_priorities(new_items, now=now)
    for start in range(0, len(new_items), WRITE_BATCH):
        created.extend(_create(new_items[start : start + WRITE_BATCH]))

    still_open = [item for item in open_items.values() if item.status == ReviewItem.Status.OPEN]
    changed = refresh_priorities(still_open, now=now)
    if changed:
        bulk_update_with_history(changed, ReviewItem, ["priority"], batch_size=WRITE_BATCH)
    return ScanResult(created=created, closed=closed, updated=len(to_update))


def _create(items):
    """Insert these new items with their history in one go; when another scan made
    one of them a moment ago (one open item per listing and kind), one by one,
    skipping those."""
    from simple_history.utils import bulk_create_with_history

    try:
        with transaction.atomic():
            return bulk_create_with_history(items, ReviewItem, batch_size=WRITE_BATCH)
    except IntegrityError:
        pass
    created = []
    for item in items:
        item.pk = None
        item._state.adding = True
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            continue
        created.append(item)
    return created


def refresh_listings(page_ids, *, now=None):
    """The queue follows a decision at once: a report filed opens or joins its
    listing's item, an approval, rejection, verification or resolved report
    closes the items whose cause is gone, without waiting for the next scan."""
    page_ids = {pk for pk in page_ids if pk}
    if not page_ids:
        return ScanResult(created=[], closed=[])
    return scan(now, page_ids=page_ids)
