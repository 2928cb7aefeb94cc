"""Pending changes (DESIGN.md §4): suggestions wait, stack, and are decided by the rules."""

from django.core import mail

from wagtail.models import PageLogEntry, WorkflowState

import pytest

from directory.models import ServicePage
from review.models import ReviewDecision
from review.moderation import actions as moderation
from tests.review.editing import latest, service_form

pytestmark = pytest.mark.django_db


def edit(client, user, service, action="action-submit", **changes):
    client.force_login(user)
    data = service_form(latest(service), **changes)
    if action:
        data[action] = "1"
    return client.post(f"/admin/pages/{service.pk}/edit/", data)


def phones_of(page):
    return [p.number for p in page.phones.all()]


def review_url(page):
    return f"/admin/review/pending/{page.pk}/"


def test_a_non_members_edit_waits_for_review_and_the_public_sees_the_live_version(client, world):
    service = world.service_a
    response = edit(client, world.users.outsider, service, phones=["(312) 555-0188"])

    assert response.status_code == 302
    service = ServicePage.objects.get(pk=service.pk)
    assert moderation.has_pending_changes(service)
    assert phones_of(service) == ["(312) 555-0101"]
    assert phones_of(latest(service)) == ["3125550188"] or phones_of(latest(service)) == [
        "(312) 555-0188"
    ]
    assert "555-0101" in client.get(service.url).content.decode()


def test_a_members_edit_publishes_directly(client, world):
    response = edit(
        client, world.users.member_a, world.service_a, "action-publish", phones=["(312) 555-0177"]
    )
    assert response.status_code == 302
    service = ServicePage.objects.get(pk=world.service_a.pk)
    assert not moderation.has_pending_changes(service)
    assert len(phones_of(service)) == 1 and "0177" in phones_of(service)[0]


def test_a_non_member_cannot_publish_even_with_a_crafted_post(client, world):
    edit(client, world.users.outsider, world.service_a, "action-publish", alert="Crafted")
    service = ServicePage.objects.get(pk=world.service_a.pk)
    assert service.alert == ""
    assert latest(service).alert == "Crafted"  # kept as a draft, never published


def test_a_second_contributor_stacks_on_the_pending_draft_and_a_moderator_approves_both(
    client, world, django_assert_max_num_queries
):
    u = world.users
    edit(client, u.outsider, world.service_a, phones=["(312) 555-0188"])
    edit(client, u.member_b, world.service_a, action=None, alert="Closed on Monday")

    service = ServicePage.objects.get(pk=world.service_a.pk)
    revisions = moderation.pending_revisions(service)
    assert [r.user.username for r in revisions] == ["outsider", "member_b"]
    assert moderation.pending_state(service).status == WorkflowState.STATUS_IN_PROGRESS
    # The second edit kept the first one.
    assert "0188" in phones_of(latest(service))[0]

    client.force_login(u.moderator)
    with django_assert_max_num_queries(80):
        screen = client.get(review_url(service))
    html = screen.content.decode()
    assert screen.status_code == 200
    assert "Outsider" in html and "Member_b" in html
    assert "Closed on Monday" in html

    response = client.post(review_url(service), {"action": "approve", "comment": ""})
    assert response.status_code == 302
    service = ServicePage.objects.get(pk=service.pk)
    assert service.alert == "Closed on Monday"
    assert "0188" in phones_of(service)[0]
    assert not moderation.has_pending_changes(service)
    assert "Closed on Monday" in client.get(service.url).content.decode()
    # Each revision keeps its author; the approval is recorded and logged.
    assert ReviewDecision.objects.get().user == u.moderator
    assert ReviewDecision.history.count() == 1
    assert PageLogEntry.objects.filter(page=service, action="steward.review.approve").exists()


def test_two_reviewers_of_two_other_organizations_approve_and_one_org_counts_once(client, world):
    u = world.users
    edit(client, u.outsider, world.service_a, alert="Moved upstairs")
    service = world.service_a

    client.force_login(u.reviewer_c)
    assert client.post(review_url(service), {"action": "approve"}).status_code == 302
    assert ServicePage.objects.get(pk=service.pk).alert == ""  # one reviewer is not enough

    client.force_login(u.reviewer_c2)  # same organization as the first reviewer
    refused = client.post(review_url(service), {"action": "approve"})
    assert refused.status_code == 403
    assert ServicePage.objects.get(pk=service.pk).alert == ""

    client.force_login(u.reviewer_d)
    assert client.post(review_url(service), {"action": "approve"}).status_code == 302
    service = ServicePage.objects.get(pk=service.pk)
    assert service.alert == "Moved upstairs"
    entries = PageLogEntry.objects.filter(page=service, action="steward.review.approve")
    assert sorted(e.data["organization"]["title"] for e in entries) == ["Delta Works", "Gamma Care"]


def test_editors_and_their_organizations_never_decide(client, world):
    u = world.users
    edit(client, u.member_b, world.service_a, alert="From Beta")
    service = world.service_a
    reviewer_b = u.member_b
    for user in (reviewer_b, u.member_a):
        client.force_login(user)
        response = client.post(review_url(service), {"action": "approve"})
        assert response.status_code == 403, user
    # A moderator who edited may not approve their own suggestion either.
    assert moderation.decision_error(service, u.moderator) is None
    edit(client, u.moderator, world.service_a, action=None, alert="From Beta, fixed")
    assert moderation.decision_error(service, u.moderator) is not None
    assert ServicePage.objects.get(pk=service.pk).alert == ""
    assert not ReviewDecision.objects.exists()


def test_rejection_needs_a_reason_and_returns_the_listing_to_live(client, world):
    u = world.users
    u.outsider.email = "outsider@example.org"
    u.outsider.save()
    edit(client, u.outsider, world.service_a, phones=["(312) 555-0166"])
    edit(client, u.member_b, world.service_a, action=None, alert="Stacked")
    service = world.service_a
    revisions_before = service.revisions.count()

    client.force_login(u.moderator)
    no_reason = client.post(review_url(service), {"action": "reject", "comment": "  "})
    assert no_reason.status_code == 400
    assert moderation.has_pending_changes(service)

    mail.outbox.clear()
    response = client.post(review_url(service), {"action": "reject", "comment": "Wrong number"})
    assert response.status_code == 302
    service = ServicePage.objects.get(pk=service.pk)
    assert not moderation.has_pending_changes(service)
    draft = latest(service)
    assert draft.alert == "" and phones_of(draft) == ["(312) 555-0101"]
    assert service.revisions.count() == revisions_before + 1  # the rejected ones stay
    assert not service.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=service, action="steward.review.reject").exists()
    # Both editors hear the reason: Wagtail mails the submitter, we mail the others.
    assert any("Wrong number" in m.body for m in mail.outbox)
    recipients = {r for m in mail.outbox for r in m.to}
    assert {"outsider@example.org", "member_b@example.org"} <= recipients

    client.force_login(u.outsider)
    editor = client.get(f"/admin/pages/{service.pk}/edit/")
    assert "Wrong number" in editor.content.decode()


def test_a_publisher_sees_the_pending_diff_first_and_publishing_counts_as_review(client, world):
    u = world.users
    edit(client, u.outsider, world.service_a, alert="Suggested")
    service = world.service_a

    client.force_login(u.member_a)
    response = client.get(f"/admin/pages/{service.pk}/edit/")
    assert response.status_code == 302 and response.url == review_url(service)
    assert client.get(f"/admin/pages/{service.pk}/edit/?reviewed=1").status_code == 200

    published = edit(client, u.member_a, service, "action-publish")
    assert published.status_code == 302, published.context["form"].errors
    service = ServicePage.objects.get(pk=service.pk)
    assert service.alert == "Suggested"
    assert not moderation.has_pending_changes(service)
    decision = ReviewDecision.objects.get()
    assert (decision.user, decision.by_publishing, decision.completes) == (u.member_a, True, True)
    entry = PageLogEntry.objects.get(page=service, action="steward.review.approve")
    assert entry.data["organization"]["title"] == "Alpha Aid"
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_APPROVED


def test_wagtails_workflow_actions_follow_the_same_rules(client, world):
    """The dashboard's "Awaiting your review" buttons post to Wagtail's workflow
    action view, which calls the task: the same rules hold there."""
    u = world.users
    edit(client, u.outsider, world.service_a, alert="Via menu")
    service = world.service_a
    task_state = moderation.pending_state(service).current_task_state
    url = f"/admin/pages/workflow/action/{service.pk}/%s/{task_state.pk}/"

    for user in (u.member_a, u.outsider):  # the listing's organization; the editor
        client.force_login(user)
        refused = client.post(url % "approve")
        assert (refused.status_code, refused.url) == (302, "/admin/")  # Wagtail's refusal
        assert moderation.has_pending_changes(service)
        assert not ReviewDecision.objects.exists()
    client.force_login(u.moderator)
    no_reason = client.post(url % "reject", {"comment": ""})
    assert no_reason.status_code < 500
    assert moderation.has_pending_changes(service)

    response = client.post(url % "approve", {"comment": ""})
    assert response.status_code in (200, 302)
    assert ServicePage.objects.get(pk=service.pk).alert == "Via menu"


def test_a_new_service_by_a_non_member_waits_for_review(client, world):
    client.force_login(world.users.outsider)
    org = world.org_a
    form = client.get(f"/admin/pages/add/directory/servicepage/{org.pk}/")
    assert form.status_code == 200
    data = service_form(ServicePage(title="New clinic", slug="new-clinic"))
    data["action-publish"] = "1"
    client.post(f"/admin/pages/add/directory/servicepage/{org.pk}/", data)
    created = ServicePage.objects.get(slug="new-clinic")
    assert not created.live
    data = service_form(latest(created))
    data["action-submit"] = "1"
    client.post(f"/admin/pages/{created.pk}/edit/", data)
    assert moderation.has_pending_changes(created)

    client.force_login(world.users.moderator)
    client.post(review_url(created), {"action": "approve"})
    assert ServicePage.objects.get(pk=created.pk).live


def test_an_accepted_suggestion_earns_its_editor_points_and_self_publishing_none(client, world):
    from review.models import LedgerEvent, Verification

    u = world.users
    edit(client, u.outsider, world.service_a, phones=["(312) 555-0144"])
    client.force_login(u.moderator)
    client.post(review_url(world.service_a), {"action": "approve"})

    event = LedgerEvent.objects.get(user=u.outsider)
    assert (event.kind, event.points) == ("edit_accepted", 5)
    verification = Verification.objects.get(page=world.service_a)
    assert "phone" in verification.fields and verification.approver == u.moderator

    edit(client, u.member_a, world.service_a, "action-publish", alert="Own edit")
    assert not LedgerEvent.objects.filter(user=u.member_a).exists()


def test_the_pending_list_shows_what_waits(client, world, django_assert_max_num_queries):
    u = world.users
    edit(client, u.outsider, world.service_a, alert="One")
    edit(client, u.outsider, world.service_b, alert="Two")
    client.force_login(u.moderator)
    with django_assert_max_num_queries(40):
        response = client.get("/admin/review/pending/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alpha pantry" in html and "Beta shelter" in html
    client.logout()
    assert client.get("/admin/review/pending/").status_code == 302
