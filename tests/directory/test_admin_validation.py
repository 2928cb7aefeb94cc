"""Bad values in the listing editor are refused field by field, and nothing is saved."""

import datetime as dt
from types import SimpleNamespace

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from directory.models import Location, ServicePage
from tests.factories import LocationFactory, UserFactory, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def replacing(existing, new_rows):
    """Formset rows that delete the existing children and add `new_rows`."""
    old = [{"id": child.pk, "DELETE": "1"} for child in existing]
    return inline_formset(old + list(new_rows), initial=len(old))


def service_form(service, *, phones=(), hours=(), locations=None, **fields):
    """The editor's POST data: `phones` and `hours` replace the service's own."""
    locations = locations if locations is not None else [service.service_at_locations.first()]
    data = {
        "title": service.title,
        "slug": service.slug,
        "status": "active",
        "description": service.description,
        "service_at_locations": inline_formset(
            [{"id": link.pk, "location": link.location_id} for link in locations],
            initial=len(locations),
        ),
        "phones": replacing(service.phones.all(), phones),
        "additional_urls": inline_formset([]),
        "hours": replacing(service.hours.all(), hours),
        **fields,
    }
    return nested_form_data(data)


def errors_of(response):
    assert response.status_code == 200, "the form should be shown again with errors"
    return response.context["form"]


def test_a_valid_edit_is_saved_as_a_new_revision(admin_client):
    service = make_service()
    before = service.revisions.count()
    phone = {"number": "(312) 555-0199", "type": "voice"}
    hour = {"weekday": 2, "opens_at": "09:00", "closes_at": "13:00"}

    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/",
        service_form(service, phones=[phone], hours=[hour], minimum_age=18, maximum_age=64),
    )

    assert response.status_code == 302
    draft = ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    assert service.revisions.count() == before + 1
    assert [p.number for p in draft.phones.all()] == ["(312) 555-0199"]
    assert [(h.weekday, h.opens_at) for h in draft.hours.all()] == [(2, dt.time(9))]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"website": "not a url"}, "website", "Enter a valid URL"),
        ({"email": "someone@"}, "email", "Enter a valid email address"),
        ({"minimum_age": 65, "maximum_age": 18}, "maximum_age", "must not be below"),
        ({"minimum_age": -1}, "minimum_age", "greater than or equal to 0"),
    ],
)
def test_bad_service_fields_are_refused_with_a_message_on_the_field(
    admin_client, fields, field, message
):
    service = make_service()
    before = service.revisions.count()

    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", service_form(service, **fields)
    )

    form = errors_of(response)
    assert message in " ".join(form.errors[field])
    assert service.revisions.count() == before


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ({"number": "no phone", "type": "voice"}, "is not a phone number"),
        ({"number": "555-01", "type": "voice"}, "wrong number of digits"),
    ],
)
def test_a_bad_phone_number_is_refused_and_nothing_is_saved(admin_client, phone, message):
    service = make_service()
    before = service.revisions.count()

    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", service_form(service, phones=[phone])
    )

    form = errors_of(response)
    assert message in str(form.formsets["phones"].forms[-1].errors["number"])
    assert service.revisions.count() == before


@pytest.mark.parametrize(
    ("hour", "field", "message"),
    [
        ({"weekday": 1, "opens_at": "09:00"}, "closes_at", "both the opening and the closing"),
        ({"weekday": 1, "opens_at": "25:00", "closes_at": "26:00"}, "opens_at", "valid time"),
        ({"opens_at": "09:00", "closes_at": "17:00"}, "valid_from", "Give a weekday"),
        (
            {"valid_from": "2026-12-26", "valid_to": "2026-12-24", "closed": "on"},
            "valid_to",
            "must not be before",
        ),
    ],
)
def test_bad_hours_are_refused_with_a_message_on_the_field(admin_client, hour, field, message):
    service = make_service()
    before = service.revisions.count()

    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", service_form(service, hours=[hour])
    )

    form = errors_of(response)
    assert message in str(form.formsets["hours"].forms[-1].errors[field])
    assert service.revisions.count() == before


def test_hours_at_a_location_the_service_is_not_given_at_are_refused(admin_client):
    service = make_service()
    elsewhere = LocationFactory(organization=service.get_parent().specific, name="Elsewhere")
    hour = {"weekday": 1, "opens_at": "09:00", "closes_at": "17:00", "location": elsewhere.pk}

    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", service_form(service, hours=[hour])
    )

    form = errors_of(response)
    assert "Choose one of the locations" in str(form.formsets["hours"].forms[-1].errors)


def test_overnight_hours_are_accepted(admin_client):
    service = make_service()
    hour = {"weekday": 5, "opens_at": "20:00", "closes_at": "06:00"}

    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", service_form(service, hours=[hour])
    )

    assert response.status_code == 302
    draft = ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    assert draft.hours.get().is_overnight


def test_a_location_with_a_bad_time_zone_or_coordinates_is_refused(admin_client):
    location = LocationFactory()
    data = nested_form_data(
        {
            "organization": location.organization_id,
            "name": location.name,
            "country": "US",
            "timezone": "Mars/Olympus_Mons",
            "latitude": "123",
            "longitude": "-87.6",
            "phones": inline_formset([]),
            "additional_urls": inline_formset([]),
            "hours": inline_formset([]),
        }
    )

    response = admin_client.post(f"/admin/snippets/directory/location/edit/{location.pk}/", data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "not an IANA time zone" in str(form.errors["timezone"])
    assert "between -90 and 90" in str(form.errors["latitude"])
    assert Location.objects.get(pk=location.pk).timezone == "America/Chicago"


def test_a_location_of_another_organization_is_refused(admin_client):
    service = make_service()
    own_link = service.service_at_locations.get()
    foreign = LocationFactory(name="Another organization's office")
    moved = SimpleNamespace(pk=own_link.pk, location_id=foreign.pk)

    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", service_form(service, locations=[moved])
    )

    form = errors_of(response)
    errors = str(form.formsets["service_at_locations"].forms[0].errors)
    assert "Choose one of this organization’s locations" in errors
