"""A confidential place (a domestic-violence shelter) cannot be found through search:
no distance is shown for it, and results are filtered and ordered from a coarse
point, so no set of `near=` points can triangulate the building (issue 11)."""

import math
import re

from django.conf import settings
from django.test import override_settings

import pytest

from directory.geo import CONFIDENTIAL_GRID_DEGREES, coarse_coordinate
from directory.models import Location
from tests.factories import LocationFactory, OrganizationFactory, make_service

pytestmark = pytest.mark.django_db

# The shelter's building, and another point inside the same grid cell.
SHELTER = (41.8812, -87.6410)
SAME_CELL = (41.8761, -87.6488)


def grid_points(centre, *, n=50, radius_km=5.0):
    """`n` points on rings around `centre`, within `radius_km`."""
    lat0, lng0 = centre
    points = []
    for i in range(n):
        r = radius_km * (0.1 + 0.9 * (i % 10) / 9)
        angle = 2 * math.pi * i / n + i
        dlat = r * math.cos(angle) / 111.2
        dlng = r * math.sin(angle) / (111.2 * math.cos(math.radians(lat0)))
        points.append(f"{lat0 + dlat:.5f},{lng0 + dlng:.5f}")
    return points


def cards(html):
    return re.findall(r'<article class="card result">.*?</article>', html, re.S)


def result_titles(client, near):
    response = client.get("/search/", {"near": near})
    assert response.status_code == 200
    html = response.content.decode()
    found = []
    for card in cards(html):
        title = re.search(r'class="card-title"><a [^>]*>([^<]+)</a>', card).group(1)
        if title == "Safe house":
            assert "mi away" not in card
            assert "distance" not in card
        found.append(title)
    return found, html


@pytest.fixture
def area():
    org = OrganizationFactory(title="Safe Haven")
    shelter = LocationFactory(
        organization=org,
        name="Shelter",
        address_1="1 Hidden Lane",
        latitude=SHELTER[0],
        longitude=SHELTER[1],
        address_is_public=False,
    )
    make_service(organization=org, title="Safe house", location=shelter)
    # Public services around it, so the ordering says something.
    for n, (dlat, dlng) in enumerate(
        [(0.01, 0.0), (-0.012, 0.015), (0.02, -0.02), (-0.03, -0.01), (0.0, 0.035)]
    ):
        place = LocationFactory(latitude=SHELTER[0] + dlat, longitude=SHELTER[1] + dlng)
        make_service(title=f"Pantry {n}", location=place)
    return shelter


def test_the_coarse_point_is_the_centre_of_the_grid_cell():
    assert coarse_coordinate(SHELTER[0]) == coarse_coordinate(SAME_CELL[0])
    assert coarse_coordinate(SHELTER[1]) == coarse_coordinate(SAME_CELL[1])
    assert abs(coarse_coordinate(41.8812) - 41.8812) <= CONFIDENTIAL_GRID_DEGREES / 2
    assert coarse_coordinate(41.8812) != 41.8812


@pytest.mark.parametrize("radius_km", [80, 2.5])
def test_search_gives_no_distance_and_cannot_triangulate_a_confidential_place(
    client, area, radius_km
):
    points = grid_points(SHELTER)
    with override_settings(STEWARD={**settings.STEWARD, "NEAR_RADIUS_KM": radius_km}):
        before = {}
        for near in points:
            found, html = result_titles(client, near)
            assert "1 Hidden Lane" not in html
            before[near] = found
        # Move the building within its cell: no answer may change.
        Location.objects.filter(pk=area.pk).update(latitude=SAME_CELL[0], longitude=SAME_CELL[1])
        after = {near: result_titles(client, near)[0] for near in points}
    assert after == before
    assert any("Safe house" in found for found in before.values())
    if radius_km < 10:
        # The radius filter is at work: from some points the shelter is out of reach.
        assert any("Safe house" not in found for found in before.values())
    # Public places still show their distance.
    assert re.search(r"\d+\.\d mi away", result_titles(client, points[0])[1])


def test_a_service_at_a_confidential_place_has_no_distance_even_at_its_door(client, area):
    found, html = result_titles(client, f"{SHELTER[0]},{SHELTER[1]}")
    assert "Safe house" in found
    shelter_card = next(c for c in cards(html) if "Safe house" in c)
    assert "mi away" not in shelter_card
