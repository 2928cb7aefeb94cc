"""Messages per number: the one place the SMS conversation is rate-limited.

Counted in the shared cache under the number's keyed hash (never the number),
with the same add/incr pattern as impact.clients; when directory/throttle.py
lands, `allow` becomes one call to it.
"""

from django.conf import settings
from django.core.cache import cache


def allow(number_key):
    """Count one inbound message; False when this number is over its limit."""
    count, seconds = settings.STEWARD_SMS["RATE_LIMIT"]
    key = f"impact:sms:rl:{number_key}"
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return True
    return used <= count


def first_refusal(number_key):
    """True once per window: the one "slow down" reply before silence."""
    _, seconds = settings.STEWARD_SMS["RATE_LIMIT"]
    return cache.add(f"impact:sms:rl-told:{number_key}", 1, timeout=seconds)
