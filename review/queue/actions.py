"""The queue's verbs: report a problem, resolve a report or a queue item, close an
item its decision cleared. Each checks permission (review.policy), counts toward
the reviewer's daily cap and writes the audit log; the listing's queue items
follow at once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.log_actions import log

from directory import throttle
from directory.members import acting_organization, is_member
from review.conf import review_setting
from review.models import Report, ReviewItem
from review.moderation.decisions import check_daily_cap
from review.policy import (
    can_act_on_item,
    can_resolve_report,
)
from review.queue.reports import notify_organization
from review.trust.actions import _acting_for, record_shown_wrong
from review.trust.ledger import record_event


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
        raise PermissionDenied(gettext("You can only report for an organization you belong to."))
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
        # The listing falls due now and its organization hears of it at once.
        notify_organization(report, service=service, now=now)
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
        raise PermissionDenied(gettext("You may not resolve reports on this listing."))
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
        raise ValidationError(gettext("Say how this was resolved."), code="resolution")
    if item.kind not in RESOLVABLE_KINDS:
        if item.kind == "pending_edit":
            closed_by = gettext("A %(kind)s item is closed by approving or rejecting the edit.")
        else:
            closed_by = gettext("A %(kind)s item is closed by verifying or editing the listing.")
        raise ValidationError(closed_by % {"kind": item.get_kind_display().lower()}, code="kind")
    if not can_act_on_item(reviewer, item):
        raise PermissionDenied(gettext("You may not review this listing."))
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if not item.is_open:
            raise ValidationError(gettext("This item was already resolved."), code="closed")
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
