"""An invalid child row (phone, hours) refuses the whole save: the valid fields beside it
are not saved either, in the page row, its children, or a revision."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from directory.models import Location, ServicePage
from tests.factories import LocationFactory, UserFactory, make_service
from tests.review.guards_support import service_form

pytestmark = pytest.mark.django_db

BAD_PHONE = {"number": "no phone", "type": "voice"}
BAD_HOURS = {"weekday": 1, "opens_at": "25:00", "closes_at": "26:00"}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def snapshot(service):
    service = ServicePage.objects.get(pk=service.pk)
    return (
        service.title,
        service.description,
        service.revisions.count(),
        sorted(service.phones.values_list("number", flat=True)),
        sorted(service.hours.values_list("weekday", "opens_at")),
        service.get_latest_revision_as_object().title,
    )


@pytest.mark.parametrize("action", [{}, {"action-publish": "publish"}])
@pytest.mark.parametrize(("formset", "bad_row"), [("phones", BAD_PHONE), ("hours", BAD_HOURS)])
@pytest.mark.parametrize("live", [True, False])
def test_a_bad_child_row_saves_nothing(admin_client, live, formset, bad_row, action):
    service = make_service(title="Food pantry", description="Groceries.")
    if not live:
        service.unpublish()
    before = snapshot(service)
    data = service_form(service, title="Renamed pantry", description="Changed.")
    rows = _rows(service, formset) + [bad_row]
    data.update(nested_form_data({formset: inline_formset(rows, initial=len(rows) - 1)}))

    response = admin_client.post(f"/admin/pages/{service.pk}/edit/", {**data, **action})

    assert response.status_code == 200  # the form again, with the message on the row
    assert response.context["form"].formsets[formset].forms[-1].errors
    assert snapshot(service) == before


def _rows(service, formset):
    if formset == "phones":
        return [{"id": p.pk, "number": p.number, "type": p.type} for p in service.phones.all()]
    return [
        {
            "id": h.pk,
            "weekday": h.weekday,
            "opens_at": h.opens_at.strftime("%H:%M"),
            "closes_at": h.closes_at.strftime("%H:%M"),
        }
        for h in service.hours.all()
    ]


def test_creating_a_service_with_a_bad_phone_creates_nothing(admin_client):
    organization = make_service().get_parent().specific
    count = ServicePage.objects.count()
    data = nested_form_data(
        {
            "title": "New clinic",
            "slug": "new-clinic",
            "status": "active",
            "service_at_locations": inline_formset([]),
            "phones": inline_formset([BAD_PHONE]),
            "additional_urls": inline_formset([]),
            "hours": inline_formset([]),
        }
    )

    response = admin_client.post(f"/admin/pages/add/directory/servicepage/{organization.pk}/", data)

    assert response.status_code == 200
    assert ServicePage.objects.count() == count


def test_a_location_with_a_bad_phone_keeps_its_valid_fields_unsaved_too(admin_client):
    location = LocationFactory(name="Main office")
    data = nested_form_data(
        {
            "organization": location.organization_id,
            "name": "Renamed office",
            "country": "US",
            "timezone": "America/Chicago",
            "phones": inline_formset([BAD_PHONE]),
            "additional_urls": inline_formset([]),
            "hours": inline_formset([]),
        }
    )

    response = admin_client.post(f"/admin/snippets/directory/location/edit/{location.pk}/", data)

    assert response.status_code == 200
    location = Location.objects.get(pk=location.pk)
    assert location.name == "Main office"
    assert not location.phones.exists()
    assert location.revisions.count() == 0
