"""Locations follow the listing rule: members of the location's organization
publish; other professionals' edits wait on the "Pending changes" workflow."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from directory.models import Location
from review.moderation import actions as moderation
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def location_form(location, **changes):
    data = {
        "organization": location.organization_id,
        "name": location.name,
        "address_1": location.address_1,
        "city": location.city,
        "state_province": location.state_province,
        "postal_code": location.postal_code,
        "country": location.country,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "timezone": location.timezone,
        "address_is_public": "on",
        "phones": inline_formset([]),
        "hours": inline_formset([]),
        **changes,
    }
    return nested_form_data(data)


def post(client, user, location, action, **changes):
    client.force_login(user)
    data = location_form(location, **changes)
    data[action] = "1"
    return client.post(f"/admin/snippets/directory/location/edit/{location.pk}/", data)


def test_a_non_members_location_edit_waits_and_a_moderator_approves_it(client, world):
    location = LocationFactory(organization=world.org_a, address_1="100 W Randolph St")
    assert client.get("/admin/snippets/directory/location/").status_code == 302  # anonymous

    response = post(client, world.users.outsider, location, "action-submit", address_1="1 New St")
    assert response.status_code == 302
    assert Location.objects.get(pk=location.pk).address_1 == "100 W Randolph St"
    assert moderation.has_pending_changes(location)

    # A crafted publish by the same professional is only a draft.
    post(client, world.users.outsider, location, "action-publish", address_1="2 Crafted St")
    assert Location.objects.get(pk=location.pk).address_1 == "100 W Randolph St"

    moderation.approve(page=location, user=world.users.moderator)
    assert Location.objects.get(pk=location.pk).address_1 == "2 Crafted St"
    assert not moderation.has_pending_changes(location)


def test_a_member_of_the_locations_organization_publishes_directly(client, world):
    location = LocationFactory(organization=world.org_a, address_1="100 W Randolph St")
    response = post(client, world.users.member_a, location, "action-publish", address_1="3 Own St")
    assert response.status_code == 302
    assert Location.objects.get(pk=location.pk).address_1 == "3 Own St"

    post(client, world.users.member_b, location, "action-publish", address_1="4 Other St")
    assert Location.objects.get(pk=location.pk).address_1 == "3 Own St"


def test_a_rejected_location_edit_returns_to_the_live_address(client, world):
    location = LocationFactory(organization=world.org_a, address_1="100 W Randolph St")
    post(client, world.users.outsider, location, "action-submit", address_1="9 Wrong St")
    moderation.reject(page=location, user=world.users.moderator, reason="No such street")
    location = Location.objects.get(pk=location.pk)
    assert location.address_1 == "100 W Randolph St"
    assert location.get_latest_revision().as_object().address_1 == "100 W Randolph St"
    assert not moderation.has_pending_changes(location)
