import json

from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from directory.models import LISTING_TYPES, ServicePage
from directory.publishing import AFTER_PUBLISH_HOOK
from review import jobs, policy
from review.moderation import actions as moderation
from review.moderation import editing, guard_views, guards, locks
from review.moderation import views as pending_views
from review.policy import is_moderator, is_reviewer
from review.queue import urls as queue_urls
from review.trust import admin_views, badges, parts
from review.trust.actions import VERIFY_ACTION, record_published_change
from review.trust.fields import LABELS


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action("steward.review.approve", "Approve pending changes", "Approved")
    actions.register_action("steward.review.reject", "Reject pending changes", "Rejected")

    @actions.register_action(VERIFY_ACTION)
    class VerifyFormatter(LogFormatter):
        label = _("Verify still accurate")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            names = ", ".join(str(LABELS.get(f, f)) for f in data.get("fields", [])).lower()
            organization = (data.get("organization") or {}).get("title")
            if organization:
                return _("Verified as still accurate for %(organization)s: %(fields)s") % {
                    "organization": organization,
                    "fields": names,
                }
            return _("Verified as still accurate: %(fields)s") % {"fields": names}


@hooks.register("steward_periodic_jobs")
def review_periodic_jobs():
    return jobs.JOBS


hooks.register(AFTER_PUBLISH_HOOK, record_published_change)
hooks.register("steward_listing_parts", parts.listing_part)
hooks.register("steward_card_parts", parts.card_parts)


@hooks.register("register_admin_urls")
def review_admin_urls():
    return [
        path("review/verify/<int:page_id>/", admin_views.verify, name="review_verify"),
        path("review/due/", admin_views.due, name="review_due"),
        path("review/reputation/", admin_views.my_reputation, name="review_reputation"),
        path("review/pending/", pending_views.pending_list, name="steward_review_pending_list"),
        path(
            "review/pending/<int:page_id>/", pending_views.review_page, name="steward_review_page"
        ),
    ]


class ProfessionalsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.is_professional(request.user)


@hooks.register("register_admin_menu_item")
def due_menu_item():
    return ProfessionalsMenuItem(
        "Due for verification", reverse("review_due"), icon_name="date", order=210
    )


@hooks.register("register_admin_menu_item")
def reputation_menu_item():
    return ProfessionalsMenuItem(
        "My reputation", reverse("review_reputation"), icon_name="pick", order=220
    )


@hooks.register("construct_homepage_panels")
def due_panel(request, panels):
    if policy.is_professional(request.user):
        panels.append(admin_views.DuePanel(request))


def _verify_button(page, user, cls):
    if page.specific_class is not ServicePage or not policy.is_professional(user):
        return
    yield cls(
        "Still accurate",
        reverse("review_verify", args=[page.pk]),
        icon_name="success",
        priority=12,
    )


@hooks.register("register_page_header_buttons")
def verify_header_button(page, user, view_name, next_url=None):
    yield from _verify_button(page, user, Button)


@hooks.register("register_page_listing_more_buttons")
def verify_listing_button(page, user, next_url=None):
    yield from _verify_button(page, user, Button)


# Editing as a wiki (issue 3): the publish policy and pending changes.
FROM_REVIEW = "reviewed"


@hooks.register("steward_publish_policy")
def publish_policy(user, page):
    """Members of the listing's organization, privileged users and moderators publish."""
    return policy.can_publish(user, page)


@hooks.register("steward_seed_demo")
def set_up_pending_changes():
    from review.moderation.workflow import ensure_all

    ensure_all()


@hooks.register("steward_seed_demo")
def verify_demo_listings():
    from review.trust.demo import verify_demo_listings

    verify_demo_listings()


@hooks.register("before_edit_page")
def review_notice_before_editing(request, page):
    """A professional who may not publish is told, before saving, who reviews the change."""
    specific = page.specific
    if request.method == "GET" and isinstance(specific, LISTING_TYPES):
        notice = editing.review_notice(request.user, specific)
        if notice:
            messages.info(request, notice)


@hooks.register("construct_page_action_menu")
def the_main_button_takes_the_change_live(menu_items, request, context):
    page = context.get("page") or context.get("parent_page")
    if page is not None and isinstance(page.specific, LISTING_TYPES):
        editing.main_action_first(menu_items)


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


# Reports and the review queue.


@hooks.register("register_log_actions")
def register_report_actions(actions):
    actions.register_action("steward.report", "Report", "Someone reported a problem")
    actions.register_action("steward.report.uphold", "Report upheld", "A report was upheld")
    actions.register_action("steward.report.decline", "Report declined", "A report was declined")
    actions.register_action(
        "steward.queue.resolve", "Review item resolved", "A review-queue item was resolved"
    )


@hooks.register("steward_listing_parts")
def report_problem_link(request, page, slot):
    if slot != "footer" or not isinstance(page, ServicePage):
        return None
    return render_to_string("review/report_link.html", {"page": page}, request=request)


@hooks.register("steward_periodic_jobs")
def review_jobs():
    import datetime as dt

    from directory.periodic import Job
    from review.queue.scan import scan

    return [Job("review.scan", dt.timedelta(minutes=15), lambda *, now: scan(now=now))]


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return is_reviewer(request.user)


@hooks.register("register_admin_urls")
def review_queue_urls():
    return [path("review-queue/", include((queue_urls, "review_queue"), namespace="review_queue"))]


@hooks.register("register_admin_menu_item")
def review_queue_menu_item():
    return ReviewQueueMenuItem(
        "Review queue", reverse("review_queue:index"), icon_name="tasks", order=250
    )


@hooks.register("register_log_actions")
def register_guard_log_actions(actions):
    actions.register_action("steward.lock", "Lock listing", "Locked: only moderators may edit")
    actions.register_action("steward.unlock", "Unlock listing", "Unlocked")
    actions.register_action("steward.merge", "Merge duplicates", "Merged duplicate listings")
    actions.register_action(
        "steward.conflict",
        "Out-of-date save kept",
        "A save on an out-of-date copy was kept as a separate version",
    )


@hooks.register("steward_listing_lock")
def listing_lock(page):
    return locks.listing_lock_for(page)


guard_urls = (
    [
        path("locks/", guard_views.locks_index, name="locks"),
        path("pages/<int:page_id>/lock/", guard_views.lock_view, name="lock"),
        path("pages/<int:page_id>/unlock/", guard_views.unlock_view, name="unlock"),
        path("pages/<int:page_id>/merge/", guard_views.merge_view, name="merge"),
    ],
    "steward_guards",
)


@hooks.register("register_admin_urls")
def register_guard_urls():
    return [path("steward/", include(guard_urls))]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def register_locks_menu_item():
    return ModeratorMenuItem(
        "Locked listings", reverse("steward_guards:locks"), icon_name="lock", order=320
    )


def _is_listing(page):
    specific_class = page.specific_class
    return bool(specific_class and issubclass(specific_class, LISTING_TYPES))


def _guard_buttons(page, user, priority, *, lock_state_known=True):
    if not _is_listing(page) or not is_moderator(user):
        return
    if not lock_state_known:
        # One button per row, so the explorer does not ask each row's lock.
        yield PageMenuItem(
            "Lock or unlock…",
            reverse("steward_guards:lock", args=(page.pk,)),
            "lock",
            priority,
            page=page,
        )
    elif locks.is_locked(page):
        yield PageMenuItem(
            "Unlock",
            reverse("steward_guards:unlock", args=(page.pk,)),
            "lock-open",
            priority,
            page=page,
        )
    else:
        yield PageMenuItem(
            "Lock", reverse("steward_guards:lock", args=(page.pk,)), "lock", priority, page=page
        )
    yield PageMenuItem(
        "Merge into another…",
        reverse("steward_guards:merge", args=(page.pk,)),
        "resubmit",
        priority + 1,
        page=page,
    )


@hooks.register("register_page_header_buttons")
def page_header_guard_buttons(page, user, view_name, next_url=None):
    yield from _guard_buttons(page, user, 62)


@hooks.register("register_page_listing_more_buttons")
def page_listing_guard_buttons(page, user, next_url=None):
    yield from _guard_buttons(page, user, 45, lock_state_known=False)


hooks.register("before_edit_page", guards.before_edit_page)
hooks.register("before_create_page", guards.before_create_page)
hooks.register("before_edit_snippet", guards.before_edit_snippet)
hooks.register("before_create_snippet", guards.before_create_snippet)
hooks.register("before_delete_snippet", guards.before_delete_snippet)
hooks.register("before_move_page", guards.before_move_page)
hooks.register("before_bulk_action", guards.before_bulk_action)
# Before directory's "Delete becomes Remove": a locked listing is not removed either.
hooks.register("before_delete_page", guards.before_delete_page, order=-1)


# The HSDS export and API read verification dates from the freshness store.
hooks.register("steward_hsds_dates", badges.hsds_dates)
