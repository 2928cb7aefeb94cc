import datetime as dt

from django.utils import timezone

import pytest

from directory.members import (
    acting_organization,
    current_organizations,
    is_member,
    is_org_admin,
    organization_of,
)
from directory.models import Membership
from tests.factories import OrganizationFactory, UserFactory, make_service, membership

pytestmark = pytest.mark.django_db


def test_an_ended_membership_gives_no_rights():
    user, org = UserFactory(), OrganizationFactory()
    row = membership(user, org, role="admin", since=timezone.now() - dt.timedelta(days=30))
    assert is_member(user, org) and is_org_admin(user, org)
    row.until = timezone.now() - dt.timedelta(seconds=1)
    row.save()
    assert not is_member(user, org)
    assert not is_org_admin(user, org)
    assert list(current_organizations(user)) == []


def test_the_acting_organization_is_the_session_choice_or_the_first_joined(rf):
    user = UserFactory()
    first, second = OrganizationFactory(title="B first"), OrganizationFactory(title="A second")
    membership(user, first, since=timezone.now() - dt.timedelta(days=2))
    membership(user, second)
    assert acting_organization(user) == first
    request = rf.get("/")
    request.session = {"steward_acting_organization": second.pk}
    assert acting_organization(user, request) == second
    request.session = {"steward_acting_organization": 999999}
    assert acting_organization(user, request) == first


def test_a_user_without_membership_acts_for_no_one(django_user_model):
    assert acting_organization(UserFactory()) is None


def test_a_service_belongs_to_its_parent_organization():
    service = make_service()
    org = service.get_parent().specific
    assert organization_of(service) == org
    assert organization_of(org) == org
    assert Membership.objects.count() == 0
