"""Rate limits per client, without keeping who the client is.

A client is known only by a keyed hash of its IP address in the shared cache
(Redis in production), with a key that changes every day, so the cache never
holds an address and yesterday's keys cannot be matched with today's. Nothing
here is written to the database.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# Defaults; operators tune them in settings.STEWARD["IMPACT_RATE_LIMITS"].
RATE_LIMITS = {
    # name: (how many, per seconds)
    "outcome": (20, 3600),
    "plan_create": (20, 3600),
    "plan_send": (5, 3600),
}


def client_ip(request):
    """REMOTE_ADDR, or the address a trusted proxy reports.

    Behind a load balancer, set STEWARD["TRUSTED_PROXY_COUNT"] to the number of
    proxies that append to X-Forwarded-For; the client is the address just
    before them. Without it the header is ignored (anyone can forge it).
    """
    proxies = settings.STEWARD.get("TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request, *, now=None):
    """A keyed hash of the client's address, valid for one day (UTC)."""
    now = now or timezone.now()
    day = now.astimezone(dt.UTC).date().isoformat()
    key = hashlib.sha256(f"{settings.SECRET_KEY}:impact-client:{day}".encode()).digest()
    return hmac.new(key, client_ip(request).encode(), hashlib.sha256).hexdigest()[:32]


def limit_for(name):
    overrides = settings.STEWARD.get("IMPACT_RATE_LIMITS", {})
    return overrides.get(name, RATE_LIMITS[name])


def allow(request, name, *, now=None):
    """Count one action of this client; False when it is over its limit."""
    count, seconds = limit_for(name)
    key = f"impact:rl:{name}:{client_key(request, now=now)}"
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return True
    return used <= count


def first_time(request, what, *, seconds=3600, now=None):
    """True the first time this client does `what` within `seconds` (dedupes beacons)."""
    return cache.add(f"impact:once:{what}:{client_key(request, now=now)}", 1, timeout=seconds)
