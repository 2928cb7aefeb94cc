"""The after-publish hook point: every published change, whatever path it took.

Wagtail fires `page_published` (before it logs the publish, so the latest
publish log entry is the previous one) for a member's direct publish, an approval, a
revert, a rollback and an import alike. Directory turns it into its own hook
point, `steward_after_publish`, so other apps (review: freshness and reputation)
plug in without directory importing them. Each registered function is called
with one `PublishedChange`.

Who made the published content (the editors) is, by default, everyone whose
revision came after the version that was live before, up to the published one.
A caller that knows better (a revert or rollback restores an older version: the
undone revisions are not its content) says so with `published_by(...)`.

Pages created and published in bulk (the importer's new listings,
directory/hsds/bulk.py) do not go through Wagtail's publish, so they send
`pages_published_in_bulk` once per batch instead of `page_published` per page.
Its receivers are the same: `after_bulk_publish` calls the after-publish hook for
each page (a first publish: no previous revision), and the page cache drops their
listings (directory/apps.py). Search needs no receiver on either signal: pages are
indexed on save (post_save), which the importer replaces with one batch indexing.
"""

import contextlib
import contextvars
from dataclasses import dataclass

from django.dispatch import Signal
from django.utils import timezone

from wagtail import hooks
from wagtail.log_actions import get_active_log_context
from wagtail.models import PageLogEntry, Revision

AFTER_PUBLISH_HOOK = "steward_after_publish"

_context = contextvars.ContextVar("steward_published_by", default=None)

# Sent with pages=[specific pages, as published] and revisions=[their live
# revisions, in the same order], after their rows are written (in the writer's
# transaction, as page_published is sent within publish()).
pages_published_in_bulk = Signal()


@dataclass(frozen=True)
class PublishedChange:
    page: object  # the specific page, as published
    revision: Revision  # the revision now live
    previous: Revision | None  # the revision live before (None: first publish)
    user: object  # who published (None: an import or a script)
    editors: tuple  # the revisions whose authors made this content, oldest first
    at: object  # when


@contextlib.contextmanager
def published_by(*, user=None, revisions=None):
    """Within this block, a publish is by `user` and credits its content to the
    authors of `revisions` (either may be left to the defaults)."""
    context = dict(_context.get() or {})
    if user is not None:
        context["user"] = user
    if revisions is not None:
        context["revisions"] = tuple(revisions)
    token = _context.set(context)
    try:
        yield
    finally:
        _context.reset(token)


def previous_live_revision(page, revision):
    """The revision that was live before `revision` was published (from Wagtail's
    publish log entries), or None."""
    entry = (
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish")
        .exclude(revision_id=revision.pk)
        .exclude(revision__isnull=True)
        .order_by("-timestamp", "-pk")
        .select_related("revision")
        .first()
    )
    return entry.revision if entry else None


def _default_editors(page, revision, previous):
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).select_related("user")
    if previous is not None:
        revisions = revisions.filter(created_at__gt=previous.created_at)
    revisions = revisions.filter(created_at__lte=revision.created_at).order_by("created_at", "pk")
    found = [r for r in revisions if r.pk != revision.pk]
    return (*found, revision)


def after_publish(sender, instance, revision, **kwargs):
    """`page_published` receiver: build the change and call every hook."""
    if revision is None:
        return
    previous = previous_live_revision(instance, revision)
    context = _context.get() or {}
    editors = context.get("revisions")
    if editors is None:
        editors = _default_editors(instance, revision, previous)
    change = PublishedChange(
        page=instance,
        revision=revision,
        previous=previous,
        user=context.get("user") or _publisher(),
        editors=editors,
        at=timezone.now(),
    )
    for fn in hooks.get_hooks(AFTER_PUBLISH_HOOK):
        fn(change)


def _publisher():
    """Who published: the user of the active log context (Wagtail sets it for every
    admin view), or None (an import, a script)."""
    log_context = get_active_log_context()
    return getattr(log_context, "user", None) if log_context else None


def after_bulk_publish(sender, pages, revisions, **kwargs):
    """`pages_published_in_bulk` receiver: each page's first publish, to every
    after-publish hook, as `after_publish` gives a page published alone."""
    fns = hooks.get_hooks(AFTER_PUBLISH_HOOK)
    if not fns:
        return
    context = _context.get() or {}
    user = context.get("user") or _publisher()
    at = timezone.now()
    for page, revision in zip(pages, revisions, strict=True):
        change = PublishedChange(
            page=page, revision=revision, previous=None, user=user, editors=(revision,), at=at
        )
        for fn in fns:
            fn(change)
