"""Daily counters: views and contact actions per listing per day.

Increments are one `UPDATE ... SET count = count + n`; the first of the day
inserts, and an insert that loses a race with another request's insert falls
back to the update. No read-modify-write, so concurrent requests never lose a count.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from impact.models import DailyCount

BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "headless",
    "curl",
    "wget",
    "python-requests",
    "httpx",
    "monitor",
    "lighthouse",
)


def is_bot(user_agent):
    """A simple user-agent check: empty or self-declared robots are not people."""
    agent = (user_agent or "").lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def local_today(now=None):
    return timezone.localdate(now or timezone.now())


def increment(page_id, kind, *, on=None, by=1):
    on = on or local_today()
    rows = DailyCount.objects.filter(page_id=page_id, date=on, kind=kind)
    if rows.update(count=F("count") + by):
        return
    try:
        with transaction.atomic():
            DailyCount.objects.create(page_id=page_id, date=on, kind=kind, count=by)
    except IntegrityError:
        rows.update(count=F("count") + by)


def views_since(page_ids, since):
    """{page pk: views since `since` (a date or datetime)}; the `steward_listing_views` answer."""
    if isinstance(since, dt.datetime):
        since = timezone.localdate(since) if timezone.is_aware(since) else since.date()
    rows = (
        DailyCount.objects.filter(page_id__in=list(page_ids), kind="view", date__gte=since)
        .values("page_id")
        .annotate(total=Sum("count"))
    )
    return {row["page_id"]: row["total"] for row in rows}
