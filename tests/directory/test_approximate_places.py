"""Coordinates that are not the building's are not shown as exact (issue 14):
a ZIP code's centre, or a point well outside its own ZIP code, reads "about N mi";
a P.O. box gets no directions."""

import re

import pytest

from directory.geo import zip_centroid
from tests.factories import LocationFactory, OrganizationFactory, make_service

pytestmark = pytest.mark.django_db

LOOP = zip_centroid("60601")


def distances(client, **params):
    html = client.get("/search/", params).content.decode()
    return re.findall(r'<span class="distance">([^<]+)</span>', html)


def test_a_place_at_its_zip_centre_says_about_one_mile_never_zero(client):
    org = OrganizationFactory()
    at_centre = LocationFactory(
        organization=org, latitude=LOOP.latitude, longitude=LOOP.longitude, postal_code="60601"
    )
    make_service(organization=org, title="Centroid pantry", location=at_centre)
    shown = distances(client, q="pantry", near="60601")
    assert shown == ["about 1 mi away"]


def test_a_place_far_outside_its_own_zip_is_approximate(client):
    org = OrganizationFactory()
    # Coordinates 1.2 km from the Loop's centre, but the ZIP code says Evanston
    # (60201, about 19 km north): the point cannot be trusted as the building.
    wrong = LocationFactory(
        organization=org,
        latitude=LOOP.latitude + 0.011,
        longitude=LOOP.longitude,
        postal_code="60201",
    )
    make_service(organization=org, title="Mislocated pantry", location=wrong)
    assert distances(client, q="pantry", near="60601") == ["about 1 mi away"]


def test_a_place_inside_its_zip_keeps_its_exact_distance(client):
    org = OrganizationFactory()
    right = LocationFactory(
        organization=org,
        latitude=LOOP.latitude + 0.011,
        longitude=LOOP.longitude,
        postal_code="60601",
    )
    make_service(organization=org, title="Loop pantry", location=right)
    assert distances(client, q="pantry", near="60601") == ["0.8 mi away"]


def test_spanish_readers_read_about_too(client):
    org = OrganizationFactory()
    at_centre = LocationFactory(
        organization=org, latitude=LOOP.latitude, longitude=LOOP.longitude, postal_code="60601"
    )
    make_service(organization=org, title="Centroid pantry", location=at_centre)
    html = client.get(
        "/search/", {"q": "pantry", "near": "60601"}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert re.findall(r'<span class="distance">([^<]+)</span>', html) == [
        "a aproximadamente 1 milla"
    ]


@pytest.mark.parametrize("street", ["P.O. Box 4410", "PO Box 12", "p o box 9", "Post Office Box 1"])
def test_a_po_box_gets_no_directions(client, street):
    org = OrganizationFactory()
    box = LocationFactory(organization=org, address_1=street, postal_code="60601")
    service = make_service(organization=org, title="Mail-only help", location=box)
    html = client.get(service.url).content.decode()
    assert street in html
    assert 'data-contact="directions"' not in html


def test_a_street_address_gets_directions(client):
    org = OrganizationFactory()
    place = LocationFactory(organization=org, address_1="100 W Randolph St", postal_code="60601")
    service = make_service(organization=org, title="Walk-in help", location=place)
    html = client.get(service.url).content.decode()
    assert 'data-contact="directions"' in html
