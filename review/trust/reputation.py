"""Reliability, the Wilson gate and the reputation ledger: pure functions."""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from review.conf import trust_setting


def reliability(good, bad):
    """R_u = (7 + good) / (10 + good + bad): a new user starts at 0.7."""
    prior_good = trust_setting("RELIABILITY_PRIOR_GOOD")
    prior_total = trust_setting("RELIABILITY_PRIOR_TOTAL")
    return (prior_good + good) / (prior_total + good + bad)


def wilson_lower_bound(good, bad, *, z=None, min_judged=None):
    """The Wilson score interval's lower bound for good / (good + bad).

    None until at least `min_judged` items were judged: a privilege gate must not
    open on two lucky edits.
    """
    z = trust_setting("WILSON_Z") if z is None else z
    min_judged = trust_setting("WILSON_MIN_JUDGED") if min_judged is None else min_judged
    n = good + bad
    if n < min_judged or n == 0:
        return None
    p = good / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


@dataclass(frozen=True)
class LedgerEvent:
    """One entry of a user's reputation ledger. Never edited; totals are replayed."""

    kind: str
    at: dt.datetime
    id: int = 0  # ties at the same instant replay in a stable order
    points: int | None = None  # as recorded at the time; None: today's table


def points_for(kind):
    return trust_setting("POINTS")[kind]


def reputation(events: Iterable[LedgerEvent], *, timezone=dt.UTC):
    """Replay a ledger into a total, in time order.

    Gains count up to the daily cap (per calendar day in `timezone`); losses always
    count in full; the total never falls below the floor. Replaying the same
    events, in any order given, gives the same total.
    """
    cap = trust_setting("DAILY_GAIN_CAP")
    floor = trust_setting("REPUTATION_FLOOR")
    total = floor
    gained_on = {}
    for event in sorted(events, key=lambda e: (e.at, e.id, e.kind)):
        points = points_for(event.kind) if event.points is None else event.points
        if points > 0:
            day = event.at.astimezone(timezone).date()
            room = max(cap - gained_on.get(day, 0), 0)
            points = min(points, room)
            gained_on[day] = gained_on.get(day, 0) + points
        total = max(total + points, floor)
    return total
