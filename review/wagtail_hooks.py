"""Review's parts in the admin: the publish policy, pending changes, audit log names."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html

from wagtail import hooks

from directory.models import OrganizationPage, ServicePage
from review import moderation, pending_views
from review.privileges import can_publish

LISTING_TYPES = (OrganizationPage, ServicePage)
FROM_REVIEW = "reviewed"


@hooks.register("steward_publish_policy")
def publish_policy(user, page):
    """Members of the listing's organization, privileged users and moderators publish."""
    return can_publish(user, page)


@hooks.register("steward_seed_demo")
def set_up_pending_changes():
    from review.workflow import ensure_all

    ensure_all()


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action("steward.review.approve", "Approve pending changes", "Approved")
    actions.register_action("steward.review.reject", "Reject pending changes", "Rejected")


@hooks.register("register_admin_urls")
def review_admin_urls():
    return [
        path("review/pending/", pending_views.pending_list, name="steward_review_pending_list"),
        path(
            "review/pending/<int:page_id>/", pending_views.review_page, name="steward_review_page"
        ),
    ]


@hooks.register("before_edit_page")
def pending_changes_before_editing(request, page):
    specific = page.specific
    if not isinstance(specific, LISTING_TYPES):
        return None
    if request.method == "POST":
        return _refuse_reject_without_reason(request, page)
    rejection = moderation.last_rejection(specific)
    if rejection is not None:
        messages.warning(
            request,
            format_html(
                "The last pending changes were rejected by {} on {}: “{}”. "
                "The listing shows its live version; the rejected revisions stay in its history.",
                rejection.user.get_full_name() or rejection.user.get_username(),
                rejection.created_at.date().isoformat(),
                rejection.comment,
            ),
        )
    if request.GET.get(FROM_REVIEW) or not moderation.has_pending_changes(specific):
        return None
    if specific.permissions_for_user(request.user).can_publish():
        # A publisher sees the pending diff first; publishing then counts as their review.
        return redirect(reverse("steward_review_page", args=[page.pk]))
    messages.info(
        request,
        "This listing has pending changes waiting for review. Your edits build on "
        "them and join the same review.",
    )
    return None


def _refuse_reject_without_reason(request, page):
    """The editor's workflow menu posts rejections too; refuse one without a reason
    with a message (never a 500), changing nothing."""
    if not request.POST.get("action-workflow-action"):
        return None
    if request.POST.get("workflow-action-name") != "reject":
        return None
    import json

    try:
        extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        extra = {}
    if isinstance(extra, dict) and str(extra.get("comment") or "").strip():
        return None
    messages.error(request, "Say why the changes are rejected; the editors see it.")
    return redirect(reverse("steward_review_page", args=[page.pk]))


@hooks.register("before_publish_page")
def publishing_is_a_review(request, page):
    """A publisher who publishes a listing with pending changes has reviewed them."""
    if isinstance(page.specific, LISTING_TYPES):
        moderation.approve_by_publishing(page=page, user=request.user)
    return None
