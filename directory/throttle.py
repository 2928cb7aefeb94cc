"""One rate limiter and one client fingerprint, for every app (reports, outcomes,
plans, sign-up, edits, and later SMS and the API).

Counts live in Django's cache, so every process shares them (locmem in
development and tests, Redis in production). `hit` is the one primitive: a
fixed-window counter made atomic with `cache.add` + `cache.incr`.

A client is known only by `client_fingerprint`: a keyed HMAC of its address with
a key that changes every day, so no address is stored anywhere and yesterday's
fingerprints cannot be matched with today's. Behind a load balancer, set
STEWARD["TRUSTED_PROXY_COUNT"] (env STEWARD_TRUSTED_PROXY_COUNT) to the number of
proxies that append to X-Forwarded-For; without it the header is ignored.

Every limit is in one settings block, STEWARD["RATE_LIMITS"]: name -> (how many,
per seconds); the defaults are LIMITS.
"""

import datetime as dt
import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

LIMITS = {
    "report_anonymous": (5, 3600),
    "report_signed_in": (30, 3600),
    "outcome": (20, 3600),
    "plan_create": (20, 3600),
    "plan_send": (5, 3600),
    "signup": (5, 3600),
    "new_account_edit": (10, 3600),
    "sms_inbound": (30, 3600),
    "api": (300, 60),  # HSDS API requests per client a minute  # inbound text messages per number
}
# Tests give each test its own namespace (tests/conftest.py), so counts never leak.
NAMESPACE = "steward:rl"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the window ends
    count: int = 0
    limit: int = 0


def limit(name):
    """(how many, per seconds) for this limit, from STEWARD["RATE_LIMITS"]."""
    overrides = getattr(settings, "STEWARD", {}).get("RATE_LIMITS", {})
    count, seconds = overrides.get(name, LIMITS[name])
    return int(count), int(seconds)


def _bucket(scope, key, window, now):
    start = int(now // window) * window
    return f"{NAMESPACE}:{scope}:{key}:{window}:{start}", int(start + window - now) or 1


def hit(scope, key, *, limit, window, now=None):
    """Count one attempt of `key` in `scope`; allowed while the window's count is
    at most `limit`. `now` is a timestamp (seconds) or a datetime."""
    now = _seconds(now)
    bucket, remaining = _bucket(scope, key, window, now)
    cache.add(bucket, 0, timeout=remaining + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=remaining + 1)
        count = 1
    return Decision(allowed=count <= limit, retry_after=remaining, count=count, limit=limit)


def hit_named(name, key, *, now=None):
    """`hit` with the limit and window of LIMITS[name] (as overridden)."""
    count, seconds = limit(name)
    return hit(name, key, limit=count, window=seconds, now=now)


def peek(scope, key, window, *, now=None):
    bucket, _ = _bucket(scope, key, window, _seconds(now))
    return cache.get(bucket, 0)


def once(scope, key, *, seconds=3600):
    """True the first time `key` does `scope` within `seconds` (dedupes beacons)."""
    return cache.add(f"{NAMESPACE}:once:{scope}:{key}", 1, timeout=seconds)


def _seconds(now):
    if now is None:
        return time.time()
    if isinstance(now, dt.datetime):
        return now.timestamp()
    return float(now)


def client_address(request):
    """REMOTE_ADDR, or the address the trusted proxies report (never stored)."""
    proxies = int(getattr(settings, "STEWARD", {}).get("TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_fingerprint(request, *, now=None):
    """A keyed hash of the client's address, the same all day (UTC), new tomorrow."""
    now = now or timezone.now()
    day = now.astimezone(dt.UTC).date().isoformat()
    key = hashlib.sha256(f"{settings.SECRET_KEY}:steward-client:{day}".encode()).digest()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()
