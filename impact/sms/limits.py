"""Messages per number: the one place the SMS conversation asks the project's
rate limiter (directory.throttle, limit "sms_inbound"). Counted under the
number's keyed hash, never the number."""

from directory import throttle


def allow(number_key):
    """Count one inbound message; False when this number is over its limit."""
    return throttle.hit_named("sms_inbound", number_key).allowed


def first_refusal(number_key):
    """True once per window: the one "slow down" reply before silence."""
    _, seconds = throttle.limit("sms_inbound")
    return throttle.once("sms_told", number_key, seconds=seconds)
