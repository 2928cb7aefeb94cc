"""A user's standing: reputation points and judged record, replayed from the ledger.

Never stored: `standing_for` reads the user's ledger events and replays them with
review.trust.reputation.reputation (daily gain cap, floor), so recomputing always gives
the same totals.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from review.conf import trust_setting
from review.trust.reputation import LedgerEvent as Entry
from review.trust.reputation import reliability, reputation, wilson_lower_bound


@dataclass(frozen=True)
class Standing:
    points: int
    good: int
    bad: int

    @property
    def judged(self):
        return self.good + self.bad

    @property
    def reliability(self):
        return reliability(self.good, self.bad)

    @property
    def wilson(self):
        """Wilson lower bound of good / judged; None before enough items are judged."""
        return wilson_lower_bound(self.good, self.bad)


def newcomer():
    return Standing(points=trust_setting("REPUTATION_FLOOR"), good=0, bad=0)


def replay(rows):
    """Standing from ledger rows given as (id, kind, points, judgment, created_at)."""
    entries = []
    good = bad = 0
    for pk, kind, points, judgment, created_at in rows:
        entries.append(Entry(kind=kind, at=created_at, id=pk, points=points))
        good += judgment == "good"
        bad += judgment == "bad"
    # The daily cap counts calendar days where the community lives.
    points = reputation(entries, timezone=timezone.get_default_timezone())
    return Standing(points=points, good=good, bad=bad)


FIELDS = ("id", "kind", "points", "judgment", "created_at")


def standing_for(user):
    from review.models import LedgerEvent

    if user is None or not getattr(user, "pk", None):
        return newcomer()
    return replay(LedgerEvent.objects.filter(user_id=user.pk).values_list(*FIELDS))


def standings_for(users):
    """{user pk: Standing} for many users in one query."""
    from review.models import LedgerEvent

    pks = {getattr(user, "pk", user) for user in users if user is not None}
    pks.discard(None)
    rows = defaultdict(list)
    for user_id, *row in LedgerEvent.objects.filter(user_id__in=pks).values_list(
        "user_id", *FIELDS
    ):
        rows[user_id].append(row)
    return {pk: replay(rows.get(pk, ())) for pk in pks}
