"""A report reaches the listing's organization at once (issue 12's loop).

When the public, a member or an outcome says a value of a listing is wrong (a
reason of review.queue.actions.REPORT_FIELDS), the listing falls due from that
moment in the freshness store (review.trust.store.open_reports) and the members
of its organization get one email now, not at the next weekly due reminder. It is
recorded as a DueReminder (period "report-<id>"), so the due list and the
reminders know it was sent. One email per listing every REPORT_NOTIFY_EVERY_HOURS.
The reporter, the note and the client are never in the email: only the reason.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse

from directory.accounts import mail
from directory.links import public_url
from directory.members import organization_of
from directory.models import Membership
from review.conf import review_setting
from review.trust import store

PERIOD_PREFIX = "report-"


def notify_organization(report, *, now, service=None):
    """Make the reported listing due now and email its organization's members.
    Returns the number of emails sent (0 when the reason names no value, the
    listing has no organization or no member with an email, or the organization
    was told about this listing within REPORT_NOTIFY_EVERY_HOURS)."""
    from review.models import DueReminder
    from review.queue.actions import REPORT_FIELDS

    if report.reason not in REPORT_FIELDS:
        return 0
    service = service or report.page.specific
    store.recompute([service.pk], now=now)
    organization = organization_of(service)
    if organization is None:
        return 0
    every = dt.timedelta(hours=review_setting("REPORT_NOTIFY_EVERY_HOURS"))
    if DueReminder.objects.filter(
        organization=organization,
        page_id=service.pk,
        period__startswith=PERIOD_PREFIX,
        sent_at__gt=now - every,
    ).exists():
        return 0
    recipients = list(
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.current(now=now)
            .filter(organization=organization, user__is_active=True)
            .values("user_id"),
        )
        .exclude(email="")
        .order_by("email")
    )
    DueReminder.objects.create(
        organization=organization,
        page_id=service.pk,
        period=f"{PERIOD_PREFIX}{report.pk}",
        recipients=len(recipients),
        sent_at=now,
    )
    if not recipients:
        return 0
    context = {
        "listing": service.title,
        "organization": organization.title,
        # The label itself (lazy), so each recipient reads it in their language.
        "reason": type(report).Reason(report.reason).label,
        "due_url": public_url(reverse("review_due")),
    }
    return mail.send(recipients, "review/email/report_notice", context)
