"""People and listings for the history tests."""

import pytest

from directory.demo import _groups
from tests import roles
from tests.factories import make_service


@pytest.fixture
def groups(home):
    return _groups(home)


@pytest.fixture
def moderator(groups):
    return roles.moderator("mod", first_name="Mo", last_name="Derator")


@pytest.fixture
def analyst(groups):
    return roles.analyst("analyst")


@pytest.fixture
def professional(groups):
    return roles.professional(username="pro")


@pytest.fixture
def service(home):
    return make_service(title="Weekly groceries", phones=("(312) 555-0101",))


@pytest.fixture
def member(groups, service):
    """A member of the service's organization, who edits and publishes it."""
    organization = service.get_parent().specific
    return roles.member(organization, "member", first_name="Mem", last_name="Ber")


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
