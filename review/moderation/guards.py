"""The checks the admin runs before a listing or a location is saved, moved or
deleted (locks, rate limits, out-of-date copies, deletion). review/wagtail_hooks.py
registers them; each returns a response to stop the request, or None."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from wagtail.models import Page

from directory.actions import can_hard_delete
from directory.models import LISTING_TYPES, Location
from review.moderation import conflicts, locks, ratelimit
from review.moderation.guard_views import (
    conflict_response,
    locked_location_response,
    rate_limited_response,
)


def _is_form_post(request):
    """A POST from the HTML form (with or without JavaScript), not autosave's JSON
    request: Wagtail already refuses out-of-date autosaves itself."""
    return request.method == "POST" and request.accepts("text/html")


def _counts_as_submission(request):
    # Autosave rewriting the author's own draft is not a new submission.
    return request.method == "POST" and not request.POST.get("overwrite_revision_id")


def rate_limit(request):
    if not _counts_as_submission(request):
        return None
    hit = ratelimit.hit_edit(request.user)
    if hit is not None and not hit.allowed:
        return rate_limited_response(request, hit)
    return None


def locked_for(request, page):
    lock = page.specific.get_lock() if isinstance(page.specific, LISTING_TYPES) else None
    return lock is not None and lock.for_user(request.user)


def refuse_locked(request, page, what):
    messages.error(
        request,
        (
            gettext("“%(title)s” is locked: only moderators can remove it.")
            if what == "remove"
            else gettext("“%(title)s” is locked: only moderators can move it.")
        )
        % {"title": page.title},
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=(page.pk,)))


def _posted_values(request):
    skip = {"csrfmiddlewaretoken", "loaded_revision_id", "loaded_revision_created_at"}
    return [
        (name, value)
        for name, value in request.POST.items()
        if name not in skip
        and value
        and not name.endswith(("-ORDER", "-id", "TOTAL_FORMS"))
        and "FORMS" not in name
    ]


def _errors(form):
    errors = [(name, list(messages_)) for name, messages_ in form.errors.items()]
    for formset_name, formset in getattr(form, "formsets", {}).items():
        for child in formset.forms:
            errors += [(f"{formset_name}: {n}", list(m)) for n, m in child.errors.items()]
        if formset.non_form_errors():
            errors.append((formset_name, list(formset.non_form_errors())))
    return errors


def refuse_out_of_date(request, obj, *, form, edit_handler):
    """The conflict screen when `obj` changed since the submitter loaded it, else None."""
    if not _is_form_post(request):
        return None
    newer = conflicts.newer_revisions_by_others(obj, request.POST, request.user)
    if not newer:
        return None
    latest = obj.latest_revision
    conflict = conflicts.Conflict(
        obj=obj, loaded=conflicts.loaded_revision(obj, request.POST), latest=latest, newer=newer
    )
    errors = None
    if form.is_valid():
        conflict.kept = conflicts.keep_stale_copy(obj=obj, form=form, user=request.user)
    else:
        errors = _errors(form)
    diffs = conflicts.comparison(edit_handler, obj, request, conflict.loaded, latest)
    urls = conflicts.urls_for(obj, conflict.kept, latest)
    return conflict_response(
        request,
        conflict,
        diffs=diffs,
        urls=urls,
        errors=errors,
        posted=_posted_values(request) if errors else None,
    )


def page_form(request, page):
    page = page.specific
    edit_handler = page.specific_class.get_edit_handler()
    form_class = edit_handler.get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=page,
        parent_page=page.get_parent(),
        for_user=request.user,
    )
    return form, edit_handler


def guard_save(request, obj, build_form):
    """A POST of an edit form, for a page or a location: the edit rate limit, then
    the out-of-date copy. `build_form(request, obj)` gives the bound form and its
    edit handler, built only when the copy is out of date."""
    if request.method != "POST":
        return None
    response = rate_limit(request)
    if response is not None:
        return response
    if not _is_form_post(request):
        return None
    if not conflicts.newer_revisions_by_others(obj, request.POST, request.user):
        return None
    form, edit_handler = build_form(request, obj)
    # The form's instance is the specific page (or the location).
    return refuse_out_of_date(request, form.instance, form=form, edit_handler=edit_handler)


def before_edit_page(request, page):
    return guard_save(request, page, page_form)


def before_create_page(request, parent_page, page_class):
    return rate_limit(request)


def location_form(request, location):
    viewset = Location.snippet_viewset
    edit_handler = viewset.get_edit_handler()
    form_class = edit_handler.get_form_class()
    return form_class(request.POST, request.FILES, instance=location, for_user=request.user), (
        edit_handler
    )


def before_edit_snippet(request, instance):
    if not isinstance(instance, Location):
        return None
    if not locks.can_edit_locked(request.user, None) and locks.location_is_locked(instance):
        if request.method == "POST":
            return locked_location_response(request, instance)
        messages.warning(
            request,
            gettext("This location belongs to a locked listing: only moderators can change it."),
        )
        return None
    return guard_save(request, instance, location_form)


def before_create_snippet(request, model):
    if model is not Location:
        return None
    return rate_limit(request)


def before_delete_snippet(request, instances):
    if can_hard_delete(request.user):
        return None
    if any(isinstance(instance, Location) for instance in instances):
        messages.error(
            request,
            gettext(
                "Locations are never deleted: their history and the services at them depend "
                "on them. Remove the location from its services instead."
            ),
        )
        return redirect(reverse(Location.snippet_viewset.get_url_name("list")))
    return None


def before_delete_page(request, page):
    if locked_for(request, page):
        return refuse_locked(request, page, "remove")
    return None


def before_move_page(request, page, destination):
    if locked_for(request, page):
        return refuse_locked(request, page, "move")
    return None


BULK_ACTIONS_LOCKS_APPLY_TO = {"publish", "unpublish", "move", "delete"}


def before_bulk_action(request, action_type, objects, action_class_instance):
    deleting_locations = action_type == "delete" and any(
        isinstance(obj, Location) for obj in objects
    )
    if deleting_locations and not can_hard_delete(request.user):
        messages.error(request, gettext("Locations are never deleted."))
        return redirect(reverse(Location.snippet_viewset.get_url_name("list")))
    if action_type in BULK_ACTIONS_LOCKS_APPLY_TO:
        locked = [obj for obj in objects if isinstance(obj, Page) and locked_for(request, obj)]
        if locked:
            titles = ", ".join(f"“{page.title}”" for page in locked)
            messages.error(
                request,
                gettext("Only moderators can change locked listings: %(titles)s.")
                % {"titles": titles},
            )
            return redirect(reverse("wagtailadmin_explore_root"))
    return None
