"""Other apps add parts to a listing through hooks; the directory only asks."""

from django.utils.html import format_html

from wagtail import hooks

import pytest

from directory.parts import listing_parts
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def badge(request, page, slot):
    return format_html('<p class="test-part">{} in {}</p>', page.title, slot)


def test_each_slot_of_a_service_page_shows_what_hooks_add(client):
    service = make_service(title="Evening meals")
    with hooks.register_temporarily("steward_listing_parts", badge):
        html = client.get(service.get_url()).content.decode()
    for slot in ("status", "actions", "aside", "footer"):
        assert f'<p class="test-part">Evening meals in {slot}</p>' in html


def test_an_organization_page_has_status_aside_and_footer_slots(client):
    service = make_service()
    organization = service.get_parent().specific
    with hooks.register_temporarily("steward_listing_parts", badge):
        html = client.get(organization.get_url()).content.decode()
    for slot in ("status", "aside", "footer"):
        assert f"{organization.title} in {slot}" in html


def test_card_parts_are_asked_once_per_list_of_results(client):
    services = [make_service(title=f"Pantry {n}") for n in range(3)]
    calls = []

    def parts(request, pages):
        calls.append(len(pages))
        return {page.pk: format_html("<em>fresh {}</em>", page.pk) for page in pages}

    with hooks.register_temporarily("steward_card_parts", parts):
        html = client.get("/search/?q=pantry").content.decode()
    assert calls == [3]
    for service in services:
        assert f"<em>fresh {service.pk}</em>" in html


def test_an_unknown_slot_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown listing slot"):
        listing_parts(None, make_service(), "sidebar")
