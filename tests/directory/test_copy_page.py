"""The admin's "Copy page" makes a new listing with new UUIDs, itself and its child
objects (phones, hours, service-at-location links): no clash, no 500 (issue 11)."""

from django.contrib.auth import get_user_model

import pytest

from directory.models import ServicePage
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def child_uuids(service):
    return (
        {row.uuid for row in service.phones.all()}
        | {row.uuid for row in service.hours.all()}
        | {row.uuid for row in service.service_at_locations.all()}
    )


def copy_through_admin(client, page, *, slug, parent=None, **extra):
    data = {
        "new_title": f"{page.title} (copy)",
        "new_slug": slug,
        "new_parent_page": (parent or page.get_parent()).pk,
        **extra,
    }
    return client.post(f"/admin/pages/{page.pk}/copy/", data)


@pytest.fixture
def admin(client):
    user = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(user)
    return user


@pytest.mark.parametrize("publish", [False, True])
def test_copying_a_service_gives_it_and_its_child_objects_new_uuids(client, admin, publish):
    service = make_service(title="Food pantry")
    extra = {"publish_copies": "on"} if publish else {}
    response = copy_through_admin(client, service, slug="food-pantry-copy", **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    copy = ServicePage.objects.get(slug="food-pantry-copy")
    assert copy.uuid != service.uuid
    assert copy.phones.count() == service.phones.count() == 1
    assert copy.hours.count() == service.hours.count() == 1
    assert copy.service_at_locations.count() == 1
    assert child_uuids(copy).isdisjoint(child_uuids(service))
    # The copy's latest revision holds its own uuid too, so publishing it later
    # does not bring back the original's.
    assert copy.get_latest_revision_as_object().uuid == copy.uuid
    for revision in copy.revisions.all():
        assert child_uuids(revision.as_object()).isdisjoint(child_uuids(service))
    assert child_uuids(copy.get_latest_revision_as_object()) == child_uuids(copy)
    assert client.get(f"/admin/pages/{copy.pk}/edit/").status_code == 200


def test_copying_an_organization_with_its_services(client, admin):
    service = make_service(title="Food pantry")
    org = service.get_parent()
    response = copy_through_admin(
        client, org, slug="org-copy", parent=org.get_parent(), copy_subpages="on"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    copied_org = org.get_parent().get_children().get(slug="org-copy").specific
    copied_service = ServicePage.objects.child_of(copied_org).get()
    assert copied_org.uuid != org.specific.uuid
    assert copied_service.uuid != service.uuid
    assert child_uuids(copied_service).isdisjoint(child_uuids(service))
    latest = copied_service.get_latest_revision_as_object()
    assert child_uuids(latest) == child_uuids(copied_service)
