"""A professional's emails are in their own language: the admin language they
chose in Wagtail, else the language they signed up in, else English. Through the
paths people take: the sign-up form, the confirmation link, a join request and
its approval, and a moderator's rejection by admin POST."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from directory.accounts.mail import language_of
from directory.models import Membership, MembershipRequest, Professional
from tests.directory.accounts_support import member
from tests.factories import OrganizationFactory
from tests.review import editing
from tests.review.editing import latest, service_form
from tests.roles import professional

pytestmark = pytest.mark.django_db
world = editing.world

PASSWORD = "a long and unusual passphrase 42"
ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the sign-up rate limit counts in the cache
    yield
    cache.clear()


def prefers(user, language):
    """What Account → Preferences → Preferred language saves."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def sign_up(client, organization, email, **headers):
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "Dana",
            "last_name": "Kowalski",
            "email": email,
            "organization": organization.pk,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **headers,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_user_model().objects.get(email=email)


def confirm(client, message, **headers):
    match = re.search(r"https?://\S+(/accounts/confirm/\S+/)", message.body)
    assert match, message.body
    response = client.post(match.group(1), {"password": PASSWORD}, **headers)
    assert response.status_code == 200


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_signing_up_in_spanish_mails_the_confirmation_in_spanish(client):
    organization = OrganizationFactory(title="Salud Pilsen")
    user = sign_up(client, organization, "dana@gmail.com", **ES)
    assert Professional.objects.get(user=user).language == "es"
    (message,) = mail.outbox
    assert message.subject == "Confirme su correo electrónico para Steward"
    assert message.body.startswith("Hola, Dana:")
    assert "abra este enlace en un plazo de 3 días" in message.body
    assert "Confirm" not in message.body


def test_signing_up_in_english_mails_the_confirmation_in_english(client):
    user = sign_up(client, OrganizationFactory(), "dana@gmail.com", HTTP_ACCEPT_LANGUAGE="en")
    assert language_of(user) == "en"
    (message,) = mail.outbox
    assert message.subject == "Confirm your email address for Steward"
    assert "open this link within 3 days" in message.body


def test_each_side_of_a_join_request_hears_in_their_own_language(
    client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(title="Pilsen Health")
    english_admin = member("admin_en", organization, role=Membership.Role.ADMIN)
    spanish_admin = member("admin_es", organization, role=Membership.Role.ADMIN)
    english_admin.email, spanish_admin.email = "en@pilsen.example.org", "es@pilsen.example.org"
    english_admin.save()
    spanish_admin.save()
    prefers(spanish_admin, "es")
    prefers(english_admin, "en")

    applicant = sign_up(client, organization, "dana@gmail.com", **ES)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, mail.outbox[-1], **ES)
    (english,) = to("en@pilsen.example.org")
    (spanish,) = to("es@pilsen.example.org")
    assert english.subject == "Dana Kowalski asks to join Pilsen Health"
    assert "Approve or decline the request:" in english.body
    assert spanish.subject == "Dana Kowalski pide unirse a Pilsen Health"
    assert "Apruebe o rechace la solicitud:" in spanish.body

    # The applicant chose no admin language: the approval is in the sign-up language.
    request = MembershipRequest.objects.get(user=applicant)
    client.force_login(english_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("steward_accounts:approve", args=[request.pk]))
    (approved,) = to("dana@gmail.com")[1:]
    assert approved.subject == "Ahora es miembro de Pilsen Health"
    assert "Puede editar y verificar sus servicios." in approved.body


def test_the_admin_language_they_chose_wins_over_the_sign_up_language(client):
    user = sign_up(client, OrganizationFactory(), "dana@gmail.com", **ES)
    assert language_of(user) == "es"
    prefers(user, "en")
    assert language_of(user) == "en"
    profile = Professional.objects.get(user=user)
    profile.language = ""
    profile.save()
    prefers(user, "")
    assert language_of(user) == "en"  # neither: LANGUAGE_CODE


def test_a_rejection_reaches_each_stacked_editor_in_their_own_language(client, world):
    u = world.users
    service = world.service_a
    u.member_b.email, u.reviewer_c.email = "b@example.org", "c@example.org"
    u.member_b.save()
    u.reviewer_c.save()
    prefers(u.member_b, "es")

    # The outsider submits; the other two stack their drafts on the suggestion.
    for user, alert in ((u.outsider, "From outside"), (u.member_b, "B"), (u.reviewer_c, "C")):
        client.force_login(user)
        data = service_form(latest(service), alert=alert)
        if user == u.outsider:
            data["action-submit"] = "1"
        assert client.post(f"/admin/pages/{service.pk}/edit/", data).status_code == 302

    mail.outbox.clear()
    client.force_login(u.moderator)
    response = client.post(
        f"/admin/review/pending/{service.pk}/", {"action": "reject", "comment": "Wrong number"}
    )
    assert response.status_code == 302
    (spanish,) = to("b@example.org")
    (english,) = to("c@example.org")
    assert spanish.subject == f"Sus cambios a «{service.title}» no fueron aceptados"
    assert "Razón: Wrong number" in spanish.body
    assert "Vuelva a editarlo:" in spanish.body
    assert english.subject == f"Your changes to “{service.title}” were not accepted"
    assert "Reason: Wrong number" in english.body


def test_a_professional_with_no_profile_row_gets_english():
    user = professional(username="no_profile")
    Professional.objects.filter(user=user).delete()
    assert language_of(user) == "en"
