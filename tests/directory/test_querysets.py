import datetime as dt

import pytest

from directory.geo import Point, zip_centroid
from directory.models import ServicePage
from directory.models.pages import ServiceStatus
from tests.factories import LocationFactory, OrganizationFactory, category, language, make_service

pytestmark = pytest.mark.django_db

CHICAGO = Point(41.8847, -87.6320)


def titles(queryset):
    return sorted(s.title for s in queryset)


def test_listed_leaves_out_drafts_and_defunct_services():
    make_service(title="Pantry")
    make_service(title="Gone", status=ServiceStatus.DEFUNCT)
    draft = make_service(title="Draft")
    draft.unpublish()
    assert titles(ServicePage.objects.listed()) == ["Pantry"]


def test_in_category_includes_services_filed_under_sub_categories():
    make_service(title="Pantry", categories=[category("102-04")])
    make_service(title="Meals", categories=[category("102")])
    make_service(title="Shelter", categories=[category("103-01")])
    food = category("102")
    assert titles(ServicePage.objects.listed().in_category(food)) == ["Meals", "Pantry"]
    assert titles(ServicePage.objects.listed().in_category(category("102-04"))) == ["Pantry"]


def test_speaking_filters_by_language_object_or_code():
    spanish = language("es", "Spanish")
    make_service(title="Clinica", languages=[spanish])
    make_service(title="Clinic")
    assert titles(ServicePage.objects.listed().speaking(spanish)) == ["Clinica"]
    assert titles(ServicePage.objects.listed().speaking("es")) == ["Clinica"]


def test_near_keeps_services_within_the_radius_and_sorts_by_distance():
    org = OrganizationFactory()
    loop = LocationFactory(organization=org, latitude=41.8847, longitude=-87.6320)
    evanston = LocationFactory(organization=org, latitude=42.0451, longitude=-87.6877)
    milwaukee = LocationFactory(organization=org, latitude=43.0389, longitude=-87.9065)
    make_service(organization=org, title="Far", location=milwaukee)
    make_service(organization=org, title="Mid", location=evanston)
    make_service(organization=org, title="Near", location=loop)

    found = list(ServicePage.objects.listed().near(CHICAGO, 50).by_distance())
    assert [s.title for s in found] == ["Near", "Mid"]
    assert found[0].distance_km2 < 1
    assert 17**2 < found[1].distance_km2 < 19**2  # Evanston is ~18 km north

    wide = ServicePage.objects.listed().near(CHICAGO, 200).by_distance()
    assert [s.title for s in wide] == ["Near", "Mid", "Far"]


def test_near_uses_the_nearest_of_a_services_locations_and_lists_it_once():
    from tests.factories import add_location

    org = OrganizationFactory()
    far = LocationFactory(organization=org, latitude=42.0451, longitude=-87.6877)
    near = LocationFactory(organization=org, latitude=41.8847, longitude=-87.6320)
    service = make_service(organization=org, title="Two places", location=far)
    add_location(service, near)
    found = list(ServicePage.objects.listed().near(CHICAGO, 50).by_distance())
    assert [s.title for s in found] == ["Two places"]
    assert found[0].distance_km2 < 1


def test_near_a_zip_code_centroid():
    point = zip_centroid("60601")
    make_service(title="Downtown")
    assert titles(ServicePage.objects.listed().near(point)) == ["Downtown"]


def test_filters_chain():
    spanish = language("es", "Spanish")
    make_service(title="Both", categories=[category("106")], languages=[spanish])
    make_service(title="Health only", categories=[category("106")])
    qs = ServicePage.objects.listed().in_category(category("106")).speaking(spanish)
    assert titles(qs.near(CHICAGO, 10)) == ["Both"]
    monday_noon = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC) + dt.timedelta(hours=6)
    assert titles(qs.open_now(monday_noon)) == ["Both"]
