"""Admin screens of the guards: lock and unlock a listing, the list of locked
listings, merging duplicates, and the screens shown when a save is refused
(out-of-date copy, rate limit). Every view checks its permission on the server."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from wagtail.admin.auth import require_admin_access
from wagtail.models import Page

from directory.models import LISTING_TYPES, OrganizationPage, ServicePage
from review.conf import review_setting
from review.models import ListingLock
from review.models.locks import LockReason
from review.moderation import locks
from review.moderation.merge import merge_listings, merge_problems
from review.policy import is_moderator


class LockForm(forms.Form):
    reason = forms.ChoiceField(
        choices=LockReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose why this listing is locked.")},
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Internal: seen by moderators only, never in the public history."),
    )


class MergeForm(forms.Form):
    survivor = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _forbidden(request, message):
    return TemplateResponse(
        request, "review/guards/forbidden.html", {"message": message}, status=403
    )


def _listing_or_404(page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, LISTING_TYPES):
        raise Http404("Only services and organizations can be locked or merged.")
    return page


def _back(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@require_admin_access
def lock_view(request, page_id):
    page = _listing_or_404(page_id)
    if not is_moderator(request.user):
        return _forbidden(request, gettext("Only moderators can lock or unlock listings."))
    current = ListingLock.objects.filter(page_id=page.pk).first()
    initial = {"reason": current.reason, "note": current.note} if current else None
    form = LockForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        locks.lock(page=page, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            gettext("“%(title)s” is locked: only moderators can change it now.")
            % {"title": page.title},
        )
        return redirect(_back(page))
    return TemplateResponse(
        request,
        "review/guards/lock.html",
        {"page": page, "form": form, "current": current},
        status=400 if request.method == "POST" else 200,
    )


@require_admin_access
def unlock_view(request, page_id):
    page = _listing_or_404(page_id)
    if not is_moderator(request.user):
        return _forbidden(request, gettext("Only moderators can lock or unlock listings."))
    current = ListingLock.objects.filter(page_id=page.pk).first()
    if request.method == "POST":
        if locks.unlock(page=page, user=request.user):
            messages.success(request, gettext("“%(title)s” is unlocked.") % {"title": page.title})
        else:
            messages.info(request, gettext("“%(title)s” was not locked.") % {"title": page.title})
        return redirect(_back(page))
    return TemplateResponse(
        request, "review/guards/unlock.html", {"page": page, "current": current}
    )


@require_admin_access
def locks_index(request):
    if not is_moderator(request.user):
        return _forbidden(request, gettext("Only moderators can see the locked listings."))
    rows = ListingLock.objects.select_related("page", "locked_by").order_by("-created_at")
    return TemplateResponse(request, "review/guards/locks_index.html", {"rows": rows})


def _candidates(duplicate, query):
    model = type(duplicate)
    found = model.objects.live().exclude(pk=duplicate.pk)
    if query:
        found = found.filter(title__icontains=query)
    return list(found.order_by("title")[: review_setting("MERGE_CANDIDATES_SHOWN")])


def _summary(page):
    parent = page.get_parent() if isinstance(page, ServicePage) else None
    return {
        "page": page,
        "organization": parent.title if parent else None,
        "url": page.url,
        "status": getattr(page, "status", None),
        "live": page.live,
        "revisions": page.revisions.count(),
        "last_edited": page.latest_revision_created_at,
    }


@require_admin_access
def merge_view(request, page_id):
    """Merge the listing `page_id` (the duplicate) into a survivor chosen by search,
    after a confirmation showing both. Works without JavaScript."""
    duplicate = _listing_or_404(page_id)
    if not is_moderator(request.user):
        return _forbidden(request, gettext("Only moderators can merge listings."))
    # The template words its sentences for each kind (never the translated verbose name).
    kind = "organization" if isinstance(duplicate, OrganizationPage) else "service"
    context = {"duplicate": _summary(duplicate), "kind": kind}

    if request.method == "POST":
        form = MergeForm(request.POST)
        survivor = None
        if form.is_valid():
            survivor = Page.objects.filter(pk=form.cleaned_data["survivor"]).first()
        if survivor is None:
            messages.error(request, gettext("Choose the listing that survives."))
            return redirect(reverse("steward_guards:merge", args=(duplicate.pk,)))
        try:
            record = merge_listings(
                survivor=survivor,
                duplicate=duplicate,
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            context.update(survivor=_summary(survivor.specific), problems=error.messages)
            context["form"] = form
            return TemplateResponse(request, "review/guards/merge.html", context, status=400)
        messages.success(
            request,
            gettext(
                "“%(duplicate)s” was merged into “%(survivor)s”: it is removed "
                "from the directory, its address redirects, and both histories are kept."
            )
            % {"duplicate": duplicate.title, "survivor": record.survivor.title},
        )
        return redirect(_back(record.survivor))

    survivor_id = request.GET.get("survivor", "")
    if survivor_id:
        survivor = (
            Page.objects.filter(pk=int(survivor_id)).first() if survivor_id.isdigit() else None
        )
        if survivor is None:
            context["problems"] = ["That listing does not exist."]
        else:
            survivor = survivor.specific
            context["survivor"] = _summary(survivor)
            context["problems"] = merge_problems(survivor=survivor, duplicate=duplicate)
            context["form"] = MergeForm(initial={"survivor": survivor.pk})
        return TemplateResponse(request, "review/guards/merge.html", context)

    query = request.GET.get("q", "").strip()[:200]
    context.update(query=query, candidates=_candidates(duplicate, query))
    return TemplateResponse(request, "review/guards/merge.html", context)


def locked_location_response(request, location):
    return _forbidden(
        request,
        f"“{location}” is a place of a locked listing: only moderators can change it. "
        "Nothing was saved.",
    )


def conflict_response(request, conflict, *, diffs, urls, errors=None, posted=None):
    return TemplateResponse(
        request,
        "review/guards/conflict.html",
        {
            "conflict": conflict,
            "object": conflict.obj,
            "diffs": diffs,
            "urls": urls,
            "errors": errors,
            "posted": posted or [],
        },
        status=409,
    )


def rate_limited_response(request, hit):
    minutes = max(1, round(hit.retry_after / 60))
    return TemplateResponse(
        request,
        "review/guards/rate_limited.html",
        {"limit": hit.limit, "minutes": minutes},
        status=429,
    )


def wagtail_lock_view(request, page_id):
    """Wagtail's own Lock button (admin/pages/<id>/lock/): for listings it becomes the
    moderators' lock with a reason; other pages keep Wagtail's behaviour."""
    if _is_listing(page_id):
        return lock_view(request, page_id)
    from wagtail.admin.views.pages.lock import LockView

    return require_admin_access(LockView.as_view())(request, page_id=page_id)


def wagtail_unlock_view(request, page_id):
    if _is_listing(page_id):
        return unlock_view(request, page_id)
    from wagtail.admin.views.pages.lock import UnlockView

    return require_admin_access(UnlockView.as_view())(request, page_id=page_id)


def _is_listing(page_id):
    page = Page.objects.filter(pk=page_id).only("content_type").first()
    return page is not None and issubclass(page.specific_class or Page, LISTING_TYPES)
