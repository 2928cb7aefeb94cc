"""Review test helpers: professionals with an organization."""

from django.contrib.auth.models import Group, Permission

import pytest

from tests.factories import OrganizationFactory, UserFactory, membership
from tests.review.roles import (  # noqa: F401 - fixtures of the reports and queue tests
    _fresh_cache,
    make_member,
    moderator,
    plain_professional,
    points,
    reviewer,
)


def professional(organization=None, **fields):
    """A signed-in professional (admin access), member of `organization` when given."""
    user = UserFactory(**fields)
    group, _ = Group.objects.get_or_create(name="Professionals")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    if organization is not None:
        membership(user, organization)
    return user


@pytest.fixture
def make_professional(db):
    def make(organization=None, **fields):
        return professional(organization, **fields)

    return make


@pytest.fixture
def other_org(db):
    return OrganizationFactory(title="Northside Legal Aid")
