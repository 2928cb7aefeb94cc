"""Listings due for verification, per organization, and the weekly reminder.

Due (DESIGN.md §4): 330 days without a full verification (a month before the
listing turns stale at 365), or a weight-3 field at freshness below 0.5. Read from
the freshness store, so the daily recomputation must have seen the listing.
"""

import datetime as dt

from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext

from directory.accounts import mail
from directory.links import public_url
from directory.models import Membership
from review.conf import review_setting
from review.trust.badges import ago

NEVER = "never"


def due_listings(organizations, *, now=None):
    """ListingFreshness rows of live listings of these organizations that are due,
    never-verified first, then the longest overdue."""
    from review.models import ListingFreshness

    now = now or timezone.now()
    return (
        ListingFreshness.objects.filter(organization__in=organizations, page__live=True)
        .filter(Q(due_at__isnull=True) | Q(due_at__lte=now))
        .select_related("page", "organization")
        .order_by(F("due_at").asc(nulls_first=True), "page__title")
    )


def period_of(row):
    """Which due period a listing is in: its due date, or "never" (never verified)."""
    return row.due_at.isoformat() if row.due_at else NEVER


def describe_due(row, *, now):
    if row.last_full_verification_at is None:
        if row.source_verified_on:
            return gettext("imported; verified by its source on %(date)s") % {
                "date": date_format(row.source_verified_on, "DATE_FORMAT")
            }
        return gettext("never fully verified")
    return gettext("last fully verified %(ago)s") % {
        "ago": ago(row.last_full_verification_at, now=now)
    }


lazy_describe_due = lazy(describe_due, str)


def send_reminders(*, now=None):
    """Email each organization's members the listings that fell due since their last
    reminder, and again every DUE_REMIND_AGAIN_DAYS while a listing stays due (never
    twice within that time for the same due period). Returns the number of emails sent."""
    from review.models import DueReminder

    now = now or timezone.now()
    rows = list(
        due_listings(
            Membership.objects.current(now=now).values("organization_id"), now=now
        ).exclude(organization=None)
    )
    # A due period is reminded at once, then again every DUE_REMIND_AGAIN_DAYS while
    # the listing stays due; each reminder is its own row ("<period>#2", "#3", ...).
    again = dt.timedelta(days=review_setting("DUE_REMIND_AGAIN_DAYS"))
    sent = {}  # (organization, page, period) -> (reminders sent, last sent_at)
    for organization_id, page_id, period, sent_at in DueReminder.objects.filter(
        page_id__in=[r.page_id for r in rows]
    ).values_list("organization_id", "page_id", "period", "sent_at"):
        key = (organization_id, page_id, period.split("#")[0])
        count, last = sent.get(key, (0, sent_at))
        sent[key] = (count + 1, max(last, sent_at))
    by_organization, periods = {}, {}
    for row in rows:
        period = period_of(row)
        count, last = sent.get((row.organization_id, row.page_id, period), (0, None))
        if count and now - last < again:
            continue
        periods[row.page_id] = f"{period}#{count + 1}" if count else period
        by_organization.setdefault(row.organization_id, []).append(row)
    if not by_organization:
        return 0
    members = {}
    for membership in (
        Membership.objects.current(now=now)
        .filter(organization_id__in=by_organization, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    ):
        user = membership.user
        members.setdefault(membership.organization_id, {})[user.email] = user

    messages, records = [], []
    due_url = public_url(reverse("review_due"))
    for organization_id, due in by_organization.items():
        people = members.get(organization_id, {})
        recipients = [people[email] for email in sorted(people)]
        context = {
            "organization": due[0].organization.title,
            "count": len(due),
            # Described when each email is rendered, in its reader's language.
            "listings": [
                {"title": row.page.title, "why": lazy_describe_due(row, now=now)} for row in due
            ],
            "due_url": due_url,
        }
        messages.extend(mail.message(user, "review/email/due", context) for user in recipients)
        records.extend(
            DueReminder(
                organization_id=organization_id,
                page_id=row.page_id,
                period=periods[row.page_id],
                recipients=len(recipients),
                sent_at=now,
            )
            for row in due
        )
    with transaction.atomic():
        DueReminder.objects.bulk_create(records)
        mailers.default.send_messages(messages)
    return len(messages)
