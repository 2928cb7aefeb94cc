"""Public history reads like what happened (issue 11), through real admin POSTs:
no phantom changes from line endings, one event per approval or rejection, no
internal fields, and moderators' acts credited to "A moderator"."""

import re

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from directory.models import ServicePage
from tests.review import editing
from tests.review.editing import latest, service_form

pytestmark = pytest.mark.django_db

world = editing.world  # the review tests' people and listings

DOCUMENTS = "Photo ID\nProof of address"


def edit(client, user, service, action="action-submit", **changes):
    """The editor's POST, with the textarea's lines as a browser sends them (\\r\\n)."""
    client.force_login(user)
    current = latest(service)
    changes.setdefault("required_documents", current.required_documents.replace("\n", "\r\n"))
    data = service_form(current, **changes)
    if action:
        data[action] = "1"
    response = client.post(f"/admin/pages/{service.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def review_url(page):
    return f"/admin/review/pending/{page.pk}/"


def public_events(client, service):
    """The public History page's HTML."""
    client.logout()
    response = client.get(f"/history/{service.pk}/")
    assert response.status_code == 200
    return None, response.content.decode()


@pytest.fixture
def service(world):
    service = world.service_a
    service.required_documents = DOCUMENTS
    service.save_revision().publish()
    return ServicePage.objects.get(pk=service.pk)


def test_textarea_line_endings_are_stored_plain_and_make_no_phantom_change(client, world, service):
    edit(client, world.users.member_a, service, "action-publish", alert="Bring a bag")
    service = ServicePage.objects.get(pk=service.pk)
    assert service.required_documents == DOCUMENTS
    assert "\r" not in latest(service).required_documents
    _, html = public_events(client, service)
    assert "Alert added: Bring a bag" in html
    # Only the fixture's own edit, which added them.
    assert html.count("Required documents") == 1


def test_line_endings_of_an_old_revision_make_no_phantom_change(client, world, service):
    from wagtail.models import Revision

    # A revision written before the fix holds the browser's "\r\n"; the next
    # version (an import, a script) holds "\n". The diff reads them as equal.
    revision = service.latest_revision
    revision.content["required_documents"] = DOCUMENTS.replace("\n", "\r\n")
    Revision.objects.filter(pk=revision.pk).update(content=revision.content)
    page = ServicePage.objects.get(pk=service.pk)
    page.alert = "Bring a bag"
    page.save_revision(user=world.users.member_a).publish(user=world.users.member_a)
    _, html = public_events(client, ServicePage.objects.get(pk=service.pk))
    assert "Alert added: Bring a bag" in html
    assert html.count("Required documents") == 1


def test_one_approval_is_one_event_and_credited_to_a_moderator(client, world, service):
    u = world.users
    edit(client, u.outsider, service, alert="Moved upstairs")
    client.force_login(u.moderator)
    assert client.post(review_url(service), {"action": "approve"}).status_code == 302
    _, html = public_events(client, service)
    assert html.count("A suggested change was approved") == 1
    # The changes are listed once, with the edit, and only what changed.
    assert html.count("Alert added: Moved upstairs") == 1
    assert "Name added" not in html.split("Listing created")[0]
    approval = html.split("A suggested change was approved")[1].split("</li>")[0]
    assert "A moderator" in approval
    assert "A professional" not in approval


def test_a_rejection_is_one_event(client, world, service):
    u = world.users
    edit(client, u.outsider, service, alert="Wrong")
    edit(client, u.member_b, service, action=None, alert="Wrong again")
    client.force_login(u.moderator)
    response = client.post(review_url(service), {"action": "reject", "comment": "Not so"})
    assert response.status_code == 302
    _, html = public_events(client, service)
    assert html.count("not accepted") == 1
    assert "A draft was saved" not in html
    assert "Wrong" not in html and "Not so" not in html
    rejection = html.split("A suggested change was not accepted")[1].split("</li>")[0]
    assert "A moderator" in rejection


def test_a_lock_is_credited_to_a_moderator(client, world, service):
    client.force_login(world.users.moderator)
    response = client.post(f"/admin/pages/{service.pk}/lock/", {"reason": "crisis_line"})
    assert response.status_code == 302
    _, html = public_events(client, service)
    lock = html.split("Locked: only moderators may edit it for now")[1].split("</li>")[0]
    assert "A moderator" in lock
    assert "A professional" not in lock


def location_form(location, **fields):
    data = {
        "organization": location.organization_id,
        "name": location.name,
        "address_1": location.address_1,
        "city": location.city,
        "state_province": location.state_province,
        "postal_code": location.postal_code,
        "country": "US",
        "latitude": location.latitude,
        "longitude": location.longitude,
        "timezone": "America/Chicago",
        "address_is_public": "on",
        "phones": inline_formset([]),
        "additional_urls": inline_formset([]),
        "hours": inline_formset([]),
        "action-publish": "action-publish",
        **fields,
    }
    return nested_form_data({k: v for k, v in data.items() if v is not False})


def test_internal_fields_never_appear_in_the_public_history(client, world, service):
    location = service.service_at_locations.get().location
    client.force_login(world.users.superuser)
    url = f"/admin/snippets/directory/location/edit/{location.pk}/"
    data = location_form(
        location,
        latitude="41.9001",
        longitude="-87.6001",
        coordinates_approximate="on",
        description="Side door\r\non Lake St",
    )
    assert client.post(url, data).status_code == 302
    data = location_form(location, description="Side door\non Lake St")
    data.pop("address_is_public")  # "show the address publicly" unticked
    data["latitude"], data["longitude"] = "41.9101", "-87.6101"
    assert client.post(url, data).status_code == 302
    location.refresh_from_db()
    assert not location.address_is_public and location.latitude == 41.9101
    _, html = public_events(client, service)
    assert "Description added" in html
    # Times of day ("14:00:41.944862") are not coordinates: drop them first, so
    # a clock that reads 41.9 seconds cannot fail the check.
    lowered = re.sub(r"\d{2}:\d{2}:\d{2}(\.\d+)?", "", html.lower())
    for internal in (
        "latitude",
        "longitude",
        "41.9",
        "-87.6",
        "expired",
        "show the address publicly",
        "coordinates",
        "approximate",
        "has unpublished",
        "locked",
    ):
        assert internal not in lowered, internal
    assert "Description changed" not in html  # only the line endings differed


def test_the_metadata_export_has_no_internal_fields(client, world, service, tmp_path):
    import json

    from django.core.management import call_command

    location = service.service_at_locations.get().location
    client.force_login(world.users.superuser)
    url = f"/admin/snippets/directory/location/edit/{location.pk}/"
    assert client.post(url, location_form(location, latitude="41.95")).status_code == 302
    out = tmp_path / "metadata.json"
    call_command("export_metadata", str(out))
    fields = {record["field_name"] for record in json.loads(out.read_text())}
    assert fields
    assert not fields & {"latitude", "longitude", "address_is_public", "expired"}
