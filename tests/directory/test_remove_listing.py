from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, PageLogEntry

import pytest

from directory.actions import retire_listing
from directory.models import OrganizationPage, ServicePage
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    """A moderator: publishes every listing, so "Delete" removes it."""
    user = UserFactory(username="editor")
    group = Group.objects.create(name="Directory editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    from steward.models import HomePage

    home = HomePage.objects.get()
    for codename in ("add_page", "change_page", "publish_page", "delete_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=codename)
        )
    user.groups.add(group, Group.objects.get_or_create(name="Moderators")[0])
    return user


def test_removing_a_service_marks_it_defunct_unpublishes_it_and_keeps_its_history(editor):
    service = make_service()
    revisions_before = service.revisions.count()

    retire_listing(page=service, user=editor)

    service = ServicePage.objects.get(pk=service.pk)
    assert service.status == "defunct"
    assert not service.live
    assert service.revisions.count() == revisions_before + 1
    assert service.revisions.order_by("-created_at").first().as_object().status == "defunct"
    actions = set(PageLogEntry.objects.filter(page=service).values_list("action", flat=True))
    assert {"wagtail.publish", "wagtail.unpublish"} <= actions


def test_removing_an_organization_unpublishes_it_and_retires_each_service(editor):
    first = make_service()
    organization = first.get_parent().specific
    second = make_service(organization=organization)

    retire_listing(page=organization, user=editor)

    assert not OrganizationPage.objects.get(pk=organization.pk).live
    for service in (first, second):
        service = ServicePage.objects.get(pk=service.pk)
        assert (service.live, service.status) == (False, "defunct")


def test_the_admin_delete_view_removes_instead_of_deleting_for_a_professional(client, editor):
    service = make_service()
    client.force_login(editor)

    confirm = client.get(f"/admin/pages/{service.pk}/delete/")
    assert confirm.status_code == 200
    assert b"Listings are never deleted" in confirm.content

    response = client.post(f"/admin/pages/{service.pk}/delete/")
    assert response.status_code == 302
    service = ServicePage.objects.get(pk=service.pk)
    assert (service.live, service.status) == (False, "defunct")


def test_a_superuser_may_still_hard_delete(client):
    service = make_service()
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(f"/admin/pages/{service.pk}/delete/")

    assert response.status_code == 302
    assert not ServicePage.objects.filter(pk=service.pk).exists()


def test_a_professional_without_delete_rights_is_refused(client):
    service = make_service()
    user = UserFactory(username="reader")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.post(f"/admin/pages/{service.pk}/delete/")

    # Wagtail answers a permission denial in the admin with a redirect to the dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    service = ServicePage.objects.get(pk=service.pk)
    assert (service.live, service.status) == (True, "active")


def test_bulk_delete_of_listings_is_refused_for_a_professional(client, editor):
    service = make_service()
    client.force_login(editor)

    response = client.post(
        f"/admin/bulk/wagtailcore/page/delete/?id={service.pk}",
        {"confirm": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert ServicePage.objects.filter(pk=service.pk, live=True).exists()
