"""Who is reporting, as far as rate limits need to know, without storing who.

`client_key` is an HMAC of the client's address and user agent, keyed with the
site's SECRET_KEY and the day: the same client gets the same key all day (so
rate limits and "two distinct reporters" work) and a new one tomorrow; the key
cannot be reversed into an address, and keys of different days cannot be linked.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from review.settings import review_setting

RATE_WINDOW_SECONDS = 3600


def client_key(request, *, now=None):
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    key = f"{settings.SECRET_KEY}:steward-report:{day}".encode()
    return hmac.new(key, f"{address}\n{agent}".encode(), hashlib.sha256).hexdigest()


def _rate_key(*, user, client_key):
    if user is not None and user.is_authenticated:
        return f"steward:reports:user:{user.pk}"
    return f"steward:reports:client:{client_key}"


def _limit(user):
    if user is not None and user.is_authenticated:
        return review_setting("REPORTS_PER_HOUR_SIGNED_IN")
    return review_setting("REPORTS_PER_HOUR_ANONYMOUS")


def take_report_slot(*, user, client_key):
    """Count one report against the hourly limit; False when it is used up.

    The count lives in Django's cache (Redis in production), so every app server
    shares it. The window starts with the client's first report of the hour.
    """
    if (user is None or not user.is_authenticated) and not client_key:
        return True
    key = _rate_key(user=user, client_key=client_key)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count <= _limit(user)
