"""Who counts as a new account, whose edits are rate-limited (DESIGN.md §4).

New accounts (joined fewer than NEW_ACCOUNT_DAYS ago, or below NEW_ACCOUNT_POINTS
of reputation) may submit at most `new_account_edit` edits an hour. The counter
and the limit are directory.throttle's (STEWARD["RATE_LIMITS"]); the two
thresholds are review.conf's (`settings.STEWARD["NEW_ACCOUNTS"]`).
"""

from django.utils import timezone

from directory import throttle
from review.conf import new_account_setting
from review.policy import is_active, is_moderator
from review.trust.standing import standing_for


def is_new_account(user, *, now=None):
    if not is_active(user) or is_moderator(user):
        return False
    now = now or timezone.now()
    if (now - user.date_joined).days < new_account_setting("NEW_ACCOUNT_DAYS"):
        return True
    return standing_for(user).points < new_account_setting("NEW_ACCOUNT_POINTS")


def hit_edit(user, *, now=None):
    """Count one submitted edit; None when the user is not rate-limited at all."""
    if not is_new_account(user):
        return None
    return throttle.hit_named("new_account_edit", f"user:{user.pk}", now=now)
