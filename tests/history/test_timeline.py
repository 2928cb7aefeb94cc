"""A listing's timeline: every revision and logged action, newest first, within a
query budget however long the history; and the public History page."""

from wagtail.log_actions import log
from wagtail.models import Revision

import pytest

from history.timeline import timeline
from tests.history.conftest import edit, set_phone

pytestmark = pytest.mark.django_db


def headlines(history):
    return [entry.headline for entry in history.entries]


def test_revisions_are_newest_first_with_their_changes_and_people(service, member):
    edit(service, member, set_phone("312-555-0199"))
    history = timeline(service, public=False)
    newest = history.entries[0]
    assert newest.headline == "Edited"
    assert newest.person == "Mem Ber"
    assert newest.status == "published"
    assert newest.live
    assert [c.text for c in newest.changes] == [
        "Main phone changed from (312) 555-0101 to (312) 555-0199"
    ]
    assert history.entries[-1].headline == "Listing created"


def test_the_public_reads_organizations_never_people(service, member):
    edit(service, member, set_phone("312-555-0199"))
    entry = timeline(service, public=True).entries[0]
    assert entry.person == ""
    assert entry.actor == "A professional"
    assert entry.changes


def test_an_unpublished_draft_shows_no_content_to_the_public(service, member):
    edit(service, member, set_phone("312-555-0666"), publish=False)
    public = timeline(service, public=True).entries[0]
    assert public.headline == "A draft was saved (not published)"
    assert public.changes == []
    admin = timeline(service, public=False).entries[0]
    assert admin.status == "draft"
    assert [c.replacement for c in admin.changes] == ["(312) 555-0666"]


def test_steward_actions_show_with_their_public_facts_only(service, moderator):
    log(
        instance=service,
        action="steward.rollback",
        user=moderator,
        data={
            "organization": {"id": 1, "title": "Moderators of Chicago"},
            "reason": "private note about a person",
            "revisions": [1, 2],
        },
    )
    public = timeline(service, public=True).entries[0]
    assert public.headline == "A run of edits was rolled back"
    assert public.actor == "A moderator"  # moderators act as moderators (issue 11)
    assert public.note == ""
    assert "private note" not in " ".join(public.details)
    admin = timeline(service, public=False).entries[0]
    assert admin.note == "private note about a person"


def test_timeline_is_paginated(service, member):
    for n in range(30):
        edit(service, member, set_phone(f"312-555-01{n:02d}"))
    first = timeline(service, public=True, per_page=25)
    assert len(first.entries) == 25
    assert first.total == 31
    second = timeline(service, public=True, page_number=2, per_page=25)
    assert len(second.entries) == 6
    assert second.entries[-1].headline == "Listing created"


@pytest.fixture
def long_history(service, member):
    """200 revisions of one listing; every tenth published (the rest wait as drafts
    stacked under the next publish, as suggestions do)."""
    page = service
    for n in range(199):
        page = page.get_latest_revision_as_object()
        phones = list(page.phones.all())
        phones[0].number = f"312-555-{n:04d}"
        page.phones = phones
        revision = page.save_revision(user=member, log_action=True)
        if n % 10 == 8:
            revision.publish(user=member)
    assert Revision.page_revisions.filter(object_id=str(service.pk)).count() == 200
    return service


def test_with_200_revisions_the_listing_and_its_history_stay_within_budget(
    client, long_history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = client.get(long_history.url)
    assert response.status_code == 200
    assert f'href="/history/{long_history.pk}/"' in response.text

    with django_assert_max_num_queries(20):
        response = client.get(f"/history/{long_history.pk}/")
    assert response.status_code == 200
    assert "Main phone changed from (312) 555-0197 to (312) 555-0198" in response.text
    assert "page 1 of 8" in response.text

    with django_assert_max_num_queries(20):
        response = client.get(f"/history/{long_history.pk}/?page=8")
    assert "Listing created" in response.text


def test_the_public_history_page_answers_bad_page_numbers_without_error(client, service):
    for value in ("abc", "-1", "99999999999", "0"):
        response = client.get(f"/history/{service.pk}/?page={value}")
        assert response.status_code == 200


def test_no_public_history_for_an_unpublished_listing_or_a_non_listing(client, service, home):
    assert client.get(f"/history/{home.pk}/").status_code == 404
    service.unpublish()
    assert client.get(f"/history/{service.pk}/").status_code == 404
    assert client.get("/history/999999/").status_code == 404


def test_the_public_page_never_shows_emails_or_usernames(client, service, member):
    edit(service, member, set_phone("312-555-0199"))
    text = client.get(f"/history/{service.pk}/").text
    assert member.email not in text
    assert "member" not in text.replace("Remember", "")
    assert "Mem Ber" not in text


def test_pending_and_rejected_suggestions_show_no_content_to_the_public(service, member, moderator):
    from tests.history.test_immutability import decide

    workflow = _workflow(service)
    page = service.get_latest_revision_as_object()
    page.alert = "Pending words"
    page.save_revision(user=member)
    state = workflow.start(page, member)
    public = timeline(service, public=True).entries[0]
    assert public.headline == "A suggested change is waiting for review"
    assert public.changes == []
    admin = [e for e in timeline(service, public=False).entries if e.kind == "revision"][0]
    assert admin.status == "pending"
    assert any("Pending words" in c.replacement for c in admin.changes)

    decide(state, moderator, "reject")
    # One event for the rejection (issue 11): the decision, with no contents.
    entries = timeline(service, public=True).entries
    rejected = [e for e in entries if "not accepted" in e.headline]
    assert len(rejected) == 1
    assert rejected[0].changes == []
    assert rejected[0].actor == "A moderator"


def _workflow(service):
    from django.contrib.auth.models import Group

    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    workflow = Workflow.objects.create(name="Moderators approve")
    task = GroupApprovalTask.objects.create(name="Moderators")
    task.groups.set([Group.objects.get(name="Moderators")])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=service.get_parent())
    return workflow


def test_location_revisions_join_the_timeline_of_its_services(service, member):
    location = service.service_at_locations.first().location
    location.save_revision(user=member)
    location.address_1 = "12 Main St"
    location.save()
    location.save_revision(user=member)
    entry = timeline(service, public=True).entries[0]
    assert entry.kind == "location"
    assert entry.headline.startswith("Location “")
    assert [c.text for c in entry.changes] == [
        "Street address changed from 100 W Randolph St to 12 Main St"
    ]


def test_imported_revisions_name_their_source_and_file(home):
    from pathlib import Path

    from django.core.management import call_command

    from directory.models import ServicePage

    example = Path(__file__).parents[2].parent / "shared" / "hsds-3.0" / "examples"
    call_command("import_hsds", str(example / "service_full.json"), verbosity=0)
    service = ServicePage.objects.first()
    entries = timeline(service, public=True).entries
    created = [e for e in entries if e.kind == "revision"][-1]
    assert created.actor.startswith("Import from ")
    assert "service_full.json" in created.actor


def test_the_listing_edit_screen_links_to_the_listing_history(client, service, member):
    client.force_login(member)
    response = client.get(f"/admin/pages/{service.pk}/edit/")
    assert f"/admin/history/{service.pk}/" in response.text


def test_reporters_are_never_named_in_public(service, member):
    from wagtail.log_actions import registry

    if not registry.action_exists("steward.report"):  # registered by the queue work
        registry.register_action("steward.report", "Report a problem", "Reported")
    organization = service.get_parent().specific
    log(
        instance=service,
        action="steward.report",
        user=member,
        data={
            "organization": {"id": organization.pk, "title": organization.title},
            "reason_category": "wrong_phone",
            "note": "I called and it was a fax",
        },
    )
    entry = timeline(service, public=True).entries[0]
    assert entry.headline == "A problem was reported"
    assert entry.actor == ""
    assert entry.details == ["Reason: wrong phone"]
    assert entry.note == ""
