"""Builders shared by the tests/directory/test_accounts_*.py files."""

from django.contrib.auth.models import Group
from django.utils import timezone

from directory.accounts import actions
from directory.accounts.groups import MODERATORS, PROFESSIONALS
from directory.models import Membership, Professional
from tests.factories import UserFactory


def professional(username, **fields):
    """A confirmed professional (workspace access), in no organization yet."""
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=PROFESSIONALS))
    Professional.objects.create(user=user, email_confirmed_at=timezone.now())
    return user


def member(username, organization, role=Membership.Role.MEMBER):
    user = professional(username)
    actions.start_membership(user=user, organization=organization, role=role)
    return user


def moderator(username="moderator"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


def superuser(username="root"):
    return UserFactory(username=username, is_superuser=True, is_staff=True)


def fresh(user):
    """The user again from the database, without cached permissions."""
    return type(user).objects.get(pk=user.pk)
