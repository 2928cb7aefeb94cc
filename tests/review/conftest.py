"""Review test fixtures. The people are built by the one role module, tests.roles."""

from django.core.cache import cache

import pytest

from tests.factories import OrganizationFactory
from tests.roles import give_points, professional
from tests.roles import moderator as moderator_user
from tests.roles import reviewer as reviewer_user


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_org(db):
    return OrganizationFactory(title="Northside Legal Aid")


@pytest.fixture
def points(db):
    """points(user, n): the user stands at n reputation points or more (real ledger events)."""
    return give_points


@pytest.fixture
def plain_professional(db):
    return professional(username="pro")


@pytest.fixture
def make_member(db):
    def make(organization, username=None):
        return professional(organization, username=username)

    return make


@pytest.fixture
def reviewer(db):
    return reviewer_user()


@pytest.fixture
def moderator(db):
    return moderator_user()


# The editing tests' roles (issue 3): one world of organizations and users.
from tests.review.editing import world  # noqa: E402, F401
