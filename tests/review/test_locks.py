"""Locked listings: only moderators change them, through every admin door."""

from django.core.exceptions import PermissionDenied

from wagtail.models import PageLogEntry

import pytest

from directory.models import ServicePage
from review.models import ListingLock
from review.moderation import locks
from tests.factories import make_service
from tests.review.guards_support import loaded_from, service_form
from tests.roles import member as member_of
from tests.roles import moderator, professional, superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return make_service(title="Crisis line")


@pytest.fixture
def organization(service):
    return service.get_parent().specific


@pytest.fixture
def member(organization):
    return member_of(organization, "member")


@pytest.fixture
def mod():
    return moderator("mod")


@pytest.fixture
def locked(service, mod):
    locks.lock(page=service, user=mod, reason="crisis_line", note="Callers at risk")
    return ServicePage.objects.get(pk=service.pk)


def test_only_a_moderator_may_lock_or_unlock(service, member):
    with pytest.raises(PermissionDenied):
        locks.lock(page=service, user=member, reason="shelter")
    with pytest.raises(PermissionDenied):
        locks.unlock(page=service, user=member)
    assert not locks.is_locked(service)


def test_locking_writes_the_reason_to_the_audit_log_but_never_the_note(locked, mod):
    entry = PageLogEntry.objects.get(page=locked, action="steward.lock")
    assert entry.user == mod
    assert entry.data["reason"] == "crisis_line"
    assert "Callers at risk" not in str(entry.data)


def test_unlocking_logs_it_and_the_lock_history_remains(locked, mod):
    assert locks.unlock(page=locked, user=mod) is True
    assert not locks.is_locked(locked)
    assert PageLogEntry.objects.filter(page=locked, action="steward.unlock").count() == 1
    kinds = list(
        ListingLock.history.order_by("history_date").values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-"]
    assert locks.unlock(page=locked, user=mod) is False


def test_a_locked_listing_is_locked_for_members_and_not_for_moderators(locked, member, mod):
    lock = locked.get_lock()
    assert isinstance(lock, locks.ModeratorLock)
    assert lock.for_user(member)
    assert not lock.for_user(mod)
    assert locks.can_edit_locked(mod, locked)
    assert not locks.can_edit_locked(member, locked)


def test_an_unlocked_listing_has_no_lock(service):
    assert service.get_lock() is None


def test_a_member_sees_why_and_cannot_save_publish_or_revert(client, locked, member):
    client.force_login(member)
    before = locked.revisions.count()
    title_before = locked.title

    page = client.get(f"/admin/pages/{locked.pk}/edit/")
    assert page.status_code == 200
    assert "only moderators may change it" in page.content.decode()

    data = {**service_form(locked, title="Vandalised"), **loaded_from(locked)}
    client.post(f"/admin/pages/{locked.pk}/edit/", data)
    client.post(f"/admin/pages/{locked.pk}/edit/", {**data, "action-publish": "publish"})
    first = locked.revisions.order_by("created_at").first()
    client.post(f"/admin/pages/{locked.pk}/revisions/{first.pk}/revert/", data)

    locked = ServicePage.objects.get(pk=locked.pk)
    assert locked.revisions.count() == before
    assert locked.title == title_before
    assert locked.get_latest_revision_as_object().title == title_before


def test_a_member_cannot_unpublish_move_or_remove_a_locked_listing(client, locked, member):
    client.force_login(member)
    organization = locked.get_parent()

    # Wagtail answers a refused admin request by redirecting to the dashboard.
    assert client.post(f"/admin/pages/{locked.pk}/unpublish/").status_code in (302, 403)
    client.post(f"/admin/pages/{locked.pk}/move/{organization.pk}/")
    client.post(f"/admin/pages/{locked.pk}/delete/")

    locked = ServicePage.objects.get(pk=locked.pk)
    assert (locked.live, locked.status) == (True, "active")
    assert locked.get_parent().pk == organization.pk


def test_a_moderator_edits_a_locked_listing(client, locked, mod):
    client.force_login(mod)
    data = {**service_form(locked, title="Crisis line (24/7)"), **loaded_from(locked)}

    response = client.post(f"/admin/pages/{locked.pk}/edit/", data)

    assert response.status_code == 302
    assert ServicePage.objects.get(pk=locked.pk).get_latest_revision_as_object().title == (
        "Crisis line (24/7)"
    )


def test_the_lock_screen_is_refused_to_members_on_get_and_crafted_post(client, service, member):
    client.force_login(member)
    for url in (f"/admin/steward/pages/{service.pk}/lock/", f"/admin/pages/{service.pk}/lock/"):
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "vandalism"}).status_code == 403
    assert not locks.is_locked(service)
    # Wagtail's own lock (only its setter may edit) is not set either.
    assert not ServicePage.objects.get(pk=service.pk).locked


def test_the_unlock_screen_is_refused_to_members(client, locked, member):
    client.force_login(member)
    for url in (f"/admin/steward/pages/{locked.pk}/unlock/", f"/admin/pages/{locked.pk}/unlock/"):
        assert client.post(url).status_code == 403
    assert locks.is_locked(locked)


def test_a_moderator_locks_with_a_reason_and_unlocks(client, service, mod):
    client.force_login(mod)
    url = f"/admin/steward/pages/{service.pk}/lock/"

    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "not-a-reason"})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert not locks.is_locked(service)

    assert client.post(url, {"reason": "shelter", "note": "Address is secret"}).status_code == 302
    assert ListingLock.objects.get(page=service).reason == "shelter"

    response = client.post(f"/admin/steward/pages/{service.pk}/unlock/")
    assert response.status_code == 302
    assert not locks.is_locked(service)


def test_wagtails_lock_button_asks_a_moderator_for_a_reason(client, service, mod):
    client.force_login(mod)

    response = client.post(f"/admin/pages/{service.pk}/lock/")

    assert response.status_code == 400
    assert "Choose why this listing is locked" in response.content.decode()
    assert not locks.is_locked(service)


def test_the_locked_listings_screen_is_for_moderators(
    client, locked, member, mod, django_assert_max_num_queries
):
    client.force_login(member)
    assert client.get("/admin/steward/locks/").status_code == 403
    client.force_login(mod)
    make_service(title="Another")
    with django_assert_max_num_queries(20):
        response = client.get("/admin/steward/locks/")
    assert response.status_code == 200
    assert "Crisis line" in response.content.decode()


def test_the_lock_screen_query_count(client, service, mod, django_assert_max_num_queries):
    client.force_login(mod)
    with django_assert_max_num_queries(20):
        assert client.get(f"/admin/steward/pages/{service.pk}/lock/").status_code == 200


def test_lock_buttons_show_for_moderators_only(client, service, member, mod):
    organization = service.get_parent()
    client.force_login(member)
    assert (
        f"/admin/steward/pages/{service.pk}/lock/"
        not in client.get(f"/admin/pages/{organization.pk}/").content.decode()
    )
    client.force_login(mod)
    assert (
        f"/admin/steward/pages/{service.pk}/lock/"
        in client.get(f"/admin/pages/{organization.pk}/").content.decode()
    )


def test_a_superuser_is_a_moderator_here(locked):
    assert not locked.get_lock().for_user(superuser())


def test_a_professional_without_organization_cannot_lock(client, service):
    client.force_login(professional(username="pro"))
    assert (
        client.post(f"/admin/steward/pages/{service.pk}/lock/", {"reason": "other"}).status_code
        == 403
    )


def test_a_members_bulk_unpublish_of_a_locked_listing_is_refused(client, locked, member):
    client.force_login(member)
    client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={locked.pk}")
    assert ServicePage.objects.get(pk=locked.pk).live


def test_the_place_of_a_locked_listing_is_locked_too(client, locked, member, mod):
    from django.contrib.auth.models import Permission

    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    location = locked.service_at_locations.get().location
    data = nested_form_data(
        {
            "organization": location.organization_id,
            "name": "Moved shelter",
            "country": "US",
            "timezone": "America/Chicago",
            "phones": inline_formset([]),
            "additional_urls": inline_formset([]),
            "hours": inline_formset([]),
        }
    )
    url = f"/admin/snippets/directory/location/edit/{location.pk}/"
    for user in (member, mod):
        user.user_permissions.add(Permission.objects.get(codename="change_location"))

    client.force_login(member)
    assert "only moderators can change it" in client.get(url).content.decode()
    assert client.post(url, data).status_code == 403
    location.refresh_from_db()
    assert location.name != "Moved shelter"

    client.force_login(mod)
    # Locations have drafts: the moderator publishes the change.
    assert client.post(url, {**data, "action-publish": "action-publish"}).status_code == 302
    location.refresh_from_db()
    assert location.name == "Moved shelter"


def test_wagtails_lock_still_works_on_pages_that_are_not_listings(client):
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    client.force_login(superuser())
    client.post(f"/admin/pages/{home.pk}/lock/")
    assert Page.objects.get(pk=home.pk).locked
