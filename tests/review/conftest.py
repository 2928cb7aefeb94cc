"""Review test helpers: professionals with an organization."""

import datetime as dt

from django.contrib.auth.models import Group, Permission

import pytest

from tests.factories import OrganizationFactory, UserFactory, membership

LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def professional(organization=None, **fields):
    """A signed-in professional (admin access), member of `organization` when given."""
    user = UserFactory(**fields)
    group, _ = Group.objects.get_or_create(name="Professionals")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    if organization is not None:
        # Members since long before the test clocks, so "current" holds at any `now`.
        membership(user, organization, since=LONG_AGO)
    return user


@pytest.fixture
def make_professional(db):
    def make(organization=None, **fields):
        return professional(organization, **fields)

    return make


@pytest.fixture
def other_org(db):
    return OrganizationFactory(title="Northside Legal Aid")
