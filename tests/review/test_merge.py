"""Merging duplicates: one survives, the other redirects to it, both histories stay."""

from django.core.exceptions import PermissionDenied, ValidationError

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry

import pytest

from directory.models import OrganizationPage, ServicePage
from review.models import MergeRecord
from review.moderation.merge import merge_listings
from tests.factories import OrganizationFactory, make_service
from tests.roles import member as member_of
from tests.roles import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    organization = OrganizationFactory(title="Northside Pantry")
    survivor = make_service(organization=organization, title="Food pantry")
    duplicate = make_service(organization=organization, title="Food Pantry (imported twice)")
    return survivor, duplicate


@pytest.fixture
def mod():
    return moderator("mod")


def test_merging_retires_the_duplicate_redirects_it_and_keeps_both_histories(client, pair, mod):
    survivor, duplicate = pair
    old_url = duplicate.url
    revisions = duplicate.revisions.count()

    record = merge_listings(survivor=survivor, duplicate=duplicate, user=mod, note="same phone")

    duplicate = ServicePage.objects.get(pk=duplicate.pk)  # never deleted
    assert (duplicate.live, duplicate.status) == (False, "defunct")
    assert duplicate.revisions.count() == revisions + 1
    assert (record.survivor_id, record.duplicate_id, record.merged_by) == (
        survivor.pk,
        duplicate.pk,
        mod,
    )
    assert MergeRecord.history.count() == 1
    redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old_url))
    assert (redirect.redirect_page_id, redirect.is_permanent) == (survivor.pk, True)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(survivor.url)
    for page in (survivor, duplicate):
        entry = PageLogEntry.objects.get(page=page, action="steward.merge")
        assert entry.data["survivor"]["id"] == survivor.pk
        assert entry.data["duplicate"]["id"] == duplicate.pk
        assert "same phone" not in str(entry.data)


def test_only_a_moderator_merges(pair):
    survivor, duplicate = pair
    member = member_of(survivor.get_parent().specific, "member")
    with pytest.raises(PermissionDenied):
        merge_listings(survivor=survivor, duplicate=duplicate, user=member)
    assert ServicePage.objects.get(pk=duplicate.pk).live


def test_a_service_does_not_merge_into_an_organization_or_itself(pair, mod):
    survivor, duplicate = pair
    organization = survivor.get_parent().specific
    with pytest.raises(ValidationError, match="same kind"):
        merge_listings(survivor=organization, duplicate=duplicate, user=mod)
    with pytest.raises(ValidationError, match="into itself"):
        merge_listings(survivor=duplicate, duplicate=duplicate, user=mod)
    assert not MergeRecord.objects.exists()


def test_a_duplicate_is_merged_once(pair, mod):
    survivor, duplicate = pair
    merge_listings(survivor=survivor, duplicate=duplicate, user=mod)
    other = make_service(title="Third")
    with pytest.raises(ValidationError, match="already merged"):
        merge_listings(survivor=other, duplicate=duplicate, user=mod)


def test_an_organization_with_published_services_is_not_merged(mod):
    survivor = OrganizationFactory(title="Legal Aid Chicago")
    duplicate = make_service(title="Walk-in clinic").get_parent().specific
    with pytest.raises(ValidationError, match="moves nothing automatically"):
        merge_listings(survivor=survivor, duplicate=duplicate, user=mod)
    assert OrganizationPage.objects.get(pk=duplicate.pk).live


def test_an_empty_duplicate_organization_merges(mod):
    survivor = OrganizationFactory(title="Legal Aid Chicago")
    duplicate = OrganizationFactory(title="Legal Aid Chgo")
    merge_listings(survivor=survivor, duplicate=duplicate, user=mod)
    assert not OrganizationPage.objects.get(pk=duplicate.pk).live


def test_the_merge_screen_searches_confirms_and_merges(
    client, pair, mod, django_assert_max_num_queries
):
    survivor, duplicate = pair
    client.force_login(mod)
    url = f"/admin/steward/pages/{duplicate.pk}/merge/"

    with django_assert_max_num_queries(30):
        found = client.get(url, {"q": "pantry"})
    assert found.status_code == 200
    assert f'value="{survivor.pk}"' in found.content.decode()

    with django_assert_max_num_queries(35):
        confirm = client.get(url, {"survivor": survivor.pk})
    body = confirm.content.decode()
    assert "Food pantry" in body and "Food Pantry (imported twice)" in body
    assert ServicePage.objects.get(pk=duplicate.pk).live  # nothing happens on GET

    done = client.post(url, {"survivor": survivor.pk, "note": ""})
    assert done.status_code == 302
    assert MergeRecord.objects.get().survivor_id == survivor.pk


def test_the_merge_screen_refuses_bad_input_without_changing_anything(client, pair, mod):
    survivor, duplicate = pair
    client.force_login(mod)
    url = f"/admin/steward/pages/{duplicate.pk}/merge/"

    assert client.get(url, {"survivor": "abc"}).status_code == 200
    assert client.get(url, {"survivor": "999999"}).status_code == 200
    assert client.post(url, {"survivor": "abc"}).status_code == 302
    refused = client.post(url, {"survivor": survivor.get_parent().pk})
    assert refused.status_code == 400
    assert "same kind" in refused.content.decode()
    assert not MergeRecord.objects.exists()
    assert ServicePage.objects.get(pk=duplicate.pk).live


def test_the_merge_screen_is_refused_to_members_on_get_and_post(client, pair):
    survivor, duplicate = pair
    client.force_login(member_of(survivor.get_parent().specific, "member"))
    url = f"/admin/steward/pages/{duplicate.pk}/merge/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"survivor": survivor.pk}).status_code == 403
    assert not MergeRecord.objects.exists()
