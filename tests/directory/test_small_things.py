"""Small things people notice (issue 11): icons that draw on every phone, a ZIP
placeholder from the deployment's own area, a favicon."""

import re

from django.conf import settings
from django.test import override_settings

import pytest

from directory.icons import PATHS, icon
from tests.factories import LocationFactory, make_service
from tests.impact.conftest import BROWSER

pytestmark = pytest.mark.django_db

# Symbols a cheap phone's fonts may lack (they draw as an empty box); ordinary
# punctuation (“ ” ’ – — … ·) is text, not an icon.
ICON_SYMBOLS = re.compile(
    r"[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff\uff00-\uffef\U0001f000-\U0001faff]"
)


def test_every_icon_is_inline_svg_hidden_from_screen_readers():
    for name in PATHS:
        svg = str(icon(name))
        assert svg.startswith("<svg ") and 'aria-hidden="true"' in svg
    with pytest.raises(KeyError):
        icon("no-such-icon")


def test_public_pages_draw_icons_as_svg_never_as_font_symbols(client):
    service = make_service(title="Food pantry")
    for n in range(25):  # enough for a second page of results
        make_service(title=f"Pantry {n}")
    pages = [
        "/",
        service.url,
        service.get_parent().url,
        "/search/?q=pantry",
        f"/history/{service.pk}/",
    ]
    for url in pages:
        html = client.get(url, HTTP_USER_AGENT=BROWSER).content.decode()
        assert ICON_SYMBOLS.findall(html) == [], url
    page = client.get(service.url, HTTP_USER_AGENT=BROWSER).content.decode()
    assert re.search(r"Save to my plan", page)
    assert re.search(r'<svg class="icon icon-plus"[^>]*>.*?</svg> Save to my plan', page)
    assert re.search(r'<svg class="icon icon-phone"', page)


def test_the_zip_placeholder_is_the_deployments_own(client):
    LocationFactory(postal_code="33101")
    LocationFactory(postal_code="33101")
    LocationFactory(postal_code="33130")
    LocationFactory(postal_code="99950", address_is_public=False)
    LocationFactory(postal_code="99950", address_is_public=False)
    LocationFactory(postal_code="99950", address_is_public=False)
    html = client.get("/").content.decode()
    assert 'placeholder="e.g. 33101"' in html
    assert "60601" not in html and "99950" not in html
    with override_settings(STEWARD={**settings.STEWARD, "DEFAULT_ZIP": "97201"}):
        html = client.get("/search/").content.decode()
        assert 'placeholder="e.g. 97201"' in html
        message = client.get("/search/", {"near": "nowhere"}).content.decode()
        assert "such as 97201" in message


def test_with_no_places_yet_the_placeholder_names_no_city(client):
    html = client.get("/").content.decode()
    assert 'placeholder="5-digit ZIP code"' in html
    assert "60601" not in html


def test_a_favicon(client):
    html = client.get("/").content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert link and link.group(1).endswith("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == link.group(1)
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")
