"""Freshness and confidence: pure functions, time passed in (DESIGN.md §4)."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from review.conf import trust_setting

DAY = dt.timedelta(days=1)


def decay(age_days, half_life_days):
    """2^(−age / half-life): 1 when just verified, 0.5 at one half-life.

    A negative age (a date in the future, clock skew) counts as just verified.
    """
    return 2.0 ** (-max(age_days, 0.0) / half_life_days)


def field_freshness(field, verified_at, *, now, half_lives=None):
    """F_f for one field; 0 when it was never verified."""
    if verified_at is None:
        return 0.0
    half_lives = half_lives or trust_setting("HALF_LIVES")
    age_days = (now - verified_at) / DAY
    return decay(age_days, half_lives[field])


def listing_freshness(verified_at_by_field: Mapping, *, now, half_lives=None, weights=None):
    """F = Σ w_f·F_f / Σ w_f over the fields the listing has (DESIGN.md §4).

    `verified_at_by_field` maps each field present on the listing to when it was
    last verified or changed through approval (None: never).
    """
    weights = weights or trust_setting("WEIGHTS")
    total_weight = 0.0
    weighted = 0.0
    for field, verified_at in verified_at_by_field.items():
        weight = weights.get(field, 1)
        total_weight += weight
        weighted += weight * field_freshness(field, verified_at, now=now, half_lives=half_lives)
    return weighted / total_weight if total_weight else 0.0


@dataclass(frozen=True)
class Vote:
    """One verification of a value: who (their reliability), for which
    organization, and when."""

    reliability: float
    organization_id: int
    verified_at: dt.datetime


def confidence(votes: Iterable[Vote], *, listing_organization_id, half_life_days, now):
    """C = 1 − Π_orgs (1 − c_org), where c_org is the strongest vote of that
    organization: w = R_u · I · 2^(−age / H_f), with I = 0.6 for the listing's own
    organization and 1 for an independent one. Many users of one organization
    are one vote."""
    own_weight = trust_setting("OWN_ORGANIZATION_WEIGHT")
    best = {}
    for vote in votes:
        independence = own_weight if vote.organization_id == listing_organization_id else 1.0
        age_days = (now - vote.verified_at) / DAY
        weight = vote.reliability * independence * decay(age_days, half_life_days)
        best[vote.organization_id] = max(best.get(vote.organization_id, 0.0), weight)
    doubt = 1.0
    for weight in best.values():
        doubt *= 1.0 - weight
    return 1.0 - doubt
