"""Application flows never update or delete a published or submitted revision, or a
history row: edit, submit, approve, reject, revert, rollback, lock and merge each
only add rows."""

from django.contrib.auth.models import Group

from wagtail.models import GroupApprovalTask, Revision, Workflow, WorkflowPage, WorkflowTask

import pytest
from simple_history.models import registered_models

from history.actions import revert_to, rollback_run
from review.moderation.locks import lock, unlock
from review.moderation.merge import merge_listings
from tests.factories import make_service
from tests.history.conftest import edit, set_phone
from tests.history.test_write_paths import request_by

pytestmark = pytest.mark.django_db


def revision_snapshot():
    return {
        row["pk"]: row
        for row in Revision.objects.values(
            "pk", "content", "created_at", "user_id", "object_id", "approved_go_live_at"
        )
    }


def history_snapshot():
    snapshot = {}
    for model in registered_models.values():
        history = model.history.model
        for row in history.objects.values():
            snapshot[(history._meta.label, row["history_id"])] = row
    return snapshot


def assert_only_added(before, after, what):
    missing = set(before) - set(after)
    assert not missing, f"{what} deleted: {sorted(missing)[:5]}"
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"{what} changed in place: {changed[:5]}"


def decide(state, user, action):
    state.refresh_from_db()
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(task_state, user, action)


@pytest.fixture
def review_workflow(service, moderator):
    """Wagtail's own moderation (one group approval) on the listing's organization."""
    workflow = Workflow.objects.create(name="Moderators approve")
    task = GroupApprovalTask.objects.create(name="Moderators")
    task.groups.set([Group.objects.get(name="Moderators")])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=service.get_parent())
    return workflow


def test_the_flows_only_add_revisions_and_history_rows(
    service, member, moderator, professional, review_workflow, home
):
    duplicate = make_service(title="Copy", organization=service.get_parent().specific)
    revisions, history = revision_snapshot(), history_snapshot()

    def step(name, action):
        nonlocal revisions, history
        action()
        now_revisions, now_history = revision_snapshot(), history_snapshot()
        assert_only_added(revisions, now_revisions, f"revisions ({name})")
        assert_only_added(history, now_history, f"history rows ({name})")
        revisions, history = now_revisions, now_history

    good = type(service).objects.get(pk=service.pk).live_revision

    step("edit", lambda: edit(service, member, set_phone("312-555-0199")))

    def submit_and_approve():
        page = service.get_latest_revision_as_object()
        page.alert = "Closed Monday"
        page.save_revision(user=member)
        decide(review_workflow.start(page, member), moderator, "approve")

    step("submit and approve", submit_and_approve)

    def submit_and_reject():
        page = service.get_latest_revision_as_object()
        page.alert = "Vandal text"
        page.save_revision(user=member)
        decide(review_workflow.start(page, member), moderator, "reject")

    step("submit and reject", submit_and_reject)
    step("revert", lambda: revert_to(page=service, revision=good, user=moderator))
    step(
        "vandal run",
        lambda: [edit(service, member, set_phone(f"312-555-066{n}")) for n in range(3)],
    )
    step("rollback", lambda: rollback_run(page=service, editor=member, user=moderator))

    def lock_and_merge():
        with request_by(moderator):
            lock(page=service, user=moderator, reason="vandalism")
            unlock(page=service, user=moderator)
            merge_listings(survivor=service, duplicate=duplicate, user=moderator)

    step("lock and merge", lock_and_merge)
