"""A user's standing: reputation points and judged record, derived from the ledger.

The trust-engine work replaces `standing_for` with the ledger replay
(review.reputation.reputation) over stored events; until it lands every user
stands as a newcomer: the floor of points and nothing judged.
"""

from dataclasses import dataclass

from review.reputation import reliability, wilson_lower_bound
from review.trust import trust_setting


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


def standing_for(user):
    return newcomer()


def standings_for(users):
    return {user.pk: standing_for(user) for user in users}
