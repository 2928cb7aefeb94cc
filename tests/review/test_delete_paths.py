"""Nothing is deleted through the product: every delete door is refused or becomes
"Remove" (unpublish + defunct) for everyone but a superuser."""

from django.contrib.auth.models import Permission

from wagtail.models import GroupPagePermission, Page

import pytest

from directory.models import Location, ServicePage
from tests.factories import LocationFactory, make_service
from tests.roles import member as member_of
from tests.roles import moderator, superuser

pytestmark = pytest.mark.django_db


def with_delete_rights(user, page):
    """Give the user's groups Wagtail's delete right on `page`: the product still refuses."""
    for group in user.groups.all():
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=Permission.objects.get(codename="delete_page")
        )
    user.user_permissions.add(Permission.objects.get(codename="delete_location"))
    return user


@pytest.fixture
def service():
    return make_service(title="Shelter beds")


@pytest.fixture
def mod(service):
    return with_delete_rights(moderator("mod"), Page.objects.get(depth=2))


@pytest.fixture
def member(service):
    organization = service.get_parent().specific
    return with_delete_rights(member_of(organization, "member"), organization)


def test_single_delete_becomes_remove_for_a_moderator(client, service, mod):
    client.force_login(mod)
    client.post(f"/admin/pages/{service.pk}/delete/")
    service = ServicePage.objects.get(pk=service.pk)
    assert (service.live, service.status) == (False, "defunct")


@pytest.mark.parametrize("who", ["member", "mod"])
def test_bulk_delete_of_listings_is_refused(client, service, who, request):
    client.force_login(request.getfixturevalue(who))
    url = f"/admin/bulk/wagtailcore/page/delete/?id={service.pk}"
    client.post(url)
    assert ServicePage.objects.filter(pk=service.pk, live=True).exists()


def test_a_member_cannot_delete_a_location_single_or_bulk(client, service, member):
    unused = LocationFactory(organization=service.get_parent().specific)
    client.force_login(member)
    client.post(f"/admin/snippets/directory/location/delete/{unused.pk}/")
    client.post(f"/admin/bulk/directory/location/delete/?id={unused.pk}")
    assert Location.objects.filter(pk=unused.pk).exists()


def test_the_page_explorer_api_cannot_delete(client, service, mod):
    client.force_login(mod)
    response = client.delete(f"/admin/api/main/pages/{service.pk}/")
    assert response.status_code == 405
    assert ServicePage.objects.filter(pk=service.pk).exists()


def test_a_superuser_may_hard_delete_a_listing_and_an_unused_location(client, service):
    unused = LocationFactory(organization=service.get_parent().specific)
    client.force_login(superuser())
    client.post(f"/admin/snippets/directory/location/delete/{unused.pk}/")
    client.post(f"/admin/bulk/wagtailcore/page/delete/?id={service.pk}")
    assert not Location.objects.filter(pk=unused.pk).exists()
    assert not ServicePage.objects.filter(pk=service.pk).exists()
