"""The membership rights, role by role, checked on the server: each cell is a
GET or a crafted POST straight to the URL, and a refused POST changes nothing.

A is an organization with an admin, a member and an open request; B another
organization; C an organization nobody administers (an import placeholder).
"""

from dataclasses import dataclass

from django.urls import reverse

import pytest

from directory.accounts import actions
from directory.accounts.permissions import (
    can_approve_requests,
    can_claim,
    can_manage_members,
    can_register_domains,
)
from directory.models import Membership, MembershipRequest, OrganizationDomain
from tests.directory.accounts_support import fresh, member
from tests.factories import OrganizationFactory
from tests.roles import moderator, professional, superuser

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_org", "member_a", "admin_a", "member_b", "moderator", "superuser"]
ADMINS_OF_A = {"admin_a", "moderator", "superuser"}
# Professionals may ask to claim an organization without admin; moderators decide
# claims rather than make them (they are not in "Professionals").
CLAIMANTS = {"no_org", "member_a", "admin_a", "member_b", "superuser"}


@dataclass
class World:
    a: object
    b: object
    c: object
    users: dict
    victim: object
    request: object


@pytest.fixture
def world():
    a = OrganizationFactory(title="Organization A")
    b = OrganizationFactory(title="Organization B")
    c = OrganizationFactory(title="Placeholder C", needs_details=True)
    users = {
        "anonymous": None,
        "no_org": professional(username="no_org", confirmed=True),
        "member_a": member("member_a", a),
        "admin_a": member("admin_a", a, role="admin"),
        "member_b": member("member_b", b),
        "moderator": moderator(),
        "superuser": superuser(),
    }
    victim = member("victim", a)
    request = actions.request_membership(
        user=professional(username="applicant", confirmed=True), organization=a
    )
    return World(a, b, c, users, victim, request)


def as_role(client, world, role):
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def assert_refused(response, role):
    assert response.status_code == 302
    if role == "anonymous":
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        assert response["Location"] == "/admin/"  # Wagtail's answer to PermissionDenied


def url(name, *args):
    return reverse(f"steward_accounts:{name}", args=args)


@pytest.mark.parametrize("role", ROLES)
def test_the_members_screen_of_a_opens_for_its_admins_and_moderators_only(client, world, role):
    response = as_role(client, world, role).get(url("members", world.a.pk))
    if role in ADMINS_OF_A:
        assert response.status_code == 200
        assert b"victim" in response.content
    else:
        assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_ending_a_membership_of_a(client, world, role):
    row = Membership.objects.get(user=world.victim)
    response = as_role(client, world, role).post(url("end", row.pk))
    row.refresh_from_db()
    if role in ADMINS_OF_A:
        assert response.status_code == 302 and not row.is_current
    else:
        assert_refused(response, role)
        assert row.is_current and row.until is None


@pytest.mark.parametrize("role", ROLES)
def test_making_a_member_of_a_its_admin(client, world, role):
    row = Membership.objects.get(user=world.victim)
    response = as_role(client, world, role).post(url("role", row.pk), {"role": "admin"})
    row.refresh_from_db()
    if role in ADMINS_OF_A:
        assert response.status_code == 302 and row.role == "admin"
    else:
        assert_refused(response, role)
        assert row.role == "member"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_deciding_a_request_to_join_a(client, world, role, decision):
    response = as_role(client, world, role).post(url(decision, world.request.pk))
    status = MembershipRequest.objects.get(pk=world.request.pk).status
    if role in ADMINS_OF_A:
        assert response.status_code == 302
        assert status == {"approve": "approved", "decline": "declined"}[decision]
    else:
        assert_refused(response, role)
        assert status == "pending"
        assert not Membership.objects.filter(user=world.request.user).exists()


@pytest.mark.parametrize("role", ROLES)
def test_registering_and_removing_a_domain_of_a(client, world, role):
    existing = OrganizationDomain.objects.create(organization=world.a, domain="a.example.org")
    client = as_role(client, world, role)
    added = client.post(url("add_domain", world.a.pk), {"domain": "staff-a.example.org"})
    removed = client.post(url("remove_domain", existing.pk))
    domains = set(OrganizationDomain.objects.values_list("domain", flat=True))
    if role in ADMINS_OF_A:
        assert added.status_code == removed.status_code == 302
        assert domains == {"staff-a.example.org"}
    else:
        assert_refused(added, role)
        assert_refused(removed, role)
        assert domains == {"a.example.org"}


@pytest.mark.parametrize("role", ROLES)
def test_claiming_an_organization_without_admin(client, world, role):
    client = as_role(client, world, role)
    page = client.get(url("claim", world.c.pk))
    sent = client.post(url("claim", world.c.pk), {"note": "We run it"})
    claims = MembershipRequest.objects.filter(kind="claim", organization=world.c)
    if role in CLAIMANTS:
        assert page.status_code == 200
        assert sent.status_code == 302
        assert claims.get().user == world.users[role]
    else:
        assert_refused(page, role)
        assert_refused(sent, role)
        assert not claims.exists()


@pytest.mark.parametrize("role", ROLES)
def test_nobody_claims_an_organization_that_has_an_admin(client, world, role):
    client = as_role(client, world, role)
    assert_refused(client.get(url("claim", world.a.pk)), role)
    assert_refused(client.post(url("claim", world.a.pk)), role)
    assert not MembershipRequest.objects.filter(kind="claim").exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_decide_claims(client, world, role):
    claim = actions.claim_organization(
        user=professional(username="claimant", confirmed=True), organization=world.c
    )
    response = as_role(client, world, role).post(url("approve", claim.pk))
    claim.refresh_from_db()
    if role in {"moderator", "superuser"}:
        assert response.status_code == 302 and claim.status == "approved"
    else:
        assert_refused(response, role)
        assert claim.status == "pending"


@pytest.mark.parametrize("role", ROLES)
def test_the_requests_of_every_organization_are_for_moderators(client, world, role):
    response = as_role(client, world, role).get(url("requests"))
    if role in {"moderator", "superuser"}:
        assert response.status_code == 200 and b"Organization A" in response.content
    else:
        assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_functions_agree_with_the_screens(world, role):
    from django.contrib.auth.models import AnonymousUser

    user = fresh(world.users[role]) if world.users[role] else AnonymousUser()
    expected = role in ADMINS_OF_A
    assert can_manage_members(user, world.a) is expected
    assert can_approve_requests(user, world.a) is expected
    assert can_register_domains(user, world.a) is expected
    assert can_claim(user, world.c) is (role in CLAIMANTS)
    # Admin of A holds nothing on B.
    assert can_manage_members(user, world.b) is (role in {"moderator", "superuser"})


@pytest.mark.parametrize("role", ["anonymous", "no_org", "member_a"])
def test_get_on_the_action_urls_changes_nothing(client, world, role):
    client = as_role(client, world, role)
    row = Membership.objects.get(user=world.victim)
    for name, arg in [
        ("end", row.pk),
        ("role", row.pk),
        ("approve", world.request.pk),
        ("add_domain", world.a.pk),
    ]:
        assert client.get(url(name, arg)).status_code in (302, 405)
    row.refresh_from_db()
    assert row.is_current and row.role == "member"
    assert MembershipRequest.objects.get(pk=world.request.pk).status == "pending"
