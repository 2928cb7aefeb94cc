"""The public History page of a listing and the professionals' history screens.

Every view checks permission itself, on GET and on POST: a crafted request gets
the same answer as the screen would.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from wagtail.models import Page, Revision

from directory.members import acting_organization
from directory.models import LISTING_TYPES
from directory.selectors import is_confidential_listing
from review.conf import trust_setting
from review.models import MergeRecord
from review.policy import can_publish, can_rollback, is_professional

from .actions import (
    RUN_SPAN,
    HistoryError,
    can_revert,
    editor_run,
    revert_to,
    rollback_runs,
    runs_across_listings,
)
from .timeline import timeline


def _listing_or_404(page_id, *, live_only):
    """The listing; for the public, only a live one, or a duplicate merged into
    another (its history stays visible)."""
    pages = Page.objects.filter(pk=page_id)
    if live_only:
        merged = MergeRecord.objects.filter(duplicate_id=page_id).values("duplicate_id")
        pages = pages.filter(Q(live=True) | Q(pk__in=merged))
    page = get_object_or_404(pages).specific
    if not isinstance(page, LISTING_TYPES):
        raise Http404("Only services and organizations have a history.")
    return page


def _page_number(request):
    """A page number from the query string; anything else is page 1."""
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


def public_history(request, page_id):
    """What happened to a listing, as a wiki's history: no names of people, no
    drafts' contents, no notes."""
    page = _listing_or_404(page_id, live_only=True)
    history = timeline(page, public=True, page_number=_page_number(request))
    return TemplateResponse(
        request,
        "history/public_history.html",
        {
            "listing": page,
            "listing_url": (page.get_url(request) or "") if page.live else "",
            "history": history,
            "confidential": is_confidential_listing(page),
        },
    )


# --- admin ------------------------------------------------------------------------------------


def _professional(request):
    if not is_professional(request.user):
        raise PermissionDenied(gettext("The listing's full history is for professionals."))


def admin_timeline(request, page_id):
    _professional(request)
    page = _listing_or_404(page_id, live_only=False)
    history = timeline(page, public=False, page_number=_page_number(request))
    latest = page.get_latest_revision()
    rollback = None
    if latest is not None and latest.user_id and can_rollback(request.user, page):
        editor = get_user_model().objects.filter(pk=latest.user_id).first()
        if editor is not None:
            run, before = editor_run(page, editor)
            if before is not None:
                rollback = {"editor": editor, "count": len(run)}
    return TemplateResponse(
        request,
        "history/admin/timeline.html",
        {
            "page": page,
            "history": history,
            "latest_id": latest.pk if latest else None,
            "may_revert": can_revert(request.user, page),
            "rollback": rollback,
            "public_url": reverse("history:listing", args=[page.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def revert_view(request, page_id, revision_id):
    _professional(request)
    page = _listing_or_404(page_id, live_only=False)
    if not can_revert(request.user, page):
        raise PermissionDenied(gettext("You may not revert this listing."))
    revision = get_object_or_404(Revision.page_revisions, pk=revision_id, object_id=str(page.pk))
    timeline_url = reverse("history_admin:timeline", args=[page.pk])
    publishes = can_publish(request.user, page)
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()[:500]
        try:
            revert_to(
                page=page,
                revision=revision,
                user=request.user,
                reason=reason,
                wrong=request.POST.get("wrong") == "on",
                organization=acting_organization(request.user, request),
            )
        except HistoryError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                gettext("Reverted and published.")
                if publishes
                else gettext("Reverted: your change is waiting for review."),
            )
            return redirect(timeline_url)
    return TemplateResponse(
        request,
        "history/admin/confirm_revert.html",
        {
            "page": page,
            "revision": revision,
            "publishes": publishes,
            "timeline_url": timeline_url,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def rollback_view(request, page_id, user_id):
    """Undo one editor's run on this listing and on every other listing the run
    touched, in one action; each listing is a box to untick honest edits."""
    _professional(request)
    page = _listing_or_404(page_id, live_only=False)
    if not can_rollback(request.user, page):
        raise PermissionDenied(gettext("You may not roll back edits on this listing."))
    editor = get_object_or_404(get_user_model(), pk=user_id)
    runs = runs_across_listings(editor, request.user)
    timeline_url = reverse("history_admin:timeline", args=[page.pk])
    ticked = {run.page.pk for run in runs}
    error = ""
    if request.method == "POST":
        by_id = {str(run.page.pk): run for run in runs}
        chosen = request.POST.getlist("listing")
        ticked = {int(pk) for pk in chosen if pk in by_id}
        try:
            if any(pk not in by_id for pk in chosen):
                raise HistoryError(
                    "A ticked listing has no run of theirs to roll back any more; "
                    "look at the list again."
                )
            done = rollback_runs(
                pages=[by_id[pk].page for pk in chosen],
                editor=editor,
                user=request.user,
                wrong=request.POST.get("wrong") == "on",
                reason=request.POST.get("reason", "").strip()[:500],
                organization=acting_organization(request.user, request),
            )
        except HistoryError as exc:
            error = str(exc)
        else:
            edits = sum(len(by_id[pk].run) for pk in chosen)
            messages.success(
                request,
                ngettext(
                    "Rolled back %(edits)s by %(editor)s on %(count)d listing and published.",
                    "Rolled back %(edits)s by %(editor)s on %(count)d listings and published.",
                    len(done),
                )
                % {
                    "edits": ngettext("%(n)d edit", "%(n)d edits", edits) % {"n": edits},
                    "editor": editor.get_username(),
                    "count": len(done),
                },
            )
            return redirect(timeline_url)
    elif not runs:
        error = gettext("%(editor)s has no run of edits still on top of a listing.") % {
            "editor": editor.get_username()
        }
    return TemplateResponse(
        request,
        "history/admin/confirm_rollback.html",
        {
            "page": page,
            "editor": editor,
            "runs": runs,
            "ticked": ticked,
            "span_hours": int(RUN_SPAN.total_seconds() // 3600),
            # What "wrong" costs the editor per listing: the ledger's own figure.
            "penalty": abs(trust_setting("POINTS")["edit_reverted"]),
            "timeline_url": timeline_url,
            "error": error,
        },
        status=400 if error else 200,
    )
