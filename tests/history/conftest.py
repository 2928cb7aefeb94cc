"""People and listings for the history tests."""

import pytest

from directory.accounts.groups import editors_group
from directory.demo import _groups
from tests.factories import UserFactory, make_service, membership


@pytest.fixture
def groups(home):
    return _groups(home)


@pytest.fixture
def moderator(groups):
    user = UserFactory(username="mod", first_name="Mo", last_name="Derator")
    user.groups.add(groups["Moderators"])
    return user


@pytest.fixture
def analyst(groups):
    user = UserFactory(username="analyst")
    user.groups.add(groups["Analysts"])
    return user


@pytest.fixture
def professional(groups):
    user = UserFactory(username="pro")
    user.groups.add(groups["Professionals"])
    return user


@pytest.fixture
def service(home):
    return make_service(title="Weekly groceries", phones=("(312) 555-0101",))


@pytest.fixture
def member(groups, service):
    """A member of the service's organization, who edits and publishes it."""
    user = UserFactory(username="member", first_name="Mem", last_name="Ber")
    organization = service.get_parent().specific
    user.groups.add(groups["Professionals"], editors_group(organization))
    membership(user, organization)
    return user


def edit(service, user, change, *, publish=True):
    """Apply `change` to the latest version of the service as `user`; a new revision."""
    page = service.get_latest_revision_as_object()
    change(page)
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return revision


def set_phone(number):
    def change(page):
        phones = list(page.phones.all())
        phones[0].number = number
        page.phones = phones

    return change
