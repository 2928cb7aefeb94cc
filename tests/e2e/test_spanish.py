"""The whole public site in Spanish on a 360 px phone, with axe: the switcher,
search, a listing, saving a plan and reporting a problem."""

import datetime as dt
from pathlib import Path

import pytest

from review.models import Report
from tests.e2e.conftest import close_context
from tests.factories import LocationFactory, OrganizationFactory, category, make_service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)


@pytest.fixture
def english_phone(browser):
    """A 360 px phone whose browser asks for English: the reader switches."""
    context = browser.new_context(
        viewport={"width": 360, "height": 780},
        device_scale_factor=2,
        is_mobile=True,
        user_agent=PHONE_UA,
        locale="en-US",
    )
    page = context.new_page()
    yield page
    context.close()


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
    every_day = [(day, dt.time(9), dt.time(17)) for day in range(1, 8)]
    # With its Spanish, as a professional writes it; who can get it is not
    # translated yet.
    return make_service(
        organization=org,
        title="Weekly pantry",
        description="Fresh, free food every week. No ID needed.",
        eligibility_description="Anyone in need.",
        fees_description="Free.",
        title_es="Despensa semanal",
        description_es="Comida fresca y gratis cada semana. No necesita identificación.",
        fees_description_es="Gratis.",
        location=location,
        phones=["(773) 247-3663"],
        hours=every_day,
        categories=[category("102")],
    )


def no_sideways_scroll(page, name):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} scrolls sideways at 360 px ({width} px wide)"


def test_the_site_in_spanish_at_360_px(live_server, listing, english_phone, assert_accessible):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = english_phone
    page.goto(live_server.url + "/")
    assert page.get_attribute("html", "lang") == "en"
    # The switcher is a plain form button; the choice is remembered by a cookie.
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "es"
    assert "Encuentre ayuda gratis o de bajo costo cerca de usted" in page.content()
    assert_accessible(page, "home (es)")
    no_sideways_scroll(page, "home (es)")
    page.screenshot(path=SCREENSHOTS / "home-es-360.png", full_page=True)

    # Search.
    page.get_by_label("¿Qué necesita?").fill("despensa")
    page.get_by_role("button", name="Buscar", exact=True).click()
    page.wait_for_url("**/search/**")
    assert page.get_attribute("html", "lang") == "es"
    assert "1 servicio" in page.locator(".result-count").inner_text()
    assert_accessible(page, "search (es)")
    no_sideways_scroll(page, "search (es)")

    # A listing.
    page.get_by_role("link", name="Despensa semanal").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Dónde y cuándo" in text and "Horario" in text
    assert "Abierto ahora" in text or "Cerrado ahora" in text
    assert "9 a. m.–5 p. m." in text
    assert "Aún no verificado" in text
    # The listing's own Spanish, and the English where there is none, marked.
    assert page.locator("h1").inner_text() == "Despensa semanal"
    assert "Comida fresca y gratis cada semana." in text
    assert "Fresh, free food" not in text
    untranslated = page.locator('[lang="en"]', has_text="Anyone in need.")
    assert untranslated.count() == 1
    assert "Aún no traducido" in text
    assert_accessible(page, "listing (es)")
    no_sideways_scroll(page, "listing (es)")
    page.screenshot(path=SCREENSHOTS / "listing-es-360.png", full_page=True)
    listing_url = page.url

    # Saving a plan.
    page.get_by_role("button", name="Guardar en mi plan").click()
    page.wait_for_url("**/plan/**")
    assert "Guarde este enlace para volver a su plan" in page.content()
    assert "Guardamos “Despensa semanal” en su plan." in page.content()
    assert_accessible(page, "plan (es)")
    no_sideways_scroll(page, "plan (es)")

    # Reporting a problem.
    page.goto(listing_url)
    page.get_by_role(
        "link", name="¿Algo está mal? Avise de un problema con esta información"
    ).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Avisar de un problema"
    page.get_by_role("button", name="Enviar aviso").click()  # nothing chosen: a clear error
    page.wait_for_load_state()
    assert "Elija qué está mal en esta información." in page.content()
    assert_accessible(page, "report form with an error (es)")
    page.get_by_label("El teléfono está mal").check()
    page.get_by_role("button", name="Enviar aviso").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Gracias"
    assert_accessible(page, "report thanks (es)")
    no_sideways_scroll(page, "report thanks (es)")
    assert Report.objects.get().reason == "wrong_phone"


def test_a_professional_writes_the_spanish_in_the_editor_at_360_px(live_server, site, browser):
    """The editor's Spanish tab on a phone: the professional writes who can get the
    service in Spanish and publishes; a Spanish reader then sees it."""
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory, membership

    org = OrganizationFactory(title="Centro Comunitario La Esperanza")
    service = make_service(
        organization=org,
        title="Weekly pantry",
        description="Fresh, free food every week.",
        eligibility_description="Anyone in need.",
        title_es="Despensa semanal",
    )
    user = UserFactory(username="trabajadora", first_name="Ana")
    group, _ = Group.objects.get_or_create(name="Professionals")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    membership(user, org)
    base = live_server.url

    context = browser.new_context(
        viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "trabajadora")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/pages/{service.pk}/edit/")
    page.get_by_role("tab", name="Spanish").click()
    field = page.locator("textarea[name='eligibility_description_es']")
    field.fill("Cualquier persona que lo necesite.")
    page.locator("textarea[name='description_es']").fill("Comida fresca y gratis cada semana.")
    page.set_viewport_size({"width": 360, "height": 1500})
    page.get_by_role("tab", name="Spanish").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('[role=tablist]').scrollIntoView()")
    page.screenshot(path=SCREENSHOTS / "editor-spanish-tab-360.png")
    with page.expect_navigation():
        page.locator("footer button[name='action-publish']").click()
    assert "published" in page.content()
    close_context(context)

    reader = browser.new_context(viewport={"width": 360, "height": 780}, locale="es-ES")
    public = reader.new_page()
    public.goto(f"{base}{service.url}")
    text = public.locator("main").inner_text()
    assert "Cualquier persona que lo necesite." in text
    assert "Anyone in need." not in text
    assert public.locator("h1").inner_text() == "Despensa semanal"
    reader.close()
