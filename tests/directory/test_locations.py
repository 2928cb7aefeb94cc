import pytest

from directory.models import Location
from tests.factories import LocationFactory, UserFactory, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_a_location_a_service_uses_is_never_deleted_even_by_a_superuser(superuser_client):
    service = make_service()
    location = service.service_at_locations.get().location

    response = superuser_client.post(f"/admin/snippets/directory/location/delete/{location.pk}/")

    assert response.status_code in (302, 403)
    assert Location.objects.filter(pk=location.pk).exists()


def test_an_unused_location_can_be_deleted_by_a_superuser(superuser_client):
    location = LocationFactory()

    response = superuser_client.post(f"/admin/snippets/directory/location/delete/{location.pk}/")

    assert response.status_code == 302
    assert not Location.objects.filter(pk=location.pk).exists()


def test_editing_a_location_in_the_admin_saves_a_revision(superuser_client):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    location = LocationFactory()
    data = nested_form_data(
        {
            "organization": location.organization_id,
            "name": "Renamed office",
            "address_1": "1 New St",
            "city": "Chicago",
            "country": "US",
            "timezone": "America/Chicago",
            "address_is_public": "on",
            "phones": inline_formset([{"number": "(312) 555-0111", "type": "voice"}]),
            "hours": inline_formset([{"weekday": 3, "opens_at": "10:00", "closes_at": "14:00"}]),
        }
    )

    # Locations have drafts: a plain save keeps the live row; publishing changes it.
    url = f"/admin/snippets/directory/location/edit/{location.pk}/"
    assert superuser_client.post(url, data).status_code == 302
    location.refresh_from_db()
    assert location.name != "Renamed office"
    response = superuser_client.post(url, {**data, "action-publish": "1"})

    assert response.status_code == 302
    location.refresh_from_db()
    assert location.name == "Renamed office"
    assert location.revisions.count() == 2
    assert location.latest_revision.as_object().phones.get().number == "(312) 555-0111"


def test_a_confidential_location_has_no_address_lines_and_no_directions():
    location = LocationFactory(address_is_public=False, address_1="77 Hidden Way")

    assert location.address_lines() == []
    assert location.directions_url() == ""
    assert "77 Hidden Way" not in str(location)
