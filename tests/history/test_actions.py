"""Revert and rollback: new revisions, never deletions; permission on GET and POST."""

from wagtail.models import PageLogEntry, Revision

import pytest

from directory.models import ServicePage
from history.actions import HistoryError, revert_to, rollback_run
from tests.factories import UserFactory
from tests.history.conftest import edit, set_phone

pytestmark = pytest.mark.django_db


def live_phone(service):
    return ServicePage.objects.get(pk=service.pk).phones.first().display


def revision_ids(service):
    return set(
        Revision.page_revisions.filter(object_id=str(service.pk)).values_list("pk", flat=True)
    )


def test_revert_makes_a_new_published_revision_and_logs_it(service, member):
    original = ServicePage.objects.get(pk=service.pk).live_revision
    edit(service, member, set_phone("312-555-0199"))
    before = revision_ids(service)

    new = revert_to(page=service, revision=original, user=member, reason="typo")

    assert revision_ids(service) == before | {new.pk}
    assert live_phone(service) == "(312) 555-0101"
    entry = PageLogEntry.objects.get(page=service, action="steward.revert")
    assert entry.revision_id == new.pk
    assert entry.data["restored"]["id"] == original.pk
    assert entry.data["published"] is True


def test_someone_who_may_not_edit_the_listing_may_not_revert_it(service, member, moderator):
    original = ServicePage.objects.get(pk=service.pk).live_revision
    edit(service, member, set_phone("312-555-0199"))
    outsider = UserFactory(username="outsider", is_superuser=False)
    with pytest.raises(Exception) as caught:
        revert_to(page=service, revision=original, user=outsider)
    assert "may not" in str(caught.value)
    assert live_phone(service) == "(312) 555-0199"


def test_revert_refuses_a_revision_of_another_listing(service, member, home):
    from tests.factories import make_service

    other = make_service(title="Other")
    with pytest.raises(HistoryError, match="another listing"):
        revert_to(page=service, revision=other.latest_revision, user=member)


def test_rollback_undoes_a_whole_run_of_one_editor_in_one_action(service, member, moderator):
    vandal = member
    good = ServicePage.objects.get(pk=service.pk).live_revision
    edit(service, vandal, set_phone("312-555-0666"))
    edit(service, vandal, set_phone("312-555-0667"))
    edit(service, vandal, set_phone("312-555-0668"))
    before = revision_ids(service)

    new = rollback_run(page=service, editor=vandal, user=moderator)

    assert revision_ids(service) == before | {new.pk}
    assert live_phone(service) == "(312) 555-0101"
    assert new.content["phones"][0]["number"] == good.content["phones"][0]["number"]
    entry = PageLogEntry.objects.get(page=service, action="steward.rollback")
    assert len(entry.data["revisions"]) == 3
    assert entry.data["restored"]["id"] == good.pk


def test_rollback_needs_the_privilege(service, member, professional):
    edit(service, member, set_phone("312-555-0666"))
    with pytest.raises(Exception, match="may not roll back"):
        rollback_run(page=service, editor=member, user=professional)
    assert live_phone(service) == "(312) 555-0666"


def test_rollback_refuses_when_the_latest_edit_is_someone_elses(service, member, moderator):
    edit(service, member, set_phone("312-555-0666"))
    edit(service, moderator, set_phone("312-555-0101"))
    with pytest.raises(HistoryError, match="not by member"):
        rollback_run(page=service, editor=member, user=moderator)


# --- screens --------------------------------------------------------------------------------


def test_the_rollback_screen_asks_first_and_then_rolls_back(client, service, member, moderator):
    edit(service, member, set_phone("312-555-0666"))
    edit(service, member, set_phone("312-555-0667"))
    client.force_login(moderator)
    url = f"/admin/history/{service.pk}/rollback/{member.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "2 edits" in page.text
    assert live_phone(service) == "(312) 555-0667"
    response = client.post(url, {"wrong": "on", "listing": str(service.pk)})
    assert response.status_code == 302
    assert live_phone(service) == "(312) 555-0101"


def test_a_crafted_rollback_post_without_the_privilege_changes_nothing(
    client, service, member, professional
):
    edit(service, member, set_phone("312-555-0666"))
    client.force_login(professional)
    url = f"/admin/history/{service.pk}/rollback/{member.pk}/"
    # Wagtail's admin answers a refusal with a redirect to the dashboard and a message.
    for response in (client.get(url), client.post(url, {"wrong": "on"})):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert live_phone(service) == "(312) 555-0666"
    assert not PageLogEntry.objects.filter(action="steward.rollback").exists()


def test_anonymous_people_are_sent_to_sign_in(client, service, member):
    url = f"/admin/history/{service.pk}/rollback/{member.pk}/"
    response = client.post(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_revert_screen_and_its_post(client, service, member):
    original = ServicePage.objects.get(pk=service.pk).live_revision
    edit(service, member, set_phone("312-555-0199"))
    client.force_login(member)
    url = f"/admin/history/{service.pk}/revert/{original.pk}/"
    assert "It will be published at once." in client.get(url).text
    assert client.post(url, {"reason": "typo"}).status_code == 302
    assert live_phone(service) == "(312) 555-0101"


def test_reverting_to_the_latest_version_is_refused_with_a_message(client, service, member):
    client.force_login(member)
    latest = ServicePage.objects.get(pk=service.pk).latest_revision
    response = client.post(f"/admin/history/{service.pk}/revert/{latest.pk}/")
    assert response.status_code == 400
    assert "already the latest version" in response.text


def test_a_revision_of_another_page_in_the_url_is_not_found(client, service, member, home):
    from tests.factories import make_service

    other = make_service(title="Other")
    client.force_login(member)
    response = client.post(f"/admin/history/{service.pk}/revert/{other.latest_revision.pk}/")
    assert response.status_code == 404


def test_the_admin_timeline_shows_people_and_offers_rollback(
    client, service, member, moderator, django_assert_max_num_queries
):
    edit(service, member, set_phone("312-555-0666"))
    client.force_login(moderator)
    with django_assert_max_num_queries(60):
        response = client.get(f"/admin/history/{service.pk}/")
    assert response.status_code == 200
    assert "Mem Ber" in response.text
    assert "Roll back their edits" in response.text


def test_a_rollback_marked_wrong_costs_the_editor_ten_points(service, member, moderator):
    from review.models import LedgerEvent

    edit(service, member, set_phone("312-555-0666"))
    rollback_run(page=service, editor=member, user=moderator, wrong=True)
    event = LedgerEvent.objects.get(user=member)
    assert (event.kind, event.points) == ("edit_reverted", -10)
    assert not LedgerEvent.objects.filter(user=moderator).exists()


def test_a_rollback_not_marked_wrong_costs_nothing(service, member, moderator):
    from review.models import LedgerEvent

    edit(service, member, set_phone("312-555-0666"))
    rollback_run(page=service, editor=member, user=moderator, wrong=False)
    assert not LedgerEvent.objects.filter(user=member).exists()


def test_a_locked_listing_is_reverted_only_by_moderators(service, member, moderator):
    from review.moderation.locks import lock

    original = ServicePage.objects.get(pk=service.pk).live_revision
    edit(service, member, set_phone("312-555-0199"))
    lock(page=service, user=moderator, reason="vandalism")
    with pytest.raises(Exception, match="may not revert"):
        revert_to(page=service, revision=original, user=member)
    revert_to(page=service, revision=original, user=moderator)
    assert live_phone(service) == "(312) 555-0101"


def test_a_revert_by_someone_who_may_not_publish_waits_for_review(service, member, groups):
    from directory.accounts.groups import editors_group
    from tests.history.test_timeline import _workflow

    _workflow(service)
    original = ServicePage.objects.get(pk=service.pk).live_revision
    edit(service, member, set_phone("312-555-0199"))
    # Edits through the page permissions, but is no member: may not publish here.
    helper = UserFactory(username="helper")
    helper.groups.add(groups["Professionals"], editors_group(service.get_parent().specific))

    new = revert_to(page=service, revision=original, user=helper)

    page = ServicePage.objects.get(pk=service.pk)
    assert live_phone(service) == "(312) 555-0199"
    assert page.latest_revision_id == new.pk
    assert page.workflow_in_progress
    entry = PageLogEntry.objects.get(page=service, action="steward.revert")
    assert entry.data["published"] is False


def test_the_edits_were_wrong_box_starts_unticked(client, service, member, moderator):
    """Issue 11: a penalty is a choice the moderator makes, never the default."""
    import re

    edit(service, member, set_phone("312-555-0666"))
    client.force_login(moderator)
    html = client.get(f"/admin/history/{service.pk}/rollback/{member.pk}/").text
    box = re.search(r'<input[^>]*name="wrong"[^>]*>', html).group(0)
    assert "checked" not in box
