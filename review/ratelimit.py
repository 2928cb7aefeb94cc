"""Rate limits, counted in Django's cache so every process shares them (locmem in
development and tests, Redis in production: site/settings/production.py).

`hit(key, limit, window)` is the one primitive: a fixed-window counter made
atomic with `cache.add` + `cache.incr` (both atomic in Redis and in locmem).
Reports and sign-up reuse it with their own keys.

New accounts (joined fewer than NEW_ACCOUNT_DAYS ago, or below NEW_ACCOUNT_POINTS
of reputation) may submit at most NEW_ACCOUNT_EDITS_PER_HOUR edits an hour;
`settings.STEWARD["RATE_LIMITS"]` overrides any of these.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from review.privileges import is_active, is_moderator
from review.standing import standing_for

DEFAULTS = {
    "NEW_ACCOUNT_DAYS": 14,
    "NEW_ACCOUNT_POINTS": 50,
    "NEW_ACCOUNT_EDITS_PER_HOUR": 10,
}
EDIT_WINDOW = 3600
# Tests give each test its own namespace (tests/conftest.py), so counts never leak.
NAMESPACE = "steward:rl"


def rate_setting(name):
    overrides = getattr(settings, "STEWARD", {}).get("RATE_LIMITS", {})
    return overrides.get(name, DEFAULTS[name])


@dataclass(frozen=True)
class Hit:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def _bucket(key, window, now):
    start = int(now // window) * window
    return f"{NAMESPACE}:{key}:{window}:{start}", int(start + window - now) or 1


def hit(key, limit, window, *, now=None):
    """Count one attempt under `key`; allowed while the window's count is ≤ limit."""
    now = time.time() if now is None else now
    bucket, remaining = _bucket(key, window, now)
    cache.add(bucket, 0, timeout=remaining + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=remaining + 1)
        count = 1
    return Hit(allowed=count <= limit, count=count, limit=limit, retry_after=remaining)


def peek(key, window, *, now=None):
    now = time.time() if now is None else now
    bucket, _ = _bucket(key, window, now)
    return cache.get(bucket, 0)


def is_new_account(user, *, now=None):
    if not is_active(user) or is_moderator(user):
        return False
    now = now or timezone.now()
    if (now - user.date_joined).days < rate_setting("NEW_ACCOUNT_DAYS"):
        return True
    return standing_for(user).points < rate_setting("NEW_ACCOUNT_POINTS")


def hit_edit(user, *, now=None):
    """Count one submitted edit; None when the user is not rate-limited at all."""
    if not is_new_account(user):
        return None
    return hit(f"edit:{user.pk}", rate_setting("NEW_ACCOUNT_EDITS_PER_HOUR"), EDIT_WINDOW, now=now)
