"""Issue 11: at sign-up the organization is found by search first (no JavaScript
needed), and "Not listed?" registers a new organization for a moderator to check,
instead of picking the closest one."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache

import pytest

from directory.members import is_member
from directory.models import Membership, MembershipRequest, OrganizationPage
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"
SIGNUP = "/accounts/signup/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the sign-up rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def organizations(db):
    return [
        OrganizationFactory(title=title)
        for title in ("Pilsen Health Center", "Pilsen Food Pantry", "Uptown Legal Aid")
    ]


def offered(html):
    """The organizations the sign-up form's picker offers."""
    select = re.search(r'<select name="organization".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def confirm_link():
    match = re.search(r"https?://\S+(/accounts/confirm/\S+/)", mail.outbox[-1].body)
    return match.group(1)


def test_the_search_step_narrows_the_organizations_before_the_form(client, organizations):
    everything = client.get(SIGNUP).content.decode()
    assert 'name="org_q"' in everything
    assert len(offered(everything)) == 3

    narrowed = client.get(SIGNUP, {"org_q": "pilsen"}).content.decode()

    assert offered(narrowed) == ["Pilsen Food Pantry", "Pilsen Health Center"]
    assert "2 organizations match" in narrowed
    assert offered(client.get(SIGNUP, {"org_q": "pilsen food"}).content.decode()) == [
        "Pilsen Food Pantry"
    ]


def test_the_narrowed_form_signs_up_for_the_chosen_organization(client, organizations):
    pantry = organizations[1]
    response = client.post(
        f"{SIGNUP}?org_q=pilsen",
        {
            "first_name": "Dana",
            "last_name": "Kowalski",
            "email": "dana@pantry.example.org",
            "organization": pantry.pk,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    client.post(confirm_link(), {"password": PASSWORD})
    request = MembershipRequest.objects.get()
    assert (request.organization, request.kind) == (pantry, MembershipRequest.Kind.JOIN)


def test_not_listed_leads_to_registering_a_new_organization(client, organizations):
    html = client.get(SIGNUP).content.decode()
    assert 'href="?new=1"' in html and "Choose the closest" not in html
    form = client.get(SIGNUP, {"new": "1"}).content.decode()
    assert 'name="new_organization_name"' in form and 'name="new_organization_website"' in form
    assert '<select name="organization"' not in form


def register(client, **overrides):
    data = {
        "first_name": "Ana",
        "last_name": "Reyes",
        "email": "ana@eastside.example.org",
        "new_organization_name": "Eastside Tenants Union",
        "new_organization_website": "https://eastside.example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(f"{SIGNUP}?new=1", data)


def moderator():
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="approve_membership_requests"),
    )
    user = UserFactory(username="mod")
    user.groups.add(group)
    return user


def test_a_registered_organization_waits_unlisted_until_a_moderator_approves_it(
    client, organizations
):
    assert register(client).status_code == 302
    draft = OrganizationPage.objects.get(title="Eastside Tenants Union")
    assert not draft.live and draft.website == "https://eastside.example.org"
    assert "Eastside Tenants Union" not in offered(client.get(SIGNUP).content.decode())

    done = client.post(confirm_link(), {"password": PASSWORD})
    assert b"A moderator checks it" in done.content
    request = MembershipRequest.objects.get()
    assert (request.organization_id, request.kind) == (draft.pk, MembershipRequest.Kind.NEW)
    ana = get_user_model().objects.get(email="ana@eastside.example.org")
    assert not is_member(ana, draft)

    client.force_login(moderator())
    response = client.post(f"/admin/memberships/requests/{request.pk}/approve/")

    assert response.status_code == 302
    draft = OrganizationPage.objects.get(pk=draft.pk)
    assert draft.live
    membership = Membership.objects.get(user=ana, organization=draft)
    assert membership.role == Membership.Role.ADMIN
    assert MembershipRequest.objects.get().status == MembershipRequest.Status.APPROVED


def test_a_professional_may_not_approve_a_new_organization(client, organizations):
    register(client)
    client.post(confirm_link(), {"password": PASSWORD})
    request = MembershipRequest.objects.get()
    someone = UserFactory(username="someone")
    someone.groups.add(Group.objects.get(name="Professionals"))
    client.force_login(someone)
    client.post(f"/admin/memberships/requests/{request.pk}/approve/")
    assert not OrganizationPage.objects.get(pk=request.organization_id).live
    assert MembershipRequest.objects.get().is_pending


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"new_organization_name": ""}, "new_organization_name"),
        ({"new_organization_website": "not a website"}, "new_organization_website"),
    ],
)
def test_a_registration_without_name_or_website_is_refused_and_saves_nothing(
    client, organizations, overrides, field
):
    before = OrganizationPage.objects.count()
    response = register(client, **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert OrganizationPage.objects.count() == before
    assert not get_user_model().objects.filter(email="ana@eastside.example.org").exists()
