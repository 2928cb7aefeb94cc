"""Revert and rollback: undoing edits without losing any.

Both make a NEW revision from an older one; no revision is ever edited or
deleted, so what was undone stays in the history. Each runs in one
transaction, checks permission, writes the revision, Wagtail's log entry and,
where the undone edits were wrong, the reputation event of DESIGN.md §4.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wagtail.log_actions import log
from wagtail.models import Page, Revision

from directory.accounts.revisions import record_revision_organization
from directory.members import acting_organization, organization_data
from directory.models import LISTING_TYPES, RevisionOrganization
from directory.publishing import published_by
from review.moderation.locks import can_edit_locked, is_locked
from review.policy import can_publish, can_rollback, is_active, is_moderator
from review.trust.ledger import record_event


class HistoryError(ValueError):
    """The action cannot be done; the message says why, for a person to read."""


def can_revert(user, page):
    """Anyone who may edit the listing may revert it: the new revision then goes
    through the same review as any edit by them. A locked listing only by those
    who may edit it locked (moderators)."""
    if not is_active(user):
        return False
    if is_locked(page) and not can_edit_locked(user, page):
        return False
    if is_moderator(user):
        return True
    return page.permissions_for_user(user).can_edit()


def _listing(page):
    page = page.specific
    if not isinstance(page, LISTING_TYPES):
        raise HistoryError(gettext("Only services and organizations have a history to revert."))
    # Lock the row: two people undoing at once must not interleave their revisions.
    return type(page).objects.select_for_update().get(pk=page.pk)


def _restored(revision):
    """The listing as `revision` held it, ready to be saved as a new revision."""
    try:
        return revision.as_object()
    except Exception as exc:  # noqa: BLE001 - e.g. a location it names was deleted since
        raise HistoryError(
            gettext(
                "That version cannot be restored: it refers to something that no longer "
                "exists (%(error)s)."
            )
            % {"error": exc}
        ) from exc


def _save(restored, user):
    try:
        return restored.save_revision(user=user, log_action=False)
    except ValidationError as exc:
        messages = "; ".join(exc.messages)
        raise HistoryError(
            gettext("That version is no longer valid: %(problems)s") % {"problems": messages}
        ) from exc


def _publish_or_submit(page, revision, user):
    """Publish when the user may publish this listing; otherwise the new revision is
    a suggestion like any edit of theirs (it starts the listing's workflow, or
    stacks on the one under way)."""
    if can_publish(user, page):
        # The restored content is the user's own edit, not the undone revisions'.
        with published_by(user=user, revisions=[revision]):
            revision.publish(user=user, skip_permission_checks=True)
        return True
    workflow = page.get_workflow()
    if workflow is not None and not page.workflow_in_progress:
        workflow.start(page, user)
    return False


def _record_reverted(*, editor, page, organization, note):
    """The editor's reputation event `edit_reverted` (−10), through the trust ledger."""
    record_event(user=editor, kind="edit_reverted", page=page, organization=organization, note=note)


def _record_organization(revision, user, organization):
    """Which organization the new revision was made for (RevisionOrganization)."""
    if organization is None:
        return record_revision_organization(revision, user)
    return RevisionOrganization.objects.get_or_create(
        revision_id=revision.pk, defaults={"organization": organization, "user": user}
    )[0]


def _revision_data(revision):
    return {"id": revision.pk, "created": revision.created_at.isoformat()}


@transaction.atomic
def revert_to(*, page, revision, user, reason="", wrong=False, organization=None):
    """Make the listing as `revision` held it again, as a new revision.

    Published at once when the user may publish this listing; otherwise submitted
    for review. With `wrong`, each other editor whose revisions are undone gets
    the `edit_reverted` reputation event. Returns the new revision.
    """
    page = _listing(page)
    if not can_revert(user, page):
        raise PermissionDenied(gettext("You may not revert this listing."))
    if revision.object_id != str(page.pk) or revision.base_content_type_id != (
        page.get_base_content_type().pk
    ):
        raise HistoryError(gettext("That version belongs to another listing."))
    latest = page.get_latest_revision()
    if latest is not None and latest.pk == revision.pk:
        raise HistoryError(gettext("That is already the latest version."))
    undone = list(
        Revision.page_revisions.filter(object_id=str(page.pk), created_at__gt=revision.created_at)
        .exclude(pk=revision.pk)
        .values_list("user_id", flat=True)
    )
    organization = organization or acting_organization(user)
    new = _save(_restored(revision), user)
    _record_organization(new, user, organization)
    published = _publish_or_submit(page, new, user)
    log(
        instance=page,
        action="steward.revert",
        user=user,
        revision=new,
        data={
            "organization": organization_data(organization),
            "restored": _revision_data(revision),
            "published": published,
            "wrong": bool(wrong),
            "reason": reason,
        },
    )
    if wrong:
        editors = {pk for pk in undone if pk and pk != user.pk}
        for editor in type(user).objects.filter(pk__in=editors):
            _record_reverted(
                editor=editor, page=page, organization=organization, note="reverted as wrong"
            )
    return new


def editor_run(page, editor):
    """The latest revisions of `page` made one after another by `editor`, newest
    first, and the revision just before them (None when there is none)."""
    run = []
    before = None
    for revision in Revision.page_revisions.filter(object_id=str(page.pk)).order_by(
        "-created_at", "-pk"
    ):
        if revision.user_id == editor.pk and before is None:
            run.append(revision)
            continue
        before = revision
        break
    return run, before


@transaction.atomic
def rollback_run(*, page, editor, user, wrong=True, reason="", organization=None):
    """Undo in one action the whole run of `editor`'s latest edits on `page`.

    The version before their run becomes the live version again, in a new
    revision (moderators and users with the rollback privilege publish it
    directly). With `wrong` (the vandalism case), the editor gets the
    `edit_reverted` reputation event. Returns the new revision.
    """
    page = _listing(page)
    if not can_rollback(user, page):
        raise PermissionDenied(gettext("You may not roll back edits on this listing."))
    run, before = editor_run(page, editor)
    if not run:
        raise HistoryError(
            gettext(
                "The latest edit of this listing is not by %(editor)s; "
                "there is nothing of theirs to roll back."
            )
            % {"editor": editor.get_username()}
        )
    if before is None:
        raise HistoryError(
            gettext(
                "Every version of this listing is theirs: there is no earlier version to go "
                "back to. Remove the listing instead."
            )
        )
    organization = organization or acting_organization(user)
    new = _save(_restored(before), user)
    _record_organization(new, user, organization)
    with published_by(user=user, revisions=[new]):
        new.publish(user=user, skip_permission_checks=True)
    made_for = RevisionOrganization.objects.filter(revision_id=run[0].pk).first()
    editor_organization = made_for.organization if made_for else None
    log(
        instance=page,
        action="steward.rollback",
        user=user,
        revision=new,
        data={
            "organization": organization_data(organization),
            "editor": {"id": editor.pk},
            "editor_organization": organization_data(editor_organization),
            "revisions": [r.pk for r in run],
            "restored": _revision_data(before),
            "wrong": bool(wrong),
            "reason": reason,
        },
    )
    if wrong and editor.pk != user.pk:
        _record_reverted(
            editor=editor,
            page=page,
            organization=editor_organization,
            note=f"rolled back ({len(run)} revisions)",
        )
    return new


# A run across listings: the editor's edits still on top of each listing, made
# within this span before their latest edit (a vandal's spree takes hours; older
# edits of theirs are not part of it).
RUN_SPAN = dt.timedelta(hours=24)


@dataclass
class ListingRun:
    page: object
    run: list  # the editor's revisions on top of the listing, newest first
    before: object  # the revision their run started from


def runs_across_listings(editor, user, *, span=RUN_SPAN):
    """Every listing where `editor`'s latest run of edits is still on top, made
    within `span` before their latest edit, that `user` may roll back; by title."""
    theirs = Revision.page_revisions.filter(user=editor)
    latest = theirs.order_by("-created_at").values_list("created_at", flat=True).first()
    if latest is None:
        return []
    page_ids = {
        int(pk)
        for pk in theirs.filter(created_at__gte=latest - span)
        .values_list("object_id", flat=True)
        .distinct()
    }
    runs = []
    for page in Page.objects.filter(pk__in=page_ids).specific().order_by("title", "pk"):
        if not isinstance(page, LISTING_TYPES) or not can_rollback(user, page):
            continue
        run, before = editor_run(page, editor)
        if run and before is not None and run[0].created_at >= latest - span:
            runs.append(ListingRun(page, run, before))
    return runs


@transaction.atomic
def rollback_runs(*, pages, editor, user, wrong=False, reason="", organization=None):
    """Roll back `editor`'s run on each of `pages` in one transaction: each listing
    gets its own new revision; if one cannot be rolled back, none is."""
    if not pages:
        raise HistoryError(gettext("Tick at least one listing to roll back."))
    return [
        rollback_run(
            page=page,
            editor=editor,
            user=user,
            wrong=wrong,
            reason=reason,
            organization=organization,
        )
        for page in pages
    ]
