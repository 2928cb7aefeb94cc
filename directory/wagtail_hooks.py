from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from directory import pagecache
from directory.accounts import admin as accounts_admin  # noqa: F401 (registers its hooks)
from directory.actions import can_hard_delete, retire_listing
from directory.models import LISTING_TYPES, OrganizationPage
from directory.viewsets import LocationViewSet, VocabularyGroup

register_snippet(LocationViewSet)
register_snippet(VocabularyGroup)


@hooks.register("before_serve_page")
def page_cache_marks(page, request, serve_args, serve_kwargs):
    """Home, organization and service pages may come from the page cache."""
    pagecache.mark_served_page(page, request)


@hooks.register("after_copy_page")
def copied_revisions_get_the_copys_uuids(request, page, new_page):
    """Copy page: the copied revisions name the copy's own child uuids
    (NewIdentityOnCopy), for the copy and every subpage copied with it."""
    for copied in [new_page, *new_page.get_descendants()]:
        copied = copied.specific
        if hasattr(copied, "renew_copied_revision_uuids"):
            copied.renew_copied_revision_uuids()


@hooks.register("before_delete_page")
def remove_listings_instead_of_deleting(request, page):
    """Listings are never deleted through the product: for everyone but a
    superuser, "Delete" becomes "Remove": unpublish and mark defunct."""
    if not isinstance(page.specific, LISTING_TYPES) or can_hard_delete(request.user):
        return None
    if request.method == "POST":
        retire_listing(page=page, user=request.user)
        messages.success(
            request,
            gettext(
                "“%(title)s” was removed from the public directory and marked defunct. "
                "Its history is kept; publish it again to restore it."
            )
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "directory/admin/confirm_remove.html",
        {"page": page, "is_organization": isinstance(page.specific, OrganizationPage)},
    )


@hooks.register("before_bulk_action")
def refuse_bulk_delete_of_listings(request, action_type, objects, action_class_instance):
    if action_type != "delete" or can_hard_delete(request.user):
        return None
    if any(isinstance(getattr(obj, "specific", obj), LISTING_TYPES) for obj in objects):
        messages.error(
            request,
            gettext(
                "Listings are never deleted. Open a listing and use “Delete” to remove it "
                "from the public directory (it is unpublished and marked defunct)."
            ),
        )
        return redirect(reverse("wagtailadmin_explore_root"))
    return None
