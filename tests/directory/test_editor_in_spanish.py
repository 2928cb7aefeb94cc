"""A professional who chose Spanish in Wagtail (Account → Preferences) sees
Steward's own editor in Spanish: field labels, help texts, panel headings and
tabs, and Steward's admin messages. One who did not sees English."""

from wagtail.users.models import UserProfile

import pytest

from directory.models import ServicePage
from tests.review import editing

pytestmark = pytest.mark.django_db
world = editing.world


def prefers(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def editor(client, user, service):
    client.force_login(user)
    response = client.get(f"/admin/pages/{service.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_listing_editor_is_in_spanish_for_a_spanish_speaking_professional(client, world):
    prefers(world.users.member_a, "es")
    html = editor(client, world.users.member_a, world.service_a)
    assert '<html lang="es"' in html
    for spanish in (
        "Otro nombre",  # a field label
        "Quién puede recibirlo",
        "Edad mínima",
        "Un documento por línea.",  # a help text
        "Un aviso corto que se muestra arriba",
        "Requisitos",  # a panel heading
        "Cómo recibir el servicio",
        "Dónde y cuándo",  # a tab
        "Ubicaciones",
        "Nombre (español)",  # the Spanish tab's own labels
        "Activo",  # a choice
    ):
        assert spanish in html, spanish
    for english in ("Alternate name", "Who can get this", "One document per line.", "Eligibility"):
        assert english not in html, english


def test_the_editor_stays_english_for_everyone_else(client, world):
    prefers(world.users.member_a, "en")
    html = editor(client, world.users.member_a, world.service_a)
    for english in ("Alternate name", "Who can get this", "One document per line.", "Eligibility"):
        assert english in html, english
    assert "Otro nombre" not in html


def test_the_location_editor_is_in_spanish(client, world):
    prefers(world.users.member_a, "es")
    client.force_login(world.users.member_a)
    location = world.service_a.service_at_locations.first().location
    response = client.get(f"/admin/snippets/directory/location/edit/{location.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for spanish in ("Mostrar la dirección al público", "Código postal", "Teléfonos en este lugar"):
        assert spanish in html, spanish


def test_a_validation_error_in_the_editor_is_in_spanish(client, world):
    from tests.review.editing import latest, service_form

    prefers(world.users.member_a, "es")
    client.force_login(world.users.member_a)
    data = service_form(latest(world.service_a), minimum_age=30, maximum_age=18)
    data["action-publish"] = "1"
    response = client.post(f"/admin/pages/{world.service_a.pk}/edit/", data)
    html = response.content.decode()
    assert "La edad máxima no puede ser menor que la edad mínima." in html
    assert ServicePage.objects.get(pk=world.service_a.pk).maximum_age != 18  # nothing saved


def test_steward_admin_messages_are_in_spanish(client, world):
    prefers(world.users.member_a, "es")
    client.force_login(world.users.member_a)
    service = world.service_a
    response = client.post(f"/admin/pages/{service.pk}/delete/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"«{service.title}» se quitó del directorio público" in html


def test_a_suggesters_notice_and_button_are_in_spanish(client, world):
    prefers(world.users.outsider, "es")
    html = editor(client, world.users.outsider, world.service_a)
    organization = world.service_a.get_parent().title
    assert f"Un moderador o un miembro de {organization} revisará su cambio" in html
    assert "Enviar a revisión" in html
    assert "Your change will be reviewed" not in html


def test_the_category_tree_shows_spanish_names_in_a_spanish_editor(client, world):
    from directory.models import TaxonomyTerm

    term = TaxonomyTerm.objects.exclude(name_es="").order_by("tree_path").first()
    assert term is not None and term.name_es != term.name
    prefers(world.users.member_a, "es")
    html = editor(client, world.users.member_a, world.service_a)
    assert term.name_es in html
    prefers(world.users.member_a, "en")
    assert term.name in editor(client, world.users.member_a, world.service_a)
