"""People by role, for every test: the one set of role builders (issue 12).

- The groups are the real role groups (`directory.accounts.groups.ensure_role_groups`,
  what the data migration and `seed_demo` make), so every role signs in to the
  workspace with exactly the rights a deployment gives it; moderators also get the
  editors' page rights on the whole tree, as `seed_demo` grants them.
- `professional(*organizations)` is a professional, a current member (since long
  before any test clock) of each organization given; `member(organization)` is one
  with the organization's editors' page rights too, as a real membership gives.
- Reputation comes from the real ledger: `give_points(user, n)` records re-verified
  edits on past days (the daily gain cap allows 200 a day) until the user stands
  at n points or more. Nothing patches `standing_for`.
"""

import datetime as dt

from django.utils import timezone

from directory.accounts.groups import editors_group, ensure_role_groups, grant_page_permissions
from directory.home import home_page_model
from directory.models import Membership, Professional
from directory.roles import ANALYSTS, MODERATORS, PROFESSIONALS
from review.trust.ledger import record_event
from review.trust.standing import standing_for
from tests.factories import UserFactory, membership

# Members since long before the test clocks, so "current" holds at any `now`.
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def role_group(name):
    """One of the role groups (Professionals, Moderators, Analysts), as deployed."""
    return ensure_role_groups()[name]


def professional(
    *organizations,
    username=None,
    role=Membership.Role.MEMBER,
    page_rights=False,
    confirmed=False,
    **fields,
):
    """A signed-in professional (workspace access), a current member of each
    organization given (`role` in each); `page_rights` adds each organization's
    editors' group; `confirmed` records a confirmed email address."""
    user = UserFactory(**({"username": username} if username else {}), **fields)
    user.groups.add(role_group(PROFESSIONALS))
    for organization in organizations:
        if organization is None:
            continue
        membership(user, organization, role=role, since=LONG_AGO)
        if page_rights:
            user.groups.add(editors_group(organization))
    if confirmed:
        Professional.objects.create(user=user, email_confirmed_at=timezone.now())
    return user


def member(organization, username=None, *, role=Membership.Role.MEMBER, **fields):
    """A current member of `organization`, with its editors' page rights."""
    return professional(organization, username=username, role=role, page_rights=True, **fields)


def moderator(username="moderator", **fields):
    """A moderator, with the editors' page rights on the whole tree."""
    user = UserFactory(username=username, **fields)
    group = role_group(MODERATORS)
    grant_page_permissions(group, home_page_model().objects.get())
    user.groups.add(group)
    return user


def analyst(username="analyst", **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(role_group(ANALYSTS))
    return user


def superuser(username="root", **fields):
    return UserFactory(username=username, is_superuser=True, is_staff=True, **fields)


def give_points(user, n):
    """`user` stands at `n` reputation points or more, earned through ledger events."""
    events = -(-(n - 1) // 10)  # +10 each, from the floor of 1
    start = timezone.now() - dt.timedelta(days=events // 20 + 2)
    for i in range(events):
        record_event(
            user=user, kind="edit_reverified", at=start + dt.timedelta(days=i // 20, minutes=i)
        )
    assert standing_for(user).points >= n
    return user


def earn(user, *, points=0, good=0, bad=0):
    """Ledger events giving `user` `good` and `bad` judgments more (another
    organization confirmed or contradicted a value they verified: no points), then
    upheld reports (+2 each, no judgment) until they stand at `points` or one more."""
    kinds = ["value_confirmed"] * good + ["value_contradicted"] * bad
    kinds += ["report_upheld"] * -(-max(points - standing_for(user).points, 0) // 2)
    per_day = 50  # well under the daily gain cap (200 points)
    start = timezone.now() - dt.timedelta(days=len(kinds) // per_day + 2)
    for i, kind in enumerate(kinds):
        record_event(user=user, kind=kind, at=start + dt.timedelta(days=i // per_day, minutes=i))
    standing = standing_for(user)
    assert standing.points >= points
    return user


def reviewer(*organizations, username="reviewer", points=500):
    """A professional who has earned the review privilege (REVIEW_POINTS)."""
    return give_points(professional(*organizations, username=username), points)
