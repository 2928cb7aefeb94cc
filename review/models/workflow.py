"""Pending changes on Wagtail's own workflow (DESIGN.md §4, "Pending changes").

One task, "Pending changes": a listing edited by someone who may not publish it
waits here. Who may decide, and what a decision does, lives in review.moderation.actions;
the task only connects Wagtail's workflow buttons to it, so the rules hold for
every way in (the editor's workflow menu, the dashboard, crafted POSTs).
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.forms import TaskStateCommentForm
from wagtail.models import Task, TaskState

from simple_history.models import HistoricalRecords


class RejectionReasonForm(TaskStateCommentForm):
    comment = forms.CharField(
        label=_("Reason (the editors see it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the changes are rejected; the editors see it.")},
    )


class PendingChangesTask(Task):
    """Approved by one moderator, or by two reviewers of two organizations other
    than the editors' (review.moderation.actions). Never locks the listing: a second
    contributor edits on top of the pending draft and their revision stacks."""

    class Meta:
        verbose_name = "pending changes review"
        verbose_name_plural = "pending changes reviews"

    @classmethod
    def get_description(cls):
        return (
            "One moderator, or two reviewers from two organizations other than the "
            "editors', approve; a rejection needs a reason."
        )

    def user_can_access_editor(self, obj, user):
        return False

    def locked_for_user(self, obj, user):
        return False

    def get_actions(self, obj, user):
        from review.moderation.actions import decision_error

        if decision_error(obj, user) is not None:
            return []
        return [
            ("reject", "Reject with reason", True),
            ("approve", "Approve", False),
            ("approve", "Approve with comment", True),
        ]

    def get_form_for_action(self, action):
        return RejectionReasonForm if action == "reject" else TaskStateCommentForm

    def on_action(self, task_state, user, action_name, **kwargs):
        from review.moderation import actions as moderation

        obj = task_state.workflow_state.content_object
        obj = getattr(obj, "specific", obj)
        comment = kwargs.get("comment", "") or ""
        if action_name == "approve":
            moderation.approve(page=obj, user=user, comment=comment)
        elif action_name == "reject":
            moderation.reject(page=obj, user=user, reason=comment)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from review.policy import is_reviewer

        if is_reviewer(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()


class ReviewDecision(models.Model):
    """One reviewer's approval or rejection of a pending draft, as it stood
    (the latest revision when they decided). Rows are only ever added."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")

    task_state = models.ForeignKey(
        "wagtailcore.TaskState", on_delete=models.PROTECT, related_name="steward_decisions"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="steward_decisions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions"
    )
    organization = models.ForeignKey(
        "directory.OrganizationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organization the reviewer acted for.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    as_moderator = models.BooleanField(default=False)
    by_publishing = models.BooleanField(
        default=False, help_text="A publisher published the pending draft: their review."
    )
    comment = models.TextField(blank=True)
    restored_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a rejection: the new revision that returned the listing to live.",
    )
    completes = models.BooleanField(
        default=False, help_text="This decision ended the review (published or rejected)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.user} ({self.created_at:%Y-%m-%d})"
