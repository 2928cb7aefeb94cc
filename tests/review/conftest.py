"""People by role, for the reports and queue tests."""

from unittest import mock

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

import pytest

from review import standing as standing_module
from review.standing import Standing
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


@pytest.fixture
def points(monkeypatch):
    """points(user, n): the user stands at n reputation points."""
    table = {}
    real = standing_module.standing_for

    def standing_for(user):
        if user is not None and user.pk in table:
            return Standing(points=table[user.pk], good=0, bad=0)
        return real(user)

    monkeypatch.setattr(standing_module, "standing_for", standing_for)

    def give(user, n):
        table[user.pk] = n
        return user

    return give


@pytest.fixture
def professional(db):
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


__all__ = ["mock"]
