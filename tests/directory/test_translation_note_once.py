"""The listing page says once, at the top, which fields are not translated or
out of date; each field keeps only its lang="en" and the collapsed earlier
Spanish. Through the editor's POSTs and a Spanish reader's GET."""

import re

import pytest

from tests.directory.test_spanish_listings import ES, SPANISH, edit, listing_html
from tests.review import editing

pytestmark = pytest.mark.django_db

world = editing.world

NOTE = re.compile(r'<p class="translation-note small muted" role="note">(.*?)</p>', re.S)


@pytest.fixture
def service(world):
    from directory.models import ServicePage

    service = world.service_a
    service.description = "Free food every week."
    service.fees_description = "Free."
    service.eligibility_description = "Anyone in need."
    service.application_process = "Come in person."
    service.required_documents = "Photo ID\nProof of address"
    service.save_revision().publish()
    return ServicePage.objects.get(pk=service.pk)


@pytest.fixture
def translated(client, world, service):
    return edit(client, world.users.member_a, service, **SPANISH)


def notes(html):
    return [" ".join(n.split()) for n in NOTE.findall(html)]


def test_one_note_names_every_field_that_is_not_translated(client, translated):
    html = listing_html(client, translated, **ES)
    assert notes(html) == ["Aún no traducido: quién puede recibirlo y cómo solicitarlo."]
    # The fields themselves carry no note, only their language.
    assert html.count("Aún no traducido") == 1
    assert '<div class="prose" lang="en"><p>Anyone in need.</p></div>' in html
    assert '<div class="prose" lang="en"><p>Come in person.</p></div>' in html


def test_out_of_date_fields_are_named_once_and_keep_their_earlier_spanish(
    client, world, translated
):
    changed = edit(
        client,
        world.users.member_a,
        translated,
        description="Free food on Mondays.",
        fees_description="Free for residents.",
        required_documents="Photo ID",
    )
    html = listing_html(client, changed, **ES)
    assert notes(html) == [
        "Aún no traducido: quién puede recibirlo y cómo solicitarlo. La traducción está "
        "desactualizada (la descripción, el costo y qué llevar): se muestra el texto actual "
        "en inglés."
    ]
    assert html.count("desactualizada") == 1
    # Each out-of-date field: the current English, and its own earlier Spanish, collapsed.
    earlier = re.findall(
        r'<details class="translation-earlier"><summary>[^<]+</summary>'
        r'<div class="prose">(.*?)</div></details>',
        html,
        re.S,
    )
    assert earlier == [
        "Comida gratis cada semana.",
        "Identificación con foto<br>Comprobante de domicilio",
        "Gratis.",
    ]
    assert '<div class="prose" lang="en"><p>Free food on Mondays.</p></div>' in html
    assert re.search(r"<h1>\s*Despensa Alfa\s*</h1>", html)  # the name is still current


def test_a_listing_with_no_spanish_says_so_once(client, service):
    html = listing_html(client, service, **ES)
    assert notes(html) == ["Aún no traducido"]
    assert html.count("Aún no traducido") == 1


def test_an_english_reader_sees_no_note(client, translated):
    html = listing_html(client, translated, HTTP_ACCEPT_LANGUAGE="en")
    assert notes(html) == []
    assert "translation-earlier" not in html
