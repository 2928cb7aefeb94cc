"""At 360 px, in Spanish and in English: a listing's one translation note, and
Steward's editor for a professional who chose Spanish in Wagtail."""

import datetime as dt

from wagtail.users.models import UserProfile

import pytest

from directory.models import ServicePage
from tests.e2e.conftest import close_context
from tests.e2e.test_spanish import SCREENSHOTS, no_sideways_scroll
from tests.factories import LocationFactory, OrganizationFactory, category, make_service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def phone(browser, locale):
    return browser.new_context(
        viewport={"width": 360, "height": 780},
        device_scale_factor=2,
        is_mobile=True,
        locale=locale,
    )


@pytest.fixture
def listing(live_server, site):
    org = OrganizationFactory(title="Centro Comunitario La Esperanza")
    location = LocationFactory(
        organization=org,
        name="Oficina de Pilsen",
        address_1="1850 S Blue Island Ave",
        postal_code="60608",
        latitude=41.8569,
        longitude=-87.6593,
    )
    service = make_service(
        organization=org,
        title="Weekly pantry",
        description="Fresh, free food every week. No ID needed.",
        eligibility_description="Anyone in need.",
        application_process="Come in during opening hours.",
        fees_description="Free.",
        title_es="Despensa semanal",
        description_es="Comida fresca y gratis cada semana. No necesita identificación.",
        fees_description_es="Gratis.",
        location=location,
        phones=["(773) 247-3663"],
        hours=[(day, dt.time(9), dt.time(17)) for day in range(1, 8)],
        categories=[category("102")],
    )
    # The organization changes its English; the Spanish of those two fields is now
    # out of date.
    page = ServicePage.objects.get(pk=service.pk)
    page.description = "Fresh food every Monday. Bring a bag."
    page.fees_description = "Free for residents of Pilsen."
    page.save_revision().publish()
    return ServicePage.objects.get(pk=service.pk)


def test_the_translation_note_is_said_once_at_360_px(
    live_server, listing, browser, assert_accessible
):
    context = phone(browser, "es-ES")
    page = context.new_page()
    page.goto(live_server.url + listing.url)
    note = page.locator(".translation-note")
    assert note.count() == 1
    assert note.inner_text() == (
        "Aún no traducido: quién puede recibirlo y cómo solicitarlo. La traducción está "
        "desactualizada (la descripción y el costo): se muestra el texto actual en inglés."
    )
    main = page.locator("main").inner_text()
    assert "Fresh food every Monday." in main and "Comida fresca" not in main
    earlier = page.locator("details.translation-earlier")
    assert earlier.count() == 2
    earlier.first.locator("summary").click()
    assert "Comida fresca y gratis" in earlier.first.inner_text()
    assert_accessible(page, "listing with a translation note (es)")
    no_sideways_scroll(page, "listing with a translation note (es)")
    page.screenshot(path=SCREENSHOTS / "listing-translation-note-es-360.png", full_page=True)
    context.close()

    context = phone(browser, "en-US")
    page = context.new_page()
    page.goto(live_server.url + listing.url)
    assert page.locator(".translation-note").count() == 0
    assert page.locator("details.translation-earlier").count() == 0
    page.screenshot(path=SCREENSHOTS / "listing-translation-note-en-360.png", full_page=True)
    context.close()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_editor_follows_the_professionals_admin_language_at_360_px(
    live_server, listing, browser, language
):
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory, membership

    user = UserFactory(username="trabajadora", first_name="Ana")
    group, _ = Group.objects.get_or_create(name="Professionals")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    membership(user, listing.get_parent().specific)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()

    base = live_server.url
    # The browser asks for the other language: the Wagtail preference wins.
    context = phone(browser, "en-US" if language == "es" else "es-ES")
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "trabajadora")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/pages/{listing.pk}/edit/")
    assert page.get_attribute("html", "lang") == language
    words = {
        "es": ("Otro nombre", "Requisitos", "Quién puede recibirlo", "Dónde y cuándo"),
        "en": ("Alternate name", "Eligibility", "Who can get this", "Where and when"),
    }[language]
    text = page.locator("main").inner_text()
    for word in words:
        assert word in text, word
    page.locator("[name=alternate_name]").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"editor-labels-{language}-360.png")
    # The eligibility panel: its heading, labels and help texts (scrolled in the
    # page only, never sideways to Wagtail's minimap).
    page.locator("[name=eligibility_description]").scroll_into_view_if_needed()
    page.evaluate(
        "for (const e of document.querySelectorAll('*')) if (e.scrollLeft) e.scrollLeft = 0;"
        "window.scrollTo(0, window.scrollY)"
    )
    page.screenshot(path=SCREENSHOTS / f"editor-labels-{language}-360-eligibility.png")
    close_context(context)
