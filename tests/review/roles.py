"""People by role, for the reports and queue tests (imported by those modules).

Reputation comes from the real ledger: `points(user, n)` records re-verified
edits on past days (the daily gain cap allows 200 a day) until the user stands
at n points or more.
"""

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import timezone

import pytest

from review.trust.ledger import record_event
from review.trust.standing import standing_for
from tests.factories import UserFactory, membership


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def professionals_group():
    group, _ = Group.objects.get_or_create(name="Professionals")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def give_points(user, n):
    events = -(-(n - 1) // 10)  # +10 each, from the floor of 1
    start = timezone.now() - dt.timedelta(days=events // 20 + 2)
    for i in range(events):
        record_event(
            user=user, kind="edit_reverified", at=start + dt.timedelta(days=i // 20, minutes=i)
        )
    assert standing_for(user).points >= n
    return user


@pytest.fixture
def points(db):
    """points(user, n): the user stands at n reputation points or more."""
    return give_points


@pytest.fixture
def plain_professional(db):
    user = UserFactory(username="pro")
    user.groups.add(professionals_group())
    return user


@pytest.fixture
def make_member():
    def make(organization, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        user.groups.add(professionals_group())
        membership(user, organization)
        return user

    return make


@pytest.fixture
def reviewer(db, points):
    user = UserFactory(username="reviewer")
    user.groups.add(professionals_group())
    return points(user, 500)


@pytest.fixture
def moderator(db):
    user = UserFactory(username="moderator")
    user.groups.add(professionals_group(), Group.objects.get_or_create(name="Moderators")[0])
    return user
