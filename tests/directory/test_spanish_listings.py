"""Listings in Spanish (issue 15), through the paths people take: a professional
writes the Spanish in the editor (a real admin POST, a revision), a Spanish reader
GETs the listing, the search results and the history, the English changes and the
translation is marked out of date, and the review scan puts it in the queue."""

import re
from io import StringIO

from django.core.management import call_command

import pytest

from directory.models import ServicePage
from review.models import ReviewItem
from tests.review import editing
from tests.review.editing import latest, service_form

pytestmark = pytest.mark.django_db

world = editing.world  # the review tests' people and listings

SPANISH = {
    "title_es": "Despensa Alfa",
    "description_es": "Comida gratis cada semana.",
    "fees_description_es": "Gratis.",
    "required_documents_es": "Identificación con foto\r\nComprobante de domicilio",
}
ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


def edit(client, user, service, action="action-publish", **changes):
    """The editor's POST of `service` as it stands, with `changes`."""
    client.force_login(user)
    current = latest(service)
    for name in (
        "application_process",
        "fees_description",
        "required_documents",
        *(f"{f}_es" for f in ("title", "description", "eligibility_description")),
        *(f"{f}_es" for f in ("application_process", "fees_description", "required_documents")),
    ):
        changes.setdefault(name, getattr(current, name))
    data = service_form(current, **changes)
    if action:
        data[action] = "1"
    response = client.post(f"/admin/pages/{service.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return ServicePage.objects.get(pk=service.pk)


def listing_html(client, service, **headers):
    response = client.get(service.url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def scan():
    call_command("review_scan", stdout=StringIO())


def outdated_items(service):
    return ReviewItem.objects.open().filter(
        page_id=service.pk, kind=ReviewItem.Kind.TRANSLATION_OUTDATED
    )


@pytest.fixture
def service(world):
    service = world.service_a
    service.description = "Free food every week."
    service.fees_description = "Free."
    service.eligibility_description = "Anyone in need."
    service.required_documents = "Photo ID\nProof of address"
    service.save_revision().publish()
    return ServicePage.objects.get(pk=service.pk)


@pytest.fixture
def translated(client, world, service):
    return edit(client, world.users.member_a, service, **SPANISH)


def test_the_editor_has_a_spanish_tab(client, world, service):
    client.force_login(world.users.member_a)
    html = client.get(f"/admin/pages/{service.pk}/edit/").content.decode()
    assert 'name="title_es"' in html
    assert 'name="required_documents_es"' in html
    assert "Spanish" in html


def test_spanish_text_written_in_the_editor_is_a_revision(client, world, translated):
    revision = translated.latest_revision
    assert revision.content["title_es"] == "Despensa Alfa"
    assert revision.content["required_documents_es"] == (
        "Identificación con foto\nComprobante de domicilio"
    )
    assert translated.title_es == "Despensa Alfa"  # published
    assert revision.user == world.users.member_a


def test_a_spanish_reader_sees_the_spanish_and_the_english_where_there_is_none(client, translated):
    html = listing_html(client, translated, **ES)
    assert '<html lang="es"' in html
    assert re.search(r"<h1>\s*Despensa Alfa\s*</h1>", html)
    assert "Comida gratis cada semana." in html
    assert "<li>Identificación con foto</li>" in html
    assert "Free food every week." not in html
    # Eligibility has no Spanish: the English, marked as English, with the note.
    assert '<div class="prose" lang="en"><p>Anyone in need.</p></div>' in html
    assert html.count("Aún no traducido") == 1


def test_an_english_reader_sees_the_english(client, translated):
    html = listing_html(client, translated, HTTP_ACCEPT_LANGUAGE="en")
    assert "Free food every week." in html
    assert "Despensa Alfa" not in html
    assert "Not yet translated" not in html


def test_a_listing_with_no_spanish_shows_the_english_marked_with_a_note(client, service):
    html = listing_html(client, service, **ES)
    assert re.search(r'<h1 lang="en">\s*Alpha pantry\s*</h1>', html)
    assert '<div class="prose" lang="en"><p>Free food every week.</p></div>' in html
    assert '<ul lang="en"><li>Photo ID</li>' in html
    assert "Aún no traducido" in html


def test_search_results_show_the_spanish_name_and_find_spanish_words(client, translated):
    response = client.get("/search/", {"q": "gratis"}, **ES)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Despensa Alfa" in html
    assert "Beta shelter" not in html


def test_a_card_without_spanish_is_marked_english(client, world, translated):
    html = client.get("/search/", {"q": "shelter"}, **ES).content.decode()
    assert re.search(r'<a href="[^"]+" lang="en">Beta shelter</a>', html)
    assert "Aún no traducido" in html


def test_the_public_history_shows_the_spanish_change(client, translated):
    html = client.get(f"/history/{translated.pk}/").content.decode()
    assert "Name (Spanish) added: Despensa Alfa" in html
    assert "translation_sources" not in html


def test_an_english_change_marks_the_translation_out_of_date(client, world, translated):
    scan()
    assert not outdated_items(translated).exists()
    changed = edit(client, world.users.member_a, translated, description="Free food on Mondays.")
    html = listing_html(client, changed, **ES)
    # The current English, marked as English, with the note; the old Spanish only apart.
    assert '<div class="prose" lang="en"><p>Free food on Mondays.</p></div>' in html
    assert "La traducción está desactualizada" in html
    assert re.search(r"<details[^>]*>\s*<summary>[^<]+</summary>.*Comida gratis", html, re.S)
    # The fields whose English did not change keep their Spanish.
    assert re.search(r"<h1>\s*Despensa Alfa\s*</h1>", html)

    # The editor says so beside the field, with the English to translate.
    client.force_login(world.users.member_a)
    editor = client.get(f"/admin/pages/{changed.pk}/edit/").content.decode()
    assert "Out of date: the English changed since this was written." in editor
    assert "English now: “Free food on Mondays.”" in editor
    client.logout()

    scan()
    item = outdated_items(changed).get()
    assert "Description" in item.reason
    assert item.data == {"fields": {"es": ["description"]}}
    client.force_login(world.users.moderator)
    assert "Translation out of date" in client.get("/admin/review-queue/").content.decode()
    detail = client.get(f"/admin/review-queue/{item.pk}/").content.decode()
    assert "Description changed in English since translated" in detail


def test_updating_the_spanish_closes_the_item(client, world, translated):
    changed = edit(client, world.users.member_a, translated, description="Free food on Mondays.")
    scan()
    assert outdated_items(changed).exists()
    fixed = edit(client, world.users.member_a, changed, description_es="Comida gratis los lunes.")
    assert "Comida gratis los lunes." in listing_html(client, fixed, **ES)
    scan()
    assert not outdated_items(fixed).exists()


def test_confirming_the_spanish_closes_the_item(client, world, translated):
    changed = edit(client, world.users.member_a, translated, description="Free food, every week.")
    scan()
    assert outdated_items(changed).exists()
    confirmed = edit(client, world.users.member_a, changed, translations_checked="on")
    html = listing_html(client, confirmed, **ES)
    assert "Comida gratis cada semana." in html
    assert "desactualizada" not in html
    scan()
    assert not outdated_items(confirmed).exists()


def test_an_outsiders_spanish_waits_for_review(client, world, service):
    """An edit by someone outside the organization is a suggestion: its Spanish
    goes through the pending-changes workflow like any field."""
    edit(client, world.users.outsider, service, "action-submit", title_es="Nombre ajeno")
    live = ServicePage.objects.get(pk=service.pk)
    assert live.title_es == ""
    assert "Nombre ajeno" not in listing_html(client, live, **ES)
    client.force_login(world.users.moderator)
    review = client.get(f"/admin/review/pending/{service.pk}/").content.decode()
    assert "Nombre ajeno" in review


def test_the_plan_page_shows_the_spanish_name(client, translated, world):
    from tests.impact.conftest import BROWSER

    saved = client.post(
        "/plan/save/",
        {"service": translated.pk},
        HTTP_USER_AGENT=BROWSER,
        HTTP_ORIGIN="http://testserver",
    )
    assert saved.status_code == 303
    saved_other = client.post(
        "/plan/save/",
        {"service": world.service_b.pk},
        HTTP_USER_AGENT=BROWSER,
        HTTP_ORIGIN="http://testserver",
    )
    html = client.get(saved_other["Location"], **ES).content.decode()
    assert ">Despensa Alfa</a>" in html
    assert re.search(r'lang="en">Beta shelter</a>', html)
    assert "Aún no traducido" in html


# --- SMS: a Spanish conversation names the service in Spanish ---------------------

from tests.impact import test_sms  # noqa: E402

chicago = test_sms.chicago
sms_settings = test_sms.sms_settings  # autouse there, so here too
text = test_sms.text


def test_sms_in_spanish_names_the_service_in_spanish(client, chicago):
    pantry = chicago["open"]
    pantry.title_es = "Comestibles de la semana"
    pantry.save_revision().publish()
    reply = text(client, "comida 60601")
    assert "Comestibles de la semana" in reply
    assert "Comestibles de la semana" in text(client, "1")
    assert "Weekly groceries" in text(client, "food 60601", number="+13125550177")
