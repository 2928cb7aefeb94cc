"""The reviewers' daily cap (DESIGN.md §4: 20 decisions a day, 40 when the open
backlog is over 200; moderators have none).

A decision is any review verdict written to Wagtail's audit log by this user
today: a report upheld or declined, a queue item resolved, a pending edit
approved or rejected (Wagtail's workflow actions or ours). Counting the log,
rather than a counter, means the cap can never drift from what happened.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.models import PageLogEntry

from review.conf import review_setting
from review.policy import is_moderator

DECISION_ACTIONS = (
    "steward.report.uphold",
    "steward.report.decline",
    "steward.queue.resolve",
    "steward.review.approve",
    "steward.review.reject",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
)


class DailyCapReached(PermissionDenied):
    pass


def start_of_day(now):
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def decisions_today(user, *, now):
    start = start_of_day(now)
    return PageLogEntry.objects.filter(
        user=user,
        action__in=DECISION_ACTIONS,
        timestamp__gte=start,
        timestamp__lt=start + dt.timedelta(days=1),
    ).count()


def daily_cap(*, backlog=None):
    from review.models import ReviewItem

    if backlog is None:
        backlog = ReviewItem.objects.open().count()
    if backlog > review_setting("BUSY_BACKLOG"):
        return review_setting("DAILY_DECISIONS_BUSY")
    return review_setting("DAILY_DECISIONS")


def decisions_left(user, *, now):
    """None for moderators (uncapped), else how many decisions remain today."""
    if is_moderator(user):
        return None
    return max(daily_cap() - decisions_today(user, now=now), 0)


def check_daily_cap(user, *, now):
    left = decisions_left(user, now=now)
    if left is not None and left <= 0:
        raise DailyCapReached(
            gettext(
                "You have made %(count)s review decisions today, the daily limit for "
                "reviewers. Thank you! The queue will be here tomorrow, or a moderator "
                "can take this one."
            )
            % {"count": daily_cap()}
        )
