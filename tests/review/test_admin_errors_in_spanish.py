"""Issue 15, "every interface string goes through Django's translation": the refusals
Steward's actions raise (a moderator deciding on their own edit, a revert to the
version already live, a domain another organization holds) and the labels of its
models' choices (a queue item's kind, a ledger event's kind) reach a professional
who chose Spanish in Wagtail in Spanish. Each is reached as the person reaches it: a
real admin POST or a signed-in GET, with nothing patched."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from directory.models import OrganizationDomain, ServicePage
from review.models import ReviewItem
from review.queue.scan import scan
from tests.directory.accounts_support import member
from tests.factories import OrganizationFactory
from tests.review.test_admin_in_spanish import assert_spanish, page, prefers, suggest

pytestmark = pytest.mark.django_db


def test_a_moderator_deciding_on_their_own_edit_is_refused_in_spanish(client, world):
    editor = world.users.outsider
    suggest(client, editor, world.service_a, alert="Cerrado el lunes")
    scan()
    item = ReviewItem.objects.open().get(page=world.service_a, kind=ReviewItem.Kind.PENDING_EDIT)
    editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    prefers(editor, "es")
    response = client.post(
        reverse("review_queue:act", args=[item.pk]), {"action": "approve"}, follow=True
    )
    html = response.content.decode()
    assert "Usted hizo estos cambios, así que los revisa otra persona." in html
    assert "You edited these changes" not in html
    item.refresh_from_db()
    assert item.is_open  # the refusal changed nothing
    assert ServicePage.objects.get(pk=world.service_a.pk).alert == ""


def test_reverting_to_the_version_already_there_is_refused_in_spanish(client, world):
    member = prefers(world.users.member_a, "es")
    client.force_login(member)
    service = ServicePage.objects.get(pk=world.service_a.pk)
    latest = service.latest_revision
    response = client.post(f"/admin/history/{service.pk}/revert/{latest.pk}/")
    assert response.status_code == 400
    assert "Esa ya es la última versión." in response.text
    assert "already the latest version" not in response.text
    assert ServicePage.objects.get(pk=service.pk).latest_revision == latest


def test_a_domain_held_by_another_organization_is_refused_in_spanish(client):
    organization = OrganizationFactory()
    OrganizationDomain.objects.create(
        organization=OrganizationFactory(), domain="taken.example.org"
    )
    admin = prefers(member("admin", organization, role="admin"), "es")
    client.force_login(admin)
    response = client.post(
        reverse("steward_accounts:add_domain", args=[organization.pk]),
        {"domain": "taken.example.org"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "taken.example.org está registrado por otra organización." in html
    assert "registered by another organization" not in html
    assert not OrganizationDomain.objects.filter(organization=organization).exists()


def test_queue_item_kinds_and_ledger_kinds_are_in_spanish(client, world):
    suggest(client, world.users.outsider, world.service_a, alert="Cerrado el lunes")
    scan()
    moderator = prefers(world.users.moderator, "es")
    html = page(client, moderator, reverse("review_queue:index"))
    # The kind filter lists ReviewItem.Kind's labels.
    assert_spanish(
        html,
        spanish=('value="pending_edit"', "Cambio pendiente", "Traducción desactualizada"),
        english=(">Pending edit<", ">Translation out of date<", ">Stale<"),
    )
    # My reputation shows each ledger event's kind (give_points records edit_reverified).
    reviewer = prefers(world.users.reviewer_c, "es")
    html = page(client, reviewer, reverse("review_reputation"))
    assert_spanish(html, spanish=("cambio verificado de nuevo",), english=("edit reverified",))
