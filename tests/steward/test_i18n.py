"""Steward in Spanish: the language from Accept-Language or the switcher, every public
string translated, dates, times and numbers in the reader's language."""

import datetime as dt
import re
import zoneinfo

from django.conf import settings
from django.utils import timezone

import pytest

from review.trust.actions import verify_service
from tests.factories import OrganizationFactory, UserFactory, make_service
from tests.impact.conftest import BROWSER
from tests.roles import professional

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9,en;q=0.5"}
DAY = dt.timedelta(days=1)
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_languages_come_from_one_setting_and_include_spanish():
    assert settings.LANGUAGES == [("en", "English"), ("es", "Español")]
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES == settings.LANGUAGES
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")


def test_accept_language_spanish_gets_the_spanish_home_page(client):
    response = client.get("/", **ES)
    html = response.content.decode()
    assert html_lang(html) == "es"
    assert "Encuentre ayuda gratis o de bajo costo cerca de usted" in html
    assert "¿Qué necesita?" in html
    assert "Busque por necesidad" in html and "Comida" in html and "Vivienda" in html
    assert "Encuentre comida, vivienda, ayuda legal, salud y más cerca de usted." in html
    assert "Find free and low-cost help" not in html
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


def test_english_stays_english_with_html_lang_en(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert html_lang(html) == "en"
    assert "Find free and low-cost help near you" in html
    assert "{% translate" not in html and "msgid" not in html


def test_the_switcher_is_a_plain_form_that_sets_a_remembered_cookie(client):
    html = client.get("/search/?q=food").content.decode()
    form = re.search(r'<form class="language-switcher" action="([^"]+)" method="post">', html)
    assert form and form.group(1) == "/i18n/setlang/"
    assert 'name="next" value="/search/?q=food"' in html
    assert 'name="language" value="es"' in html and ">Español<" in html

    response = client.post("/i18n/setlang/", {"language": "es", "next": "/search/?q=food"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=food"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es" and int(cookie["max-age"]) >= 30 * 24 * 3600

    # Remembered: the next page is Spanish with an English browser, and offers English.
    html = client.get("/search/?q=food", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html_lang(html) == "es"
    assert "Buscar servicios" in html or "Resultados para" in html
    assert 'name="language" value="en"' in html and ">English<" in html

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert html_lang(client.get("/", **ES).content.decode()) == "en"


def test_an_unknown_language_in_the_switcher_changes_nothing(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_badge_is_a_spanish_sentence(client):
    service = make_service(title="Comedor")
    now = timezone.now()
    for _ in range(3):
        verify_service(
            service=service, user=professional(OrganizationFactory()), now=now - 12 * DAY
        )
    html = client.get(service.url, **ES).content.decode()
    assert "Verificado hace 12 días por 3 organizaciones" in html
    one = make_service(title="Despensa")
    verify_service(service=one, user=professional(OrganizationFactory()), now=now - DAY)
    assert "Verificado ayer por 1 organización" in client.get(one.url, **ES).content.decode()


def test_hours_and_open_state_in_spanish(client):
    tomorrow = timezone.now().astimezone(CHICAGO).date() + DAY
    service = make_service(hours=((tomorrow.isoweekday(), dt.time(10), dt.time(13, 30)),))
    html = client.get(service.url, **ES).content.decode()
    assert "Cerrado ahora" in html
    assert "Abre mañana a las 10 a. m." in html
    assert "10 a. m.–1:30 p. m." in html
    weekday = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"]
    assert weekday[tomorrow.isoweekday() - 1] in html
    assert "Horario" in html and "Opens" not in html


def test_a_day_later_in_the_week_is_named_in_spanish(client):
    later = timezone.now().astimezone(CHICAGO).date() + 3 * DAY
    service = make_service(hours=((later.isoweekday(), dt.time(9), dt.time(17)),))
    card_html = client.get("/search/?q=" + service.title.split()[0], **ES).content.decode()
    names = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
    assert f"Abre el {names[later.isoweekday() - 1]} a las 9 a. m." in card_html


def test_dates_are_localized(client):
    service = make_service(alert="Cerrado por reparaciones.", alert_expires=dt.date(2030, 3, 4))
    html = client.get(service.url, **ES).content.decode()
    assert "hasta el 4 de marzo de 2030" in html
    html = client.get(service.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "until 4 March 2030" in html


def test_search_page_counts_and_notices_in_spanish(client):
    make_service(title="Food pantry uno")
    make_service(title="Food pantry dos")
    html = client.get("/search/?q=pantry&category=nope", **ES).content.decode()
    assert "2 servicios" in html
    assert "No tenemos la categoría “nope”. Mostramos todas las categorías." in html
    html = client.get("/search/?q=zzzznothing&near=99999", **ES).content.decode()
    assert "No encontramos servicios." in html
    assert "No conocemos el código postal 99999. Revise los números." in html


def test_report_a_problem_errors_and_thanks_in_spanish(client):
    service = make_service()
    url = f"/listings/{service.pk}/report/"
    page = client.get(url, **ES)
    if page.status_code == 404:  # the report URL is named; follow the listing's link
        url = re.search(r'href="([^"]+)" rel="nofollow"', client.get(service.url).content.decode())
        url = url.group(1)
        page = client.get(url, **ES)
    html = page.content.decode()
    assert "Avisar de un problema" in html and "¿Qué está mal?" in html
    assert "El teléfono está mal" in html
    response = client.post(url, {"reason": "", "note": ""}, **ES)
    assert response.status_code == 400
    assert "Elija qué está mal en esta información." in response.content.decode()
    response = client.post(url, {"reason": "wrong_phone", "note": ""}, follow=True, **ES)
    html = response.content.decode()
    assert "Gracias" in html and "Enviamos su aviso" in html


def test_plan_page_and_messages_in_spanish(client):
    service = make_service(title="Comida caliente")
    response = client.post(
        "/plan/save/",
        {"service": service.pk},
        HTTP_USER_AGENT=BROWSER,
        HTTP_ORIGIN="http://testserver",
        follow=True,
        **ES,
    )
    html = response.content.decode()
    assert "Su plan" in html
    assert "Guardamos “Comida caliente” en su plan." in html
    assert "Servicios guardados (1)" in html
    assert "¿Recibió ayuda?" in html and "Sí, recibí ayuda" in html
    assert "Quitar del plan" in html
    listing = client.get(service.url, HTTP_USER_AGENT=BROWSER, **ES).content.decode()
    assert "En su plan." in listing


def test_professionals_can_choose_wagtails_spanish_admin(client):
    from wagtail.users.models import UserProfile

    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    html = client.get("/admin/account/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="es">' in html
    assert html_lang(html.replace(' dir="ltr"', "").split(" class=")[0] + '">') == "en"
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": user.first_name,
            "name_email-last_name": user.last_name,
            "name_email-email": user.email,
            "locale-preferred_language": "es",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert UserProfile.get_for_user(user).preferred_language == "es"
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es"' in html
    assert "Panel de control" in html or "Páginas" in html


def test_a_professional_with_spanish_admin_prints_a_spanish_referral_slip(client):
    from wagtail.users.models import UserProfile

    from tests.factories import membership
    from tests.roles import role_group

    service = make_service(title="Comedor")
    user = UserFactory(username="trabajadora")
    user.groups.add(role_group("Professionals"))
    membership(user, service.get_parent().specific)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "es"
    profile.save()
    client.force_login(user)
    follow_up = timezone.localdate() + 7 * DAY
    response = client.post(
        "/admin/referrals/new/",
        {"service": service.pk, "client_reference": "C-1", "note": "", "follow_up_on": follow_up},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "referral-slip" in html
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]
    months += ["septiembre", "octubre", "noviembre", "diciembre"]
    when = f"{follow_up.day} de {months[follow_up.month - 1]}"
    assert f"Después del {when}, díganos si recibió ayuda." in html
    assert "Escanee el código o abra el enlace." in html
    assert "Imprimir la hoja" in html
