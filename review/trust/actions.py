"""Review's verbs: one function per thing a person does (DESIGN.md §2).

Each runs in one transaction, checks who may do it, writes the change, the audit
log entry and the reputation events, and refreshes the freshness store.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.log_actions import log

from directory import throttle
from directory.members import acting_organization, is_member, organization_data
from review.conf import review_days, review_setting
from review.models import Report, ReviewItem
from review.moderation.decisions import check_daily_cap
from review.policy import (
    can_act_on_item,
    can_resolve_report,
    is_professional,
)
from review.trust import store
from review.trust.fields import all_fields, fields_for_changes
from review.trust.ledger import events_about, record_event

VERIFY_ACTION = "steward.verify"


def _clean_fields(fields):
    if fields is None:
        return all_fields()
    known = all_fields()
    fields = list(dict.fromkeys(fields))
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(unknown)}.")
    if not fields:
        raise ValidationError("Choose at least one detail to confirm.")
    return sorted(fields, key=known.index)


def _organization_for(user, organization):
    if organization is None:
        return acting_organization(user)
    if not is_member(user, organization):
        raise PermissionDenied("You can only verify for an organization you belong to.")
    return organization


def _acting_for(user):
    """The log entry's "organization", when the user acts for one."""
    organization = acting_organization(user)
    return {} if organization is None else {"organization": organization_data(organization)}


def verify_service(*, service, user, fields=None, organization=None, now=None):
    """A professional confirms that this listing (or some of its fields) is still
    accurate. Not an edit: it needs no approval and changes nothing on the page.

    `fields=None` confirms everything. Raises PermissionDenied for anyone who is
    not a signed-in professional, ValidationError for unknown or no fields.
    """
    from review.models import Verification

    if not is_professional(user):
        raise PermissionDenied("Only signed-in professionals verify listings.")
    fields = _clean_fields(fields)
    organization = _organization_for(user, organization)
    now = now or timezone.now()
    with transaction.atomic():
        verification = Verification.objects.create(
            page=service,
            user=user,
            organization=organization,
            kind=Verification.Kind.VERIFICATION,
            fields=fields,
            verified_at=now,
        )
        log(
            instance=service,
            action=VERIFY_ACTION,
            user=user,
            data={"fields": fields, "organization": organization_data(organization)},
            timestamp=now,
        )
        _credit_reverified_edits(service, verification, now=now)
        _credit_confirmed_values(service, verification)
        store.recompute([service.pk], now=now)
    return verification


def record_approved_edit(*, service, fields, approver, editor, organization=None, now=None):
    """An edit was accepted (published after review, or by a publisher): it counts
    as a fresh verification of the fields it changed, and earns the editor
    "edit accepted" when someone else accepted it, never for self-publishing.

    `fields` are trust fields or ServicePage field / child names (see
    review.trust.fields). `organization` is the one the editor acted for (default: their
    acting organization). Returns the Verification, or None when the edit touched
    no trust field.
    """
    from review.models import Verification

    fields = fields_for_changes(fields)
    now = now or timezone.now()
    if not fields:
        return None
    if organization is None and editor is not None:
        organization = acting_organization(editor)
    with transaction.atomic():
        verification = Verification.objects.create(
            page=service,
            user=editor,
            organization=organization,
            kind=Verification.Kind.EDIT,
            fields=fields,
            approver=approver,
            verified_at=now,
        )
        if editor is not None and approver is not None and approver.pk != editor.pk:
            record_event(
                user=editor,
                kind="edit_accepted",
                page=service,
                organization=organization,
                at=now,
                related=verification,
            )
        store.recompute([service.pk], now=now)
    return verification


def record_published_change(change):
    """The one verb every published change passes through (registered on
    directory's `steward_after_publish` hook): a member's direct publish, an
    approval, a revert, a rollback, an import. The fields the change touched count
    as freshly verified, credited to each editor (and the organization they acted
    for); the editor earns "edit accepted" only when someone else published it.

    A first publish with no one behind it (an import creating the listing) records
    nothing: the source's own last-verified date is the listing's baseline.
    """
    from directory.models import ServicePage
    from review.moderation.actions import _revision_organizations, changed_between, editors

    page = change.page
    if not isinstance(page, ServicePage):
        return []
    if change.previous is None and change.user is None:
        return []
    before = change.previous.content if change.previous is not None else {}
    fields = changed_between(before, change.revision.content)
    if not fields_for_changes(fields):
        return []
    revisions = list(change.editors)
    people = editors(revisions)
    if not people:
        return [
            record_approved_edit(
                service=page, fields=fields, approver=change.user, editor=None, now=change.at
            )
        ]
    acted_for = _revision_organizations(revisions)
    recorded = []
    for editor in people:
        organization = next(
            (
                acted_for[r.pk]
                for r in reversed(revisions)
                if r.user_id == editor.pk and r.pk in acted_for
            ),
            None,
        )
        recorded.append(
            record_approved_edit(
                service=page,
                fields=fields,
                approver=change.user,
                editor=editor,
                organization=organization,
                now=change.at,
            )
        )
    return recorded


def _later_edits_of(service, field, after):
    from review.models import Verification

    return [
        v
        for v in Verification.objects.filter(
            page=service, kind=Verification.Kind.EDIT, verified_at__gt=after
        )
        if field in v.fields
    ]


def _credit_reverified_edits(service, verification, *, now):
    """+10 to an editor whose accepted edit still stands and is re-verified by
    another organization at least 30 days later. Once per edit."""
    from review.models import Verification

    accepted = (
        Verification.objects.filter(
            page=service,
            kind=Verification.Kind.EDIT,
            verified_at__lte=now - review_days("REVERIFIED_AFTER_DAYS"),
            user__isnull=False,
            approver__isnull=False,
        )
        .exclude(approver_id=F("user_id"))
        .select_related("user")
    )
    for edit in accepted:
        if edit.organization_id is None or edit.organization_id == verification.organization_id:
            continue
        overlap = [name for name in edit.fields if name in verification.fields]
        still_standing = [
            name for name in overlap if not _later_edits_of(service, name, edit.verified_at)
        ]
        if not still_standing or events_about(edit, kind="edit_reverified").exists():
            continue
        record_event(
            user=edit.user,
            kind="edit_reverified",
            page=service,
            organization=edit.organization,
            at=now,
            related=edit,
        )


def _credit_confirmed_values(service, verification):
    """A "good" judgment for someone whose verification another organization has
    now confirmed (no points: reliability only). Once per earlier verification."""
    from review.models import Verification

    earlier = (
        Verification.objects.filter(
            page=service,
            kind=Verification.Kind.VERIFICATION,
            verified_at__lt=verification.verified_at,
            verified_at__gte=verification.verified_at - review_days("CONFIRMS_WITHIN_DAYS"),
            user__isnull=False,
            organization__isnull=False,
        )
        .exclude(organization_id=verification.organization_id)
        .select_related("user")
    )
    for other in earlier:
        if verification.organization_id is None:
            break
        if not set(other.fields) & set(verification.fields):
            continue
        if events_about(other, kind="value_confirmed").exists():
            continue
        record_event(
            user=other.user,
            kind="value_confirmed",
            page=service,
            organization=other.organization,
            at=verification.verified_at,
            related=other,
        )


def record_shown_wrong(*, service, fields, now=None, note=""):
    """A value of these fields was shown wrong (an upheld report, a correcting
    edit found it wrong): everyone who verified it as accurate in the 90 days
    before loses 20 points and gets a "bad" judgment, once per verification.
    Returns the ledger events written."""
    from review.models import Verification

    fields = set(fields_for_changes(fields))
    now = now or timezone.now()
    events = []
    with transaction.atomic():
        recent = Verification.objects.filter(
            page=service,
            kind=Verification.Kind.VERIFICATION,
            verified_at__gte=now - review_days("SHOWN_WRONG_WITHIN_DAYS"),
            verified_at__lte=now,
            user__isnull=False,
        ).select_related("user", "organization")
        for verification in recent:
            if not fields & set(verification.fields):
                continue
            if events_about(verification, kind="verification_shown_wrong").exists():
                continue
            events.append(
                record_event(
                    user=verification.user,
                    kind="verification_shown_wrong",
                    page=service,
                    organization=verification.organization,
                    at=now,
                    note=note,
                    related=verification,
                )
            )
    return events


# Reports and the review queue.


class ReportRateLimited(Exception):
    """Too many reports from one client or user this hour."""


def _take_report_slot(*, user, client_key, now=None):
    """Count one report against the hourly limit (directory.throttle); False when
    it is used up. Signed-in people are counted by account, others by client."""
    if user is not None and user.is_authenticated:
        return throttle.hit_named("report_signed_in", f"user:{user.pk}", now=now).allowed
    if not client_key:
        return True
    return throttle.hit_named("report_anonymous", f"client:{client_key}", now=now).allowed


def report_problem(
    *,
    service,
    reason,
    note="",
    user=None,
    organization=None,
    source=Report.Source.PUBLIC,
    client_key=None,
    now=None,
):
    """Record that someone says this listing is wrong.

    Anyone may report. A signed-in member reports for the organization they act
    for (the source becomes "member"); outcome reports come from impact with
    source="outcome". Public and member reports count against an hourly limit
    per client or user (ReportRateLimited); bad input raises ValidationError and
    saves nothing. The audit log carries the reason category only: never the
    note, the reporter or their organization, because the log is public history.
    """
    now = now or timezone.now()
    if source not in Report.Source.values:
        raise ValidationError(f"Unknown report source {source!r}.")
    allowed = Report.OUTCOME_REASONS if source == Report.Source.OUTCOME else Report.FORM_REASONS
    if reason not in allowed:
        raise ValidationError(gettext("Choose what is wrong with this listing."), code="reason")
    note = (note or "").strip()
    max_length = review_setting("REPORT_NOTE_MAX_LENGTH")
    if len(note) > max_length:
        raise ValidationError(
            gettext("Please keep the note under %(max)d characters (it has %(count)d).")
            % {"max": max_length, "count": len(note)},
            code="note",
        )
    if user is not None and not user.is_authenticated:
        user = None
    if user is not None and organization is None:
        organization = acting_organization(user)
    if organization is not None and not is_member(user, organization):
        raise PermissionDenied("You can only report for an organization you belong to.")
    if source == Report.Source.PUBLIC and organization is not None:
        source = Report.Source.MEMBER
    if source != Report.Source.OUTCOME and not _take_report_slot(user=user, client_key=client_key):
        raise ReportRateLimited(
            gettext(
                "You have sent several reports in the last hour. Thank you — please try "
                "again later, or call 211 if you need help now."
            )
        )
    with transaction.atomic():
        report = Report(
            page=service,
            reason=reason,
            note=note,
            source=source,
            user=user,
            organization=organization,
            client_key=client_key or "",
            created_at=now,
        )
        report.save()
        log(service, "steward.report", user=None, data={"reason": reason}, timestamp=now)
        _refresh_queue(service.pk, now=now)
    return report


def _refresh_queue(page_id, *, now):
    """The listing's queue items follow at once (review.queue.scan.refresh_listings)."""
    from review.queue.scan import refresh_listings

    refresh_listings([page_id], now=now)


# What an upheld report says was shown wrong (trust fields of review.trust.fields).
REPORT_FIELDS = {
    Report.Reason.WRONG_PHONE: ["phone"],
    Report.Reason.WRONG_HOURS: ["hours"],
    Report.Reason.WRONG_ADDRESS: ["address"],
    Report.Reason.CLOSED: ["status"],
    Report.Reason.ELIGIBILITY_WRONG: ["eligibility"],
    Report.Reason.NOT_ELIGIBLE: ["eligibility"],
    Report.Reason.NO_ANSWER: ["phone"],
}


def resolve_report(*, report, reviewer, upheld, note="", now=None):
    """Uphold or decline an open report. A signed-in reporter gains (+2) or loses
    (−1) reputation through the ledger; when upheld, whoever verified the value
    the report names in the 90 days before loses 20 (record_shown_wrong). Counts
    toward the reviewer's daily cap."""
    now = now or timezone.now()
    if not can_resolve_report(reviewer, report):
        raise PermissionDenied("You may not resolve reports on this listing.")
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not report.is_open:
            raise ValidationError(
                f"This report was already {report.get_status_display().lower()}.", code="closed"
            )
        check_daily_cap(reviewer, now=now)
        report.status = Report.Status.UPHELD if upheld else Report.Status.DECLINED
        report.resolved_by = reviewer
        report.resolved_at = now
        report.resolution_note = (note or "").strip()
        report.save()
        page = report.page.specific
        log(
            page,
            "steward.report.uphold" if upheld else "steward.report.decline",
            user=reviewer,
            data={"reason": report.reason, **_acting_for(reviewer)},
            timestamp=now,
        )
        if report.user_id:
            record_event(
                user=report.user,
                kind="report_upheld" if upheld else "report_declined",
                page=page,
                organization=report.organization,
                at=now,
                related=report,
            )
        if upheld and REPORT_FIELDS.get(report.reason):
            record_shown_wrong(
                service=page, fields=REPORT_FIELDS[report.reason], now=now, note="Report upheld"
            )
        if not Report.objects.filter(page_id=page.pk, status=Report.Status.OPEN).exists():
            # Its cause is decided: the disputed item closes now, credited to the reviewer.
            for item in ReviewItem.objects.open().filter(
                page_id=page.pk, kind=ReviewItem.Kind.DISPUTED
            ):
                item.status = ReviewItem.Status.RESOLVED
                item.resolution = "Every report on it was decided."
                item.resolved_by = reviewer
                item.resolved_at = now
                item.save()
        _refresh_queue(page.pk, now=now)
    return report


RESOLVABLE_KINDS = (ReviewItem.Kind.DISPUTED, ReviewItem.Kind.CONFLICT)


def resolve_item(*, item, reviewer, resolution, now=None):
    """Close a disputed or conflict item with the reviewer's reason. (A pending
    edit leaves the queue when it is approved or rejected; a stale listing when
    it is verified or edited.) The scan does not reopen it on the same evidence."""
    now = now or timezone.now()
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError("Say how this was resolved.", code="resolution")
    if item.kind not in RESOLVABLE_KINDS:
        raise ValidationError(
            f"A {item.get_kind_display().lower()} item is closed by "
            + (
                "approving or rejecting the edit."
                if item.kind == "pending_edit"
                else "verifying or editing the listing."
            ),
            code="kind",
        )
    if not can_act_on_item(reviewer, item):
        raise PermissionDenied("You may not review this listing.")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if not item.is_open:
            raise ValidationError("This item was already resolved.", code="closed")
        check_daily_cap(reviewer, now=now)
        item.status = ReviewItem.Status.RESOLVED
        item.resolution = resolution
        item.resolved_by = reviewer
        item.resolved_at = now
        item.save()
        log(
            item.page.specific,
            "steward.queue.resolve",
            user=reviewer,
            data={"kind": item.kind, **_acting_for(reviewer)},
            timestamp=now,
        )
    return item


def close_item_if_cleared(*, item, user, resolution, now=None):
    """After a decision made from the queue (an approval, a rejection, a
    verification), close the item at once when its trigger no longer holds,
    rather than at the next scan. Not logged: the decision itself was."""
    from review.models import ListingFreshness
    from review.moderation import actions as moderation

    now = now or timezone.now()
    if not item.is_open:
        return False
    page = item.page.specific
    if item.kind == ReviewItem.Kind.PENDING_EDIT:
        cleared = not moderation.has_pending_changes(page)
    elif item.kind == ReviewItem.Kind.STALE:
        row = ListingFreshness.objects.filter(page_id=page.pk).first()
        cleared = row is not None and not row.is_stale(now)
    else:
        cleared = False
    if cleared:
        item.status = ReviewItem.Status.RESOLVED
        item.resolution = resolution
        item.resolved_by = user
        item.resolved_at = now
        item.save()
    # The listing's other items (a conflict the edit caused, say) follow too.
    _refresh_queue(page.pk, now=now)
    return cleared
