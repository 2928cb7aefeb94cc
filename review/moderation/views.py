"""The review screen: the pending diff of a listing, attributed per revision, with
approve and reject (DESIGN.md §4, "Pending changes")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from wagtail.models import Page, TaskState

from directory.members import acting_organization
from directory.models import LISTING_TYPES, Location
from review.models import PendingChangesTask, ReviewDecision
from review.moderation import actions as moderation


def _comparisons(page, request):
    panel = page.get_edit_handler().get_bound_panel(instance=page, request=request, form=None)
    return panel.get_comparison()


def _diff(comparisons, before, after):
    return [diff for diff in (comp(before, after) for comp in comparisons) if diff.has_changed()]


def _listing(page_id, user):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, LISTING_TYPES):
        raise PermissionDenied(gettext("Only listings are reviewed here."))
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied(gettext("You may not see this listing's pending changes."))
    return page


def review_page(request, page_id):
    page = _listing(page_id, request.user)
    status = 200
    if request.method == "POST":
        response, status = _decide(request, page)
        if response is not None:
            return response
    return TemplateResponse(
        request, "review/admin/pending_changes.html", _context(request, page), status=status
    )


def _decide(request, page):
    action = request.POST.get("action")
    text = request.POST.get("comment", "")
    organization = acting_organization(request.user, request)
    try:
        if action == "approve":
            decision = moderation.approve(
                page=page, user=request.user, comment=text, organization=organization
            )
            if decision.completes:
                messages.success(
                    request, gettext("Approved and published “%(title)s”.") % {"title": page.title}
                )
            else:
                messages.success(
                    request,
                    gettext(
                        "Your approval is recorded. A reviewer from another organization "
                        "(or a moderator) approves next, then the changes go live."
                    ),
                )
        elif action == "reject":
            decision = moderation.reject(
                page=page, user=request.user, reason=text, organization=organization
            )
            if decision.completes:
                messages.success(
                    request,
                    gettext("Rejected the changes to “%(title)s”; it shows its live version again.")
                    % {"title": page.title},
                )
            else:
                messages.success(
                    request,
                    gettext(
                        "Your rejection is recorded. A reviewer from another organization "
                        "(or a moderator) decides next."
                    ),
                )
        else:
            messages.error(request, gettext("Choose Approve or Reject."))
            return None, 400
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or gettext("You may not review these changes."))
        return None, 403
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return None, 400
    return redirect(reverse("steward_review_page", args=[page.pk])), 302


def _context(request, page):
    state = moderation.pending_state(page)
    attributed = moderation.attributed_revisions(page) if state else []
    comparisons = _comparisons(page, request) if attributed else []
    live = page if page.live else type(page)()
    steps = []
    before = live
    for revision, organization in attributed:
        after = revision.as_object()
        steps.append(
            {
                "revision": revision,
                "organization": organization,
                "changes": _diff(comparisons, before, after),
            }
        )
        before = after
    whole = _diff(comparisons, live, before) if attributed else []
    decisions = []
    if state is not None:
        decisions = list(
            ReviewDecision.objects.filter(task_state_id=state.current_task_state_id)
            .select_related("user", "organization")
            .order_by("created_at")
        )
    return {
        "page": page,
        "state": state,
        "steps": steps,
        "whole": whole,
        "decisions": decisions,
        "decision_error": moderation.decision_error(
            page, request.user, organization=acting_organization(request.user, request)
        )
        if state
        else None,
        "can_publish": page.permissions_for_user(request.user).can_publish(),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]) + "?reviewed=1",
        "rejection": moderation.last_rejection(page),
    }


def pending_list(request):
    """Every object waiting on "Pending changes", oldest first."""
    task_states = (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task__in=PendingChangesTask.objects.all()
        )
        .select_related("workflow_state__requested_by", "workflow_state__base_content_type")
        .order_by("started_at")
    )
    rows = []
    page_ids = []
    location_ids = []
    for task_state in task_states:
        model = task_state.workflow_state.base_content_type.model_class()
        object_id = task_state.workflow_state.object_id
        if model is not None and issubclass(model, Page):
            page_ids.append(int(object_id))
        elif model is Location:
            location_ids.append(int(object_id))
        rows.append((task_state, model, object_id))
    pages = {p.pk: p for p in Page.objects.filter(pk__in=page_ids)}
    locations = {loc.pk: loc for loc in Location.objects.filter(pk__in=location_ids)}
    items = []
    for task_state, model, object_id in rows:
        if model is Location:
            obj = locations.get(int(object_id))
            url = reverse("wagtailsnippets_directory_location:edit", args=[object_id])
        else:
            obj = pages.get(int(object_id))
            url = reverse("steward_review_page", args=[object_id])
        if obj is None:
            continue
        items.append(
            {
                "title": getattr(obj, "title", None) or str(obj),
                "kind": "Location" if model is Location else "Listing",
                "url": url,
                "requested_by": task_state.workflow_state.requested_by,
                "since": task_state.started_at,
            }
        )
    return TemplateResponse(request, "review/admin/pending_list.html", {"items": items})
