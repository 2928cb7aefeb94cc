"""Issue 12, the suspected loop bug: a non-member's suggestion waits; a member of the
listing's organization then publishes a newer revision directly; a moderator approves
the old pending change afterwards. What goes live must be the member's revision, never
the older pending one (and with it a vandal's value). Through the real admin POSTs."""

from django.contrib.auth.models import Group

from wagtail.models import TaskState, WorkflowState

import pytest

from directory.models import Membership, ServicePage
from tests.factories import OrganizationFactory, make_service
from tests.review.editing import latest, service_form
from tests.roles import professional

pytestmark = pytest.mark.django_db

LIVE_PHONE = "(312) 555-0101"
VANDAL_PHONE = "(312) 555-0666"


@pytest.fixture
def org():
    return OrganizationFactory(title="Alpha Aid")


@pytest.fixture
def service(org):
    return make_service(organization=org, title="Alpha pantry", phones=(LIVE_PHONE,))


@pytest.fixture
def member(org):
    return professional(org, role=Membership.Role.MEMBER, username="member_a")


@pytest.fixture
def vandal():
    return professional(OrganizationFactory(title="Elsewhere"), username="vandal")


@pytest.fixture
def moderator():
    user = professional(username="moderator")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def post_edit(client, user, source, action, **changes):
    client.force_login(user)
    data = service_form(source, **changes)
    data[action] = "1"
    return client.post(f"/admin/pages/{source.pk}/edit/", data)


def live(service):
    page = ServicePage.objects.get(pk=service.pk)
    return page, [phone.display for phone in page.phones.all()]


@pytest.fixture
def suggested(client, service, vandal):
    """The vandal's suggestion is waiting on "Pending changes"."""
    response = post_edit(client, vandal, latest(service), "action-submit", phones=[VANDAL_PHONE])
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(service.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert live(service)[1] == [LIVE_PHONE]
    return state


@pytest.mark.parametrize(
    "source",
    ["live", "draft"],
    ids=["member-edits-the-live-version", "member-edits-the-pending-draft-view"],
)
def test_a_moderators_late_approval_never_publishes_the_older_pending_revision(
    client, service, member, moderator, suggested, source
):
    # The member publishes their own correction of the website. "live": their form is
    # the live listing (the phone field untouched, so the vandal's phone is not in it).
    # "draft": the editor shows the pending draft; the member corrects the phone too.
    base = ServicePage.objects.get(pk=service.pk) if source == "live" else latest(service)
    changes = {"website": "https://alpha.example.org/new"}
    if source == "draft":
        changes["phones"] = [LIVE_PHONE]
    response = post_edit(client, member, base, "action-publish", **changes)
    assert response.status_code == 302
    page, phones = live(service)
    assert page.website == "https://alpha.example.org/new"
    assert phones == [LIVE_PHONE]
    member_revision = page.live_revision_id
    suggested.refresh_from_db()
    assert suggested.status != WorkflowState.STATUS_IN_PROGRESS  # the publish ended it

    # The moderator, on the review screen opened before, approves "the pending change".
    client.force_login(moderator)
    response = client.post(f"/admin/review/pending/{service.pk}/", {"action": "approve"})
    assert response.status_code in (302, 403)
    # ... and through Wagtail's own workflow action, with the old task state.
    task_state = TaskState.objects.filter(workflow_state=suggested).order_by("pk").last()
    response = client.post(
        f"/admin/pages/{service.pk}/workflow/action/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code < 500

    page, phones = live(service)
    assert phones == [LIVE_PHONE], "the vandal's older pending phone went live"
    assert page.website == "https://alpha.example.org/new"
    assert page.live_revision_id == member_revision


def test_a_later_suggestion_stacks_on_the_member_revision_not_on_the_vandal_draft(
    client, service, member, moderator, suggested
):
    """After the member's publish, a new suggestion starts from what is live: approving
    it publishes the new suggestion and the member's change, not the vandal's phone."""
    post_edit(
        client,
        member,
        ServicePage.objects.get(pk=service.pk),
        "action-publish",
        website="https://alpha.example.org/new",
    )
    helper = professional(OrganizationFactory(title="Gamma Care"), username="helper")
    response = post_edit(
        client, helper, latest(service), "action-submit", email="desk@alpha.example.org"
    )
    assert response.status_code == 302
    client.force_login(moderator)
    response = client.post(f"/admin/review/pending/{service.pk}/", {"action": "approve"})
    assert response.status_code == 302
    page, phones = live(service)
    assert page.email == "desk@alpha.example.org"
    assert page.website == "https://alpha.example.org/new"
    assert phones == [LIVE_PHONE]
