"""Daily counters: views and contact actions per listing per day.

Increments are one `UPDATE ... SET count = count + n`; the first of the day
inserts, and an insert that loses a race with another request's insert falls
back to the update. No read-modify-write, so concurrent requests never lose a count.

Views of listings never write to the database while a page is served, nor wait
for the cache: each process adds them up in memory (`count_listing_view`) and a
background timer moves them to the shared cache at most every
`STEWARD["PAGE_CACHE"]["VIEW_BUFFER_SECONDS"]` (`push_buffered_views`: atomic
increments, off the request path; also at exit). `run_periodic` moves the cache's
counts to the daily rows every `VIEW_FLUSH_SECONDS` (`flush_view_counts`), so the
daily rows are exact within one flush interval plus one buffer interval.
"""

import atexit
import datetime as dt
import os
import threading
from collections import Counter

from django.conf import settings
from django.core.cache import caches
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


# --- Views, counted in the cache -------------------------------------------------------

# Tests give each test its own namespace.
NAMESPACE = "steward-views"
# Pending counts outlive a few missed flushes; the flush reads back this many days.
PENDING_DAYS = 3
FLUSH_CHUNK = 500


def _cache():
    return caches[settings.STEWARD.get("PAGE_CACHE", {}).get("CACHE", "default")]


def _keys(day, namespace=None):
    prefix = f"{namespace or NAMESPACE}:{day.isoformat()}"
    return f"{prefix}:slots", f"{prefix}:slot:", f"{prefix}:page:"


def _incr(cache, key, by=1, timeout=None):
    """An atomic increment that creates the key first (add is atomic too)."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key, by)
    except ValueError:  # evicted between the two: start again
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key, by)


def count_view(page_id, *, on=None, by=1, namespace=None):
    """`by` views of a listing by people, counted in the cache (no database)."""
    on = on or local_today()
    cache = _cache()
    slots_key, slot_prefix, page_prefix = _keys(on, namespace)
    key = f"{page_prefix}{page_id}"
    try:
        cache.incr(key, by)
        return
    except ValueError:
        pass
    timeout = PENDING_DAYS * 86400
    if cache.add(key, 0, timeout=timeout):
        # The first view of the day of this listing: register it for the flush.
        slot = _incr(cache, slots_key, timeout=timeout)
        cache.set(f"{slot_prefix}{slot}", page_id, timeout=timeout)
    _incr(cache, key, by, timeout=timeout)


def _buffer_seconds():
    return settings.STEWARD.get("PAGE_CACHE", {}).get("VIEW_BUFFER_SECONDS", 5)


class _Buffer:
    """This process's views not yet in the cache: {(namespace, day, page id): views}
    (the namespace as it was when counted: tests give each test its own)."""

    lock = threading.Lock()
    counts = Counter()
    timer = None


def count_listing_view(request, page_id):
    """`steward_listing_viewed` (service pages, GET, from the cache or not):
    people are counted, robots are not. Added up in memory; a timer moves the
    counts to the cache within `VIEW_BUFFER_SECONDS` (0: at once)."""
    if is_bot(request.META.get("HTTP_USER_AGENT")):
        return
    seconds = _buffer_seconds()
    if seconds <= 0:
        count_view(page_id)
        return
    with _Buffer.lock:
        _Buffer.counts[(NAMESPACE, local_today(), page_id)] += 1
        if _Buffer.timer is None:
            timer = threading.Timer(seconds, _push_from_timer)
            timer.daemon = True
            _Buffer.timer = timer
            timer.start()


def _push_from_timer():
    with _Buffer.lock:
        _Buffer.timer = None
    push_buffered_views()


def push_buffered_views():
    """Move this process's buffered views to the cache; returns how many."""
    with _Buffer.lock:
        pending, _Buffer.counts = _Buffer.counts, Counter()
    pushed = 0
    try:
        for (namespace, day, page_id), views in list(pending.items()):
            count_view(page_id, on=day, by=views, namespace=namespace)
            del pending[(namespace, day, page_id)]
            pushed += views
    finally:
        if pending:  # the cache failed: kept for the next push
            with _Buffer.lock:
                _Buffer.counts.update(pending)
    return pushed


def _forget_in_child():
    # A forked worker starts with no views and no timer of its parent's.
    _Buffer.lock = threading.Lock()
    _Buffer.counts = Counter()
    _Buffer.timer = None


atexit.register(push_buffered_views)
os.register_at_fork(after_in_child=_forget_in_child)


def flush_view_counts(*, now=None):
    """Move the views counted in the cache to the daily rows; returns how many.

    Each pending count is claimed with an atomic decrement before it is written,
    so views counted meanwhile wait for the next flush; one flush runs at a time.
    """
    push_buffered_views()  # this process's own views first (one process in tests)
    cache = _cache()
    lock = f"{NAMESPACE}:flush-lock"
    if not cache.add(lock, 1, timeout=300):
        return 0
    moved = 0
    try:
        today = local_today(now)
        for back in range(PENDING_DAYS):
            moved += _flush_day(cache, today - dt.timedelta(days=back))
    finally:
        cache.delete(lock)
    return moved


def _flush_day(cache, day):
    slots_key, slot_prefix, page_prefix = _keys(day)
    slots = cache.get(slots_key) or 0
    moved = 0
    for start in range(1, slots + 1, FLUSH_CHUNK):
        numbers = range(start, min(slots, start + FLUSH_CHUNK - 1) + 1)
        page_ids = cache.get_many([f"{slot_prefix}{n}" for n in numbers]).values()
        keys = {f"{page_prefix}{pk}": pk for pk in page_ids}
        for key, pending in cache.get_many(list(keys)).items():
            if not pending:
                continue
            try:
                cache.decr(key, pending)
            except ValueError:
                continue
            try:
                increment(keys[key], "view", on=day, by=pending)
            except Exception:
                cache.incr(key, pending)  # not written: counted at the next flush
                raise
            moved += pending
    return moved
