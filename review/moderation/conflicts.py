"""Refusing saves made on an out-of-date copy (DESIGN.md §4), with or without JavaScript.

Wagtail's edit form carries the revision it was loaded from (`loaded_revision_id`,
`loaded_revision_created_at`, and `overwrite_revision_id` once autosave has run),
but Wagtail refuses stale saves only for autosave (JSON) requests. Here every
form POST is checked the same way: if someone else saved a newer revision since
the editor's copy was loaded, the submitter's values are kept as a revision that
does not become the latest (both versions stay in the history, no existing
revision is touched) and the editor is shown the other change.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from directory.members import acting_organization


@dataclass
class Conflict:
    """What the editor is shown: the revision their copy was loaded from, the newer
    revisions others saved since, and (when their values were valid) the copy kept."""

    obj: object
    loaded: Revision | None
    latest: Revision
    newer: list = field(default_factory=list)
    kept: Revision | None = None


def newer_revisions_by_others(obj, post, user):
    """The revisions others saved since the copy in `post` was loaded; [] when the copy
    is current, or when the POST does not say what it was loaded from (a crafted POST
    without the hidden fields is judged as Wagtail judges it: up to date)."""
    latest = obj.latest_revision
    if latest is None:
        return []
    revisions = obj.revisions.all()

    def others_since(revision):
        since = revisions.filter(Q(pk__gt=revision.pk) | Q(created_at__gt=revision.created_at))
        return list(since.exclude(user=user).select_related("user").order_by("created_at", "pk"))

    overwrite_id = _as_int(post.get("overwrite_revision_id"))
    if overwrite_id is not None:
        # Autosave has already written the editor's own draft: it must still be the latest.
        if overwrite_id == latest.pk:
            return []
        own = revisions.filter(pk=overwrite_id).first()
        return others_since(own) if own is not None else [latest]

    loaded_id = _as_int(post.get("loaded_revision_id"))
    if loaded_id is None:
        return []
    loaded = revisions.filter(pk=loaded_id).first()
    if loaded is None:
        return []
    if loaded.pk == latest.pk:
        # The same revision may have been rewritten by its author's autosave since.
        if post.get("loaded_revision_created_at", "") == latest.created_at.isoformat():
            return []
        return [latest] if latest.user_id != getattr(user, "pk", None) else []
    return others_since(loaded)


def loaded_revision(obj, post):
    revision_id = _as_int(post.get("overwrite_revision_id")) or _as_int(
        post.get("loaded_revision_id")
    )
    if revision_id is None:
        return None
    return obj.revisions.filter(pk=revision_id).first()


def keep_stale_copy(*, obj, form, user):
    """Save the submitter's values as a revision that does not become the latest:
    the object, its `latest_revision` and every existing revision stay as they are."""
    instance = form.save(commit=False)
    revision = Revision.objects.create(
        content_object=instance,
        base_content_type=instance.get_base_content_type(),
        user=user,
        content=instance.serializable_data(),
        object_str=str(instance),
    )
    data = {}
    organization = acting_organization(user)
    if organization is not None:
        data["organization"] = {"id": organization.pk, "title": organization.title}
    log(instance=obj, action="steward.conflict", user=user, revision=revision, data=data)
    return revision


def comparison(edit_handler, obj, request, revision_a, revision_b):
    """Field-by-field differences between two revisions, as Wagtail's compare view shows."""
    if revision_a is None or revision_b is None:
        return []
    panel = edit_handler.get_bound_panel(instance=obj, request=request, form=None)
    a, b = revision_a.as_object(), revision_b.as_object()
    return [diff for diff in (comp(a, b) for comp in panel.get_comparison()) if diff.has_changed()]


def urls_for(obj, kept, latest):
    """Where the conflict screen links: continue from the kept copy (Wagtail's revert
    view), reload the latest, and compare the kept copy with the latest."""
    if isinstance(obj, Page):
        edit = reverse("wagtailadmin_pages:edit", args=(obj.pk,))
        revert = compare = None
        if kept is not None:
            revert = reverse("wagtailadmin_pages:revisions_revert", args=(obj.pk, kept.pk))
            compare = reverse(
                "wagtailadmin_pages:revisions_compare", args=(obj.pk, latest.pk, kept.pk)
            )
        return {"edit": edit, "revert": revert, "compare": compare}
    viewset = obj.snippet_viewset
    edit = AdminURLFinder().get_edit_url(obj)
    revert = compare = None
    if kept is not None:
        revert = reverse(viewset.get_url_name("revisions_revert"), args=(obj.pk, kept.pk))
        compare = reverse(
            viewset.get_url_name("revisions_compare"), args=(obj.pk, latest.pk, kept.pk)
        )
    return {"edit": edit, "revert": revert, "compare": compare}


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
