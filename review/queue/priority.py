"""Review-queue priority (DESIGN.md §4): pure, time passed in by the caller."""

import math

from review.conf import trust_setting


def severity(category_families):
    """S: 3 for crisis, shelter and food; 2 for health and legal; 1 otherwise.
    A listing in several families takes the highest."""
    table = trust_setting("SEVERITY")
    return max((table.get(family, 1) for family in category_families), default=1)


def priority(
    *, freshness, views_30_days, severity, hours_waiting, disputed=False, single_anonymous=False
):
    """P = (1 − F) · log2(2 + views in the last 30 days) · S + 0.02 · hours waiting.

    Disputed items count at least as half stale: 1 − F ≥ 0.5. A disputed item that
    rests on one anonymous report counts SINGLE_ANONYMOUS_REPORT_WEIGHT of that, so
    it ranks below a member's report on the same listing.
    """
    staleness = 1.0 - freshness
    if disputed:
        staleness = max(staleness, trust_setting("DISPUTED_MIN_STALENESS"))
        if single_anonymous:
            staleness *= trust_setting("SINGLE_ANONYMOUS_REPORT_WEIGHT")
    waiting = trust_setting("WAITING_WEIGHT_PER_HOUR") * max(hours_waiting, 0.0)
    return staleness * math.log2(2 + max(views_30_days, 0)) * severity + waiting
