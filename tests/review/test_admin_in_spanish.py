"""Issue 15, "Professionals get Wagtail's own Spanish admin if they choose it": a
professional or moderator who chose Spanish in Wagtail (Account → Preferences) sees
Steward's own admin pages in Spanish too — the review queue, pending changes, the due
list, My reputation, a listing's history, the impact dashboard and the membership
screens — with Steward's menu labels and its messages. Each page is fetched as the
user reaches it (a signed-in GET, a real POST); one who kept English sees English."""

import re

from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from review.models import ReviewItem
from review.queue.scan import scan
from tests.review.editing import latest, service_form

pytestmark = pytest.mark.django_db


def prefers(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.get("Location"))
    html = response.content.decode()
    assert '<html lang="es"' in html or '<html lang="en"' in html
    return html


def suggest(client, user, service, **changes):
    """A non-member's edit, submitted for review through the editor."""
    client.force_login(user)
    data = service_form(latest(service), **changes)
    data["action-submit"] = "1"
    assert client.post(f"/admin/pages/{service.pk}/edit/", data).status_code == 302


def assert_spanish(html, spanish, english):
    assert '<html lang="es"' in html
    for text in spanish:
        assert text in html, text
    for text in english:
        assert text not in html, text


@pytest.fixture
def pending(client, world):
    """A suggestion waiting on Alpha pantry, and a moderator who reads Spanish."""
    suggest(client, world.users.outsider, world.service_a, alert="Cerrado el lunes")
    scan()  # what run_periodic does: the suggestion becomes a queue item
    prefers(world.users.moderator, "es")
    return world.service_a


def test_the_review_queue_is_in_spanish(client, world, pending):
    html = page(client, world.users.moderator, reverse("review_queue:index"))
    assert_spanish(
        html,
        spanish=(
            "Cola de revisión",
            "Como moderador, usted no tiene límite diario.",
            "Filtrar por tipo, categoría, organización o zona",
            "espera hace",
            "Alpha pantry",
        ),
        english=(
            "Review queue",
            "As a moderator you have no daily limit.",
            "Filter by kind, category, organization or area",
            "open item",
            "waiting ",
        ),
    )
    assert re.search(r"\d+ fichas? \(\d+ elementos? abiertos?\)", html)
    # Steward's menu labels, in the sidebar's data (JSON, so ASCII-only labels here).
    for label in ("Mis organizaciones", "Fichas bloqueadas", "Mis derivaciones"):
        assert label in html, label
    for label in ('"My organizations"', '"Locked listings"', '"My referrals"'):
        assert label not in html, label


def test_a_queue_item_and_its_decision_message_are_in_spanish(client, world, pending):
    item = ReviewItem.objects.open().get(page=pending, kind=ReviewItem.Kind.PENDING_EDIT)
    html = page(client, world.users.moderator, reverse("review_queue:item", args=[item.pk]))
    assert_spanish(
        html,
        spanish=("← Volver a la cola", "Por qué está aquí", "El cambio pendiente", "Aprobar"),
        english=("Back to the queue", "Why it is here", "The pending edit", ">Approve<"),
    )
    response = client.post(
        reverse("review_queue:act", args=[item.pk]), {"action": "approve"}, follow=True
    )
    assert response.status_code == 200
    assert "Aprobado: «Alpha pantry»." in response.content.decode()
    assert latest(pending).alert == "Cerrado el lunes"  # the approval really published it


def test_pending_changes_are_in_spanish(client, world, pending):
    html = page(client, world.users.moderator, "/admin/review/pending/")
    assert_spanish(
        html,
        spanish=("Cambios pendientes", "Enviado por", "Espera desde", "Alpha pantry"),
        english=("Pending changes", "Submitted by", "Waiting since"),
    )
    html = page(client, world.users.moderator, f"/admin/review/pending/{pending.pk}/")
    assert_spanish(
        html,
        spanish=(
            "Cambios desde la versión publicada",
            "en 1 versión que espera desde el",
            "Todos los cambios pendientes",
            "Por versión",
            "Su revisión",
            "Rechazar con un motivo",
        ),
        english=("All pending changes", "By revision", "Your review", "Reject with reason"),
    )


def test_the_due_list_and_my_reputation_are_in_spanish(client, world):
    member = prefers(world.users.member_a, "es")
    html = page(client, member, reverse("review_due"))
    assert_spanish(
        html,
        spanish=("Por verificar", "Fichas de sus organizaciones que toca verificar"),
        english=("Due for verification", "Listings of your organizations that are due"),
    )
    html = page(client, member, reverse("review_reputation"))
    assert_spanish(
        html,
        spanish=(
            "Mi reputación",
            "Puntos",
            "Permisos",
            "Movimientos",
            "Los puntos vienen de lo que pasa",
        ),
        english=("My reputation", "Privileges", "Events", "Points come from events"),
    )


def test_a_listings_history_is_in_spanish(client, world, pending):
    html = page(client, world.users.moderator, reverse("history_admin:timeline", args=[pending.pk]))
    assert_spanish(
        html,
        spanish=("Historial de la ficha", "Editar la ficha", "Cuándo", "Quién"),
        english=("Listing history", "Edit the listing", "Public history page", ">Who<"),
    )


def test_the_impact_dashboard_is_in_spanish(client, world):
    html = page(client, prefers(world.users.moderator, "es"), reverse("impact_dashboard:index"))
    assert_spanish(
        html,
        spanish=("Impacto", "Calidad de los datos", "Fichas activas", "Desglosar por"),
        english=("Data quality", "Active listings", "Break down by", "Download CSV"),
    )


def test_the_membership_screens_are_in_spanish(client, world):
    admin = prefers(world.users.admin_a, "es")
    html = page(client, admin, reverse("steward_accounts:mine"))
    assert_spanish(
        html,
        spanish=("Mis organizaciones", "Actúa en nombre de", "Mis membresías", "Pedir unirse"),
        english=("Acting for", "My memberships", "Ask to join an organization"),
    )
    moderator = prefers(world.users.moderator, "es")  # moderators manage every organization
    html = page(client, moderator, reverse("steward_accounts:members", args=[world.org_a.pk]))
    assert_spanish(
        html,
        spanish=("Miembros (", "Esperan una decisión (0)", "Dominios de correo"),
        english=("Waiting for a decision", "Email domains", "No current members"),
    )
    html = page(client, moderator, reverse("steward_accounts:requests"))
    assert_spanish(
        html,
        spanish=("Solicitudes de membresía", "Esperan una decisión"),
        english=("Membership requests", "Waiting for a decision"),
    )


def test_the_queue_stays_english_for_a_moderator_who_kept_english(client, world, pending):
    prefers(world.users.moderator, "en")
    html = page(client, world.users.moderator, reverse("review_queue:index"))
    assert '<html lang="en"' in html
    for english in ("Review queue", "As a moderator you have no daily limit.", "open item"):
        assert english in html, english
    assert "Cola de revisión" not in html
