"""Review's verbs: one function per domain action, each in one transaction,
checking permission and writing the change, the audit-log entry and the
reputation event together (STYLE.md habit 1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from directory.members import acting_organization, is_member, organization_of
from review.decisions import check_daily_cap, is_reviewer
from review.models import Report, ReviewItem
from review.privileges import is_active, is_moderator
from review.reports import take_report_slot
from review.settings import review_setting


class ReportRateLimited(Exception):
    """Too many reports from one client or user this hour."""


def _organization_data(organization):
    if organization is None:
        return {}
    return {"organization": {"id": organization.pk, "title": organization.title}}


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
        raise ValidationError("Choose what is wrong with this listing.", code="reason")
    note = (note or "").strip()
    max_length = review_setting("REPORT_NOTE_MAX_LENGTH")
    if len(note) > max_length:
        raise ValidationError(
            f"Please keep the note under {max_length} characters (it has {len(note)}).",
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
    if source != Report.Source.OUTCOME and not take_report_slot(user=user, client_key=client_key):
        raise ReportRateLimited(
            "You have sent several reports in the last hour. Thank you — please try "
            "again later, or call 211 if you need help now."
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
    return report


def can_resolve_report(user, report):
    """Reviewers (≥ 500 points) and moderators; a reviewer never on their own
    organization's listing, and nobody on their own report."""
    if not is_active(user):
        return False
    if report.user_id == user.pk:
        return False
    if is_moderator(user):
        return True
    if not is_reviewer(user):
        return False
    return not is_member(user, organization_of(report.page))


def resolve_report(*, report, reviewer, upheld, note="", now=None):
    """Uphold or decline an open report. A signed-in reporter gains (+2) or loses
    (−1) reputation through the ledger. Counts toward the reviewer's daily cap."""
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
            data={"reason": report.reason, **_organization_data(acting_organization(reviewer))},
            timestamp=now,
        )
        if report.user_id:
            _record_ledger_event(
                user=report.user,
                kind="report_upheld" if upheld else "report_declined",
                page=page,
                organization=report.organization,
                at=now,
            )
    return report


def _record_ledger_event(**kwargs):
    try:
        from review.ledger import record_event
    except ImportError:  # the ledger lands with the trust work
        return None
    return record_event(**kwargs)


RESOLVABLE_KINDS = (ReviewItem.Kind.DISPUTED, ReviewItem.Kind.CONFLICT)


def can_act_on_item(user, item):
    """Work this queue item: a moderator anywhere; a reviewer (≥ 500 points)
    except on their own organization's listing."""
    if is_moderator(user):
        return True
    if not is_reviewer(user):
        return False
    return not is_member(user, organization_of(item.page))


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
            data={"kind": item.kind, **_organization_data(acting_organization(reviewer))},
            timestamp=now,
        )
    return item
