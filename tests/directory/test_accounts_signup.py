"""Sign-up, email confirmation and joining by a registered domain."""

import re
import time

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from directory.accounts.groups import PROFESSIONALS
from directory.members import is_member
from directory.models import Membership, MembershipRequest, OrganizationDomain, Professional
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"
SIGNUP = "/accounts/signup/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the sign-up rate limit counts in the cache
    yield
    cache.clear()


def sign_up(client, org, email="dana@pilsen.example.org", **overrides):
    data = {
        "first_name": "Dana",
        "last_name": "Kowalski",
        "email": email,
        "organization": org.pk,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(SIGNUP, data)


def link_in_last_mail():
    match = re.search(r"https?://\S+/accounts/confirm/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return f"/accounts/confirm/{match.group(1)}/"


def test_signing_up_with_a_registered_domain_makes_a_member_once_the_email_is_confirmed(client):
    organization = OrganizationFactory(title="Pilsen Health")
    OrganizationDomain.objects.create(organization=organization, domain="pilsen.example.org")

    response = sign_up(client, organization)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = get_user_model().objects.get(email="dana@pilsen.example.org")
    assert not user.is_active and not is_member(user, organization)
    assert not client.login(username=user.username, password=PASSWORD)
    refused = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD}
    )
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@pilsen.example.org"]

    confirm = link_in_last_mail()
    page = client.get(confirm)
    assert page.status_code == 200 and b"Confirm my email" in page.content
    assert not get_user_model().objects.get(pk=user.pk).is_active  # a GET changes nothing

    wrong = client.post(confirm, {"password": "not the one I chose"})
    assert wrong.status_code == 400 and b"This is not the password" in wrong.content
    assert not get_user_model().objects.get(pk=user.pk).is_active

    done = client.post(confirm, {"password": PASSWORD})

    assert done.status_code == 200 and b"You are now a member" in done.content
    user = get_user_model().objects.get(pk=user.pk)
    assert user.is_active
    assert user.groups.filter(name=PROFESSIONALS).exists()
    assert user.groups.filter(name="Pilsen Health editors").exists()
    assert is_member(user, organization)
    assert Professional.objects.get(user=user).email_confirmed_at is not None
    assert not MembershipRequest.objects.exists()
    entry = ModelLogEntry.objects.get(action="steward.membership.start")
    assert entry.data["organization"] == {"id": organization.pk, "title": "Pilsen Health"}
    assert entry.data["membership"]["via"] == "domain"
    assert "@" not in str(entry.data)
    assert client.login(username=user.username, password=PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_confirming_twice_changes_nothing_the_second_time(client):
    organization = OrganizationFactory()
    sign_up(client, organization, email="sam@elsewhere.example.net")
    confirm = link_in_last_mail()
    client.post(confirm, {"password": PASSWORD})
    again = client.post(confirm, {"password": PASSWORD})
    assert b"already confirmed" in again.content
    assert MembershipRequest.objects.count() == 1


@pytest.mark.parametrize("email", ["dana@gmail.com", "dana@Outlook.com", "dana@proton.me"])
def test_a_public_mail_domain_never_joins_automatically(client, email):
    organization = OrganizationFactory()
    # Even when (wrongly) registered: the admin screen refuses it, the rule holds anyway.
    OrganizationDomain.objects.create(organization=organization, domain=email.split("@")[1].lower())

    sign_up(client, organization, email=email)
    client.post(link_in_last_mail(), {"password": PASSWORD})

    user = get_user_model().objects.get(email=email)
    assert user.is_active
    assert not is_member(user, organization)
    request = MembershipRequest.objects.get(user=user)
    assert (request.organization, request.status) == (organization, "pending")


def test_a_domain_registered_by_another_organization_only_opens_a_request(client):
    chosen, other = OrganizationFactory(), OrganizationFactory()
    OrganizationDomain.objects.create(organization=other, domain="other.example.org")
    sign_up(client, chosen, email="lee@other.example.org")
    client.post(link_in_last_mail(), {"password": PASSWORD})
    user = get_user_model().objects.get(email="lee@other.example.org")
    assert not Membership.objects.filter(user=user).exists()
    assert MembershipRequest.objects.get(user=user).organization == chosen


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJ1c2VyIjoxfQ:1abcde:forgedsignatureforgedsignature0000000"],
)
def test_a_wrong_token_is_refused_and_changes_nothing(client, token):
    organization = OrganizationFactory()
    sign_up(client, organization, email="kim@example.net")
    for method in (client.get, client.post):
        response = method(f"/accounts/confirm/{token}/")
        assert response.status_code == 400
        assert b"not valid" in response.content
    assert not get_user_model().objects.get(email="kim@example.net").is_active
    assert not MembershipRequest.objects.exists()


def test_a_tampered_token_is_refused(client):
    organization = OrganizationFactory()
    sign_up(client, organization, email="kim@example.net")
    confirm = link_in_last_mail()
    tampered = confirm[:-3] + ("A" if confirm[-3] != "A" else "B") + confirm[-2:]
    assert client.post(tampered, {"password": PASSWORD}).status_code == 400
    assert not get_user_model().objects.get(email="kim@example.net").is_active


def test_an_expired_token_is_refused(client, monkeypatch):
    organization = OrganizationFactory()
    sign_up(client, organization, email="kim@example.net")
    confirm = link_in_last_mail()
    four_days_later = time.time() + 4 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: four_days_later)

    response = client.post(confirm, {"password": PASSWORD})

    assert response.status_code == 400 and b"expired" in response.content
    assert not get_user_model().objects.get(email="kim@example.net").is_active


def test_an_account_that_never_confirmed_can_sign_up_again_for_a_new_link(client):
    first, second = OrganizationFactory(), OrganizationFactory()
    sign_up(client, first, email="kim@example.net")
    assert len(mail.outbox) == 1

    again = sign_up(client, second, email="Kim@example.net", first_name="Kimberly")

    assert again.status_code == 302 and len(mail.outbox) == 2
    user = get_user_model().objects.get(email__iexact="kim@example.net")
    assert (user.first_name, user.is_active) == ("Kimberly", False)
    client.post(link_in_last_mail(), {"password": PASSWORD})
    assert MembershipRequest.objects.get(user=user).organization == second


def test_a_confirmed_account_cannot_be_signed_up_again(client):
    organization = OrganizationFactory()
    sign_up(client, organization, email="kim@example.net")
    client.post(link_in_last_mail(), {"password": PASSWORD})
    response = sign_up(client, organization, email="kim@example.net", password1="x" * 20)
    assert response.status_code == 400
    assert get_user_model().objects.get(email="kim@example.net").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"organization": "999999"}, "organization", "Select a valid choice."),
        ({"organization": "abc"}, "organization", "Select a valid choice."),
        ({"password2": "something else entirely"}, "password2", "The two passwords differ."),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "numeric"),
    ],
)
def test_bad_input_gets_field_messages_and_saves_nothing(client, overrides, field, message):
    organization = OrganizationFactory()
    users_before = get_user_model().objects.count()

    response = sign_up(client, organization, **overrides)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert message.encode() in response.content
    assert get_user_model().objects.count() == users_before
    assert not Professional.objects.exists() and mail.outbox == []


def test_an_email_that_already_has_an_account_is_refused(client):
    organization = OrganizationFactory()
    UserFactory(username="kim", email="kim@example.net")
    response = sign_up(client, organization, email="KIM@example.net")
    assert response.status_code == 400
    assert "already exists" in " ".join(response.context["form"].errors["email"])
    assert get_user_model().objects.filter(email__iexact="kim@example.net").count() == 1


def test_when_the_mail_cannot_be_sent_nothing_is_saved(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    # The mail server refuses (the transport fails, whichever code sends).
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = sign_up(client, OrganizationFactory(), email="kim@example.net")
    assert response.status_code == 400
    assert b"could not send the confirmation email" in response.content
    assert not get_user_model().objects.filter(email="kim@example.net").exists()
    assert not Professional.objects.exists()


def test_sign_ups_are_rate_limited_per_client_address(client):
    organization = OrganizationFactory()
    for n in range(5):
        assert sign_up(client, organization, email=f"p{n}@example.net").status_code == 302
    response = sign_up(client, organization, email="p5@example.net")
    assert response.status_code == 429
    assert b"Too many sign-ups" in response.content
    assert not get_user_model().objects.filter(email="p5@example.net").exists()


def test_the_sign_up_page_is_light(client, django_assert_max_num_queries):
    for n in range(30):
        OrganizationFactory(title=f"Organization {n}")
    with django_assert_max_num_queries(3):
        response = client.get(SIGNUP)
    assert response.status_code == 200
    assert b"Organization 29" in response.content
