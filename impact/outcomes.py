"""Outcome reports: did the person get help? (DESIGN.md §5)."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from impact.models import Outcome, Result, Source

logger = logging.getLogger(__name__)


class OutcomeError(ValueError):
    """A report that cannot be recorded; the message is for the person."""


def record_outcome(
    *,
    service,
    result,
    reason="",
    comment="",
    source,
    plan=None,
    referral=None,
    sms_follow_up=None,
    client_key=None,
    now=None,
):
    """Record (or change) the outcome of one plan entry or one referral.

    One row per plan entry and per referral: answering again changes it, and its
    history keeps the earlier answer. A "couldn't" with reason closed, no answer
    or not eligible goes to the review queue, once per answer.
    """
    now = now or timezone.now()
    if result not in Result.values:
        raise OutcomeError(gettext("Choose whether you got help."))
    if result != Result.COULD_NOT:
        reason = ""
    elif not reason:
        raise OutcomeError(gettext("Tell us why you couldn’t get help."))
    comment = (comment or "").strip()[: Outcome.COMMENT_MAX]
    if source not in Source.values:
        raise ValueError(f"Unknown outcome source {source!r}")
    if plan is None and referral is None and sms_follow_up is None:
        raise ValueError("An outcome belongs to a plan entry, a referral or an SMS follow-up.")

    with transaction.atomic():
        if referral is not None:
            outcome = Outcome.objects.select_for_update().filter(referral=referral).first()
        elif sms_follow_up is not None:
            outcome = (
                Outcome.objects.select_for_update().filter(sms_follow_up=sms_follow_up).first()
            )
        else:
            outcome = Outcome.objects.select_for_update().filter(plan=plan, service=service).first()
        was_forwarded = outcome is not None and outcome.forwarded_at and outcome.is_forwardable
        previous_reason = outcome.reason if outcome is not None else None
        if outcome is None:
            outcome = Outcome(
                service=service,
                plan=plan,
                referral=referral,
                sms_follow_up=sms_follow_up,
                created_at=now,
            )
        outcome.result, outcome.reason, outcome.comment = result, reason, comment
        outcome.source = source
        if not (was_forwarded and previous_reason == reason):
            outcome.forwarded_at = None
        outcome.save()
        if referral is not None and referral.closed_at is None:
            referral.closed_at = now
            referral.save(update_fields=["closed_at"])
        if (
            outcome.is_forwardable
            and outcome.forwarded_at is None
            and forward_to_review(outcome, client_key=client_key, now=now)
        ):
            outcome.forwarded_at = now
            outcome.save(update_fields=["forwarded_at", "updated_at"])
    return outcome


def forward_to_review(outcome, *, client_key=None, now=None):
    """Report the listing to the review queue: the person found it closed, nobody
    answered, or they were not eligible. The one place impact writes to review.

    Returns the report.
    """
    from review.queue.actions import report_problem

    note = (
        f"Outcome report ({outcome.get_source_display().lower()}): {outcome.get_reason_display()}."
    )
    return report_problem(
        service=outcome.service,
        reason=outcome.reason,
        note=note,
        source="outcome",
        client_key=client_key,
        now=now,
    )
