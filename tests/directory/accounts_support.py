"""Helpers shared by the tests/directory/test_accounts_*.py files."""

from directory.accounts import actions
from directory.models import Membership
from tests.roles import professional


def member(username, organization, role=Membership.Role.MEMBER):
    """A confirmed professional made a member by the real membership action (the
    people themselves come from tests.roles)."""
    user = professional(username=username, confirmed=True)
    actions.start_membership(user=user, organization=organization, role=role)
    return user


def fresh(user):
    """The user again from the database, without cached permissions."""
    return type(user).objects.get(pk=user.pk)
