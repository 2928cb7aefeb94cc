"""Pending changes: who may decide, approval, rejection (DESIGN.md §4).

A listing (service, organization or location) edited by someone who may not
publish it waits on the "Pending changes" workflow. Everyone's later edits stack
on the pending draft, each revision keeping its author. A decision covers the
latest revision: one moderator decides alone; otherwise two reviewers of two
organizations other than the listing's and the editors' must agree. No editor,
and no member of an editor's organization, ever decides. Every decision is a
ReviewDecision row (with history) and an entry in Wagtail's audit log.

`approve` and `reject` are the domain verbs every view and the workflow task call.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from wagtail.log_actions import log
from wagtail.models import Page, Revision, WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from directory.accounts import mail
from directory.links import public_url
from directory.members import (
    acting_organization,
    current_organizations,
    organization_data,
    organization_of,
)
from directory.models import Location, RevisionOrganization
from directory.publishing import published_by
from review.models import PendingChangesTask, ReviewDecision
from review.policy import can_review, is_active, is_moderator

Kind = ReviewDecision.Kind


def _specific(obj):
    return obj.specific if isinstance(obj, Page) else obj


def listing_organization(obj):
    """The organization whose members publish this object."""
    obj = _specific(obj)
    if isinstance(obj, Location):
        return obj.organization
    return organization_of(obj)


def pending_state(obj):
    """The in-progress "Pending changes" workflow state of this object, or None."""
    obj = _specific(obj)
    state = (
        WorkflowState.objects.for_instance(obj)
        .filter(status=WorkflowState.STATUS_IN_PROGRESS)
        .select_related("current_task_state__task", "requested_by")
        .first()
    )
    if state is None or state.current_task_state is None:
        return None
    if state.current_task_state.task.specific_class is not PendingChangesTask:
        return None
    return state


def has_pending_changes(obj):
    return pending_state(obj) is not None


def _review_base(obj):
    """When the pending run of revisions starts: after the live revision and
    after the last rejection's restoring revision."""
    obj = _specific(obj)
    moments = []
    live_revision = getattr(obj, "live_revision", None)
    if live_revision is not None:
        moments.append((live_revision.created_at, live_revision.pk))
    last_rejection = (
        ReviewDecision.objects.filter(
            task_state__workflow_state__in=WorkflowState.objects.for_instance(obj),
            kind=Kind.REJECT,
            completes=True,
            restored_revision__isnull=False,
        )
        .select_related("restored_revision")
        .order_by("-created_at")
        .first()
    )
    if last_rejection is not None:
        restored = last_rejection.restored_revision
        moments.append((restored.created_at, restored.pk))
    return max(moments) if moments else None


def pending_revisions(obj):
    """The revisions under review, oldest first, each with its author."""
    obj = _specific(obj)
    revisions = (
        Revision.objects.for_instance(obj).select_related("user").order_by("created_at", "pk")
    )
    base = _review_base(obj)
    if base is None:
        return list(revisions)
    created_at, pk = base
    return [r for r in revisions.filter(created_at__gte=created_at) if (r.created_at, r.pk) > base]


def editors(revisions):
    seen = {}
    for revision in revisions:
        if revision.user_id and revision.user_id not in seen:
            seen[revision.user_id] = revision.user
    return list(seen.values())


def _revision_organizations(revisions):
    """{revision pk: organization acted for}, where accounts records it."""
    rows = RevisionOrganization.objects.filter(
        revision__in=[r.pk for r in revisions]
    ).select_related("organization")
    return {row.revision_id: row.organization for row in rows}


def editor_organizations(revisions):
    """Every organization an editor acted for or belongs to: none of them may review."""
    organizations = {}
    for organization in _revision_organizations(revisions).values():
        if organization is not None:
            organizations[organization.pk] = organization
    for user in editors(revisions):
        for organization in current_organizations(user):
            organizations[organization.pk] = organization
    return list(organizations.values())


def attributed_revisions(obj):
    """[(revision, organization acted for or None)] for the review screen."""
    revisions = pending_revisions(obj)
    acted_for = _revision_organizations(revisions)
    return [(revision, acted_for.get(revision.pk)) for revision in revisions]


def _decisions_on(state, revision):
    return ReviewDecision.objects.filter(
        task_state_id=state.current_task_state_id, revision=revision
    )


def decision_error(obj, user, *, organization=None):
    """Why this user may not approve or reject the pending changes now; None if they may."""
    obj = _specific(obj)
    if not is_active(user):
        return gettext("Sign in to review changes.")
    state = pending_state(obj)
    if state is None:
        return gettext("There are no pending changes to review.")
    revisions = pending_revisions(obj)
    if any(revision.user_id == user.pk for revision in revisions):
        return gettext("You edited these changes, so someone else reviews them.")
    if is_moderator(user):
        return None
    listing = listing_organization(obj)
    others = editor_organizations(revisions)
    if listing is None or not can_review(user, listing, editor_organizations=others):
        return gettext(
            "Only a moderator, or a reviewer from an organization other than the "
            "listing's and the editors', may decide on these changes."
        )
    acting = organization or acting_organization(user)
    if acting is None:
        return gettext("Reviewers act for an organization: join one first.")
    if acting.pk == listing.pk or acting.pk in {o.pk for o in others}:
        return gettext(
            "You act for the listing's or an editor's organization, so you may not review."
        )
    if not revisions:
        return gettext("There are no pending changes to review.")
    decided = _decisions_on(state, revisions[-1])
    if decided.filter(user=user).exists():
        return gettext(
            "You have already reviewed this version; a reviewer from another "
            "organization decides next."
        )
    if decided.filter(organization=acting).exists():
        return gettext(
            "A reviewer from %(organization)s has already reviewed this version; the "
            "second review must come from another organization."
        ) % {"organization": acting.title}
    return None


def _locked_state(obj):
    state = pending_state(obj)
    if state is None:
        return None
    # No join: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return WorkflowState.objects.select_for_update().get(pk=state.pk)


def _completes(state, revision, kind, user, organization):
    if is_moderator(user):
        return True
    agreeing = {
        d.organization_id
        for d in _decisions_on(state, revision).filter(kind=kind, organization__isnull=False)
    }
    agreeing.add(organization.pk)
    return len(agreeing) >= 2


# Bookkeeping in a revision's content, not what the listing says.
NOT_CONTENT = {
    "pk",
    "id",
    "path",
    "depth",
    "numchild",
    "url_path",
    "draft_title",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "latest_revision",
    "latest_revision_created_at",
    "live_revision",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "content_type",
    "translation_key",
    "locale",
    "expired",
    "alias_of",
    "uuid",
    "comments",
    "wagtail_admin_comments",
}
CHILD_BOOKKEEPING = {"pk", "id", "uuid", "sort_order", "service", "location_ptr", "source_id"}


def _comparable(value):
    if isinstance(value, list):
        return [
            {k: v for k, v in row.items() if k not in CHILD_BOOKKEEPING}
            if isinstance(row, dict)
            else row
            for row in value
        ]
    return value


def changed_fields(obj, revisions):
    """Names of the fields and child lists (phones, hours, ...) that differ
    between the live version and the latest draft."""
    if not revisions:
        return []
    obj = _specific(obj)
    live_revision = getattr(obj, "live_revision", None)
    before = live_revision.content if live_revision is not None else {}
    return changed_between(before, revisions[-1].content)


def changed_between(before, after):
    """Names of the fields and child lists that differ between two revisions'
    content (dicts)."""
    names = []
    for key in sorted(set(before) | set(after)):
        if key in NOT_CONTENT:
            continue
        if _comparable(before.get(key)) != _comparable(after.get(key)):
            names.append(key)
    return names


@transaction.atomic
def approve(*, page, user, comment="", organization=None):
    """Approve the pending draft as it stands (its latest revision). Publishes it
    when this decision completes the review. Raises PermissionDenied with the
    reason when the user may not decide."""
    obj = _specific(page)
    state = _locked_state(obj)
    error = decision_error(obj, user, organization=organization)
    if error:
        raise PermissionDenied(error)
    revisions = pending_revisions(obj)
    latest = revisions[-1]
    acting = organization or acting_organization(user)
    completes = _completes(state, latest, Kind.APPROVE, user, acting)
    decision = _record_decision(
        state, latest, user, acting, Kind.APPROVE, comment=comment, completes=completes
    )
    task_state = decision.task_state
    log(
        instance=obj,
        action="steward.review.approve",
        user=user,
        revision=latest,
        data={
            "organization": organization_data(acting),
            "complete": completes,
            "fields": changed_fields(obj, revisions),
        },
    )
    if completes:
        _finish(obj, state, task_state, latest, user, comment, revisions)
    return decision


def _record_decision(state, latest, user, acting, kind, **details):
    """The row every verdict writes (approve, approve by publishing, reject), on the
    workflow's current task, for the latest pending revision."""
    return ReviewDecision.objects.create(
        task_state=state.current_task_state.specific,
        revision=latest,
        user=user,
        organization=acting,
        kind=kind,
        as_moderator=is_moderator(user),
        **details,
    )


def _finish(obj, state, task_state, latest, user, comment, revisions):
    """Complete the workflow and publish the latest revision. Approval is the
    permission: the reviewer need not be able to publish."""
    if task_state.revision_id != latest.pk:
        task_state.revision = latest
        task_state.save(update_fields=["revision"])
    task_state.approve(user=user, update=False, comment=comment)
    state.status = WorkflowState.STATUS_APPROVED
    state.save(update_fields=["status"])
    # The after-publish hook records the accepted edit (freshness, reputation).
    with published_by(user=user, revisions=revisions):
        latest.publish(user=user, skip_permission_checks=True)
    workflow_approved.send(sender=WorkflowState, instance=state, user=user)


@transaction.atomic
def approve_by_publishing(*, page, user, organization=None):
    """A publisher published a listing with pending changes: that is their review.
    Completes the workflow (without publishing: the caller publishes) and logs an
    approval. Returns the decision, or None when nothing was pending."""
    obj = _specific(page)
    state = _locked_state(obj)
    if state is None:
        return None
    revisions = pending_revisions(obj)
    if not revisions:
        return None
    latest = revisions[-1]
    acting = organization or acting_organization(user)
    fields = changed_fields(obj, revisions)
    decision = _record_decision(
        state, latest, user, acting, Kind.APPROVE, by_publishing=True, completes=True
    )
    task_state = decision.task_state
    task_state.revision = latest
    task_state.save(update_fields=["revision"])
    task_state.approve(user=user, update=False, comment="Published by a publisher.")
    state.status = WorkflowState.STATUS_APPROVED
    state.save(update_fields=["status"])
    log(
        instance=obj,
        action="steward.review.approve",
        user=user,
        revision=latest,
        data={
            "organization": organization_data(acting),
            "complete": True,
            "by_publishing": True,
            "fields": fields,
        },
    )
    # The caller's publish passes through the after-publish hook, which records
    # the accepted edit.
    return decision


@transaction.atomic
def reject(*, page, user, reason, organization=None):
    """Reject the pending draft: the editors see the reason (in the editor and by
    email) and the listing returns to its live version in a new revision; the
    rejected revisions stay in the history. Raises ValidationError without a
    reason, PermissionDenied when the user may not decide."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Say why the changes are rejected; the editors see it."))
    obj = _specific(page)
    state = _locked_state(obj)
    error = decision_error(obj, user, organization=organization)
    if error:
        raise PermissionDenied(error)
    revisions = pending_revisions(obj)
    latest = revisions[-1]
    acting = organization or acting_organization(user)
    completes = _completes(state, latest, Kind.REJECT, user, acting)
    decision = _record_decision(
        state, latest, user, acting, Kind.REJECT, comment=reason, completes=completes
    )
    task_state = decision.task_state
    log(
        instance=obj,
        action="steward.review.reject",
        user=user,
        revision=latest,
        data={"organization": organization_data(acting), "complete": completes},
    )
    if completes:
        task_state.reject(user=user, update=False, comment=reason)
        state.status = WorkflowState.STATUS_NEEDS_CHANGES
        state.save(update_fields=["status"])
        workflow_rejected.send(sender=WorkflowState, instance=state, user=user)
        decision.restored_revision = _restore_live(obj, user)
        decision.save()
        _tell_editors(obj, state, revisions, user, reason)
    return decision


def _restore_live(obj, user):
    """A new latest revision copying the live version; None for a listing never
    published (its draft simply stays unpublished). A location's row always
    holds its live version; a page's live version is its live revision."""
    if not getattr(obj, "live", False):
        return None
    if isinstance(obj, Page):
        if obj.live_revision is None:
            return None
        copy = obj.live_revision.as_object()
    else:
        copy = type(obj).objects.get(pk=obj.pk)
    revision = copy.save_revision(user=user, log_action=True, clean=False)
    copy.has_unpublished_changes = False
    if isinstance(copy, Page):
        copy.save(update_fields=["has_unpublished_changes"], clean=False)
    else:
        copy.save(update_fields=["has_unpublished_changes"])
    return revision


def _edit_url(obj):
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    return reverse("wagtailsnippets_directory_location:edit", args=[obj.pk])


def _tell_editors(obj, state, revisions, user, reason):
    """Wagtail mails the one who submitted; the editors who stacked on it hear too,
    each in their own language."""
    recipients = [
        editor
        for editor in editors(revisions)
        if editor.email and editor.pk not in (user.pk, state.requested_by_id)
    ]
    mail.send(
        recipients,
        "review/email/rejected",
        {
            "title": getattr(obj, "title", None) or str(obj),
            "reason": reason,
            "link": public_url(_edit_url(obj)),
        },
    )


def last_rejection(obj):
    """The decision that last rejected this object's pending changes, while the
    workflow still waits for changes (shown to editors in the editor)."""
    obj = _specific(obj)
    state = (
        WorkflowState.objects.for_instance(obj)
        .filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .first()
    )
    if state is None:
        return None
    return (
        ReviewDecision.objects.filter(
            task_state__workflow_state=state, kind=Kind.REJECT, completes=True
        )
        .select_related("user", "organization")
        .order_by("-created_at")
        .first()
    )
