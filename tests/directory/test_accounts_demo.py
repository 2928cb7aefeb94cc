"""seed_demo's memberships follow the roles, through the same actions as the product."""

from django.contrib.auth import get_user_model

from wagtail.models import ModelLogEntry

import pytest

from directory.accounts.permissions import can_claim, can_manage_members
from directory.demo import seed_demo
from directory.members import is_member, is_org_admin
from directory.models import MembershipRequest, OrganizationDomain, OrganizationPage

pytestmark = pytest.mark.django_db


def test_the_demo_roles_have_the_memberships_their_names_promise():
    seed_demo(debug=True)
    users = {u.username: u for u in get_user_model().objects.all()}
    food = OrganizationPage.objects.get(title="Greater Chicago Food Partners")
    pilsen = OrganizationPage.objects.get(title="Pilsen Neighbors Health Center")

    assert is_org_admin(users["orgadmin"], pilsen)
    assert can_manage_members(users["orgadmin"], pilsen)
    assert not can_manage_members(users["orgadmin"], food)
    assert is_member(users["professional"], food)
    assert not is_member(users["professional"], pilsen)
    assert can_manage_members(users["moderator"], food)
    assert OrganizationDomain.objects.get().organization == pilsen
    request = MembershipRequest.objects.get()
    assert (request.user, request.organization, request.status) == (
        users["professional"],
        pilsen,
        "pending",
    )
    assert ModelLogEntry.objects.filter(action="steward.membership.start").count() == 2
    # Organizations without an admin can be claimed by a professional.
    assert can_claim(users["professional"], food)
    assert not can_claim(users["professional"], pilsen)
    assert not seed_demo().created
