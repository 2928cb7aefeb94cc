"""Quick exit stays on every page that shows a confidential listing, inside a
landmark, so a screen reader's landmark list reaches it (issue 11)."""

import re

import pytest

from tests.factories import LocationFactory, OrganizationFactory, make_service

pytestmark = pytest.mark.django_db

LANDMARK = re.compile(
    r'<aside class="quick-exit-bar" aria-label="[^"]+">\s*<a class="quick-exit" [^>]*>', re.S
)


@pytest.fixture
def shelter():
    org = OrganizationFactory(title="Safe Haven")
    place = LocationFactory(organization=org, address_is_public=False)
    return make_service(organization=org, title="Safe house", location=place)


def public_pages(service):
    return [
        service.url,
        service.get_parent().url,
        "/search/?q=Safe",
        f"/search/?near={41.8847},{-87.6320}",
        f"/history/{service.pk}/",
    ]


def test_quick_exit_is_in_a_landmark_on_every_page_showing_a_confidential_listing(client, shelter):
    for url in public_pages(shelter):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert LANDMARK.search(html), url
        assert html.count('class="quick-exit"') == 1, url


def test_no_quick_exit_for_ordinary_listings(client):
    service = make_service(title="Food pantry")
    for url in (service.url, service.get_parent().url, "/search/?q=pantry"):
        assert 'class="quick-exit"' not in client.get(url).content.decode()
