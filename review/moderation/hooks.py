"""Moderation's hooks (registered by review/wagtail_hooks.py): the publish policy,
pending changes in the editor, locks, merges and the guards' buttons and menus."""

import json

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from directory.models import LISTING_TYPES
from review import policy
from review.moderation import actions as moderation
from review.moderation import editing, locks
from review.policy import is_moderator

# Editing as a wiki (issue 3): the publish policy and pending changes.
FROM_REVIEW = "reviewed"


def publish_policy(user, page):
    """Members of the listing's organization, privileged users and moderators publish."""
    return policy.can_publish(user, page)


def set_up_pending_changes():
    from review.moderation.workflow import ensure_all

    ensure_all()


def review_notice_before_editing(request, page):
    """A professional who may not publish is told, before saving, who reviews the change."""
    specific = page.specific
    if request.method == "GET" and isinstance(specific, LISTING_TYPES):
        notice = editing.review_notice(request.user, specific)
        if notice:
            messages.info(request, notice)


def the_main_button_takes_the_change_live(menu_items, request, context):
    page = context.get("page") or context.get("parent_page")
    if page is not None and isinstance(page.specific, LISTING_TYPES):
        editing.main_action_first(menu_items)


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
                gettext(
                    "The last pending changes were rejected by {} on {}: “{}”. The listing "
                    "shows its live version; the rejected revisions stay in its history."
                ),
                rejection.user.get_full_name() or rejection.user.get_username(),
                date_format(rejection.created_at.date(), "DATE_FORMAT"),
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
        gettext(
            "This listing has pending changes waiting for review. Your edits build on "
            "them and join the same review."
        ),
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
    messages.error(request, gettext("Say why the changes are rejected; the editors see it."))
    return redirect(reverse("steward_review_page", args=[page.pk]))


def publishing_is_a_review(request, page):
    """A publisher who publishes a listing with pending changes has reviewed them."""
    if isinstance(page.specific, LISTING_TYPES):
        moderation.approve_by_publishing(page=page, user=request.user)
    return None


def register_guard_log_actions(actions):
    actions.register_action("steward.lock", "Lock listing", "Locked: only moderators may edit")
    actions.register_action("steward.unlock", "Unlock listing", "Unlocked")
    actions.register_action("steward.merge", "Merge duplicates", "Merged duplicate listings")
    actions.register_action(
        "steward.conflict",
        "Out-of-date save kept",
        "A save on an out-of-date copy was kept as a separate version",
    )


def listing_lock(page):
    return locks.listing_lock_for(page)


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


def register_locks_menu_item():
    return ModeratorMenuItem(
        gettext_lazy("Locked listings"),
        reverse("steward_guards:locks"),
        icon_name="lock",
        order=320,
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
            gettext("Lock or unlock…"),
            reverse("steward_guards:lock", args=(page.pk,)),
            "lock",
            priority,
            page=page,
        )
    elif locks.is_locked(page):
        yield PageMenuItem(
            gettext("Unlock"),
            reverse("steward_guards:unlock", args=(page.pk,)),
            "lock-open",
            priority,
            page=page,
        )
    else:
        yield PageMenuItem(
            gettext("Lock"),
            reverse("steward_guards:lock", args=(page.pk,)),
            "lock",
            priority,
            page=page,
        )
    yield PageMenuItem(
        gettext("Merge into another…"),
        reverse("steward_guards:merge", args=(page.pk,)),
        "resubmit",
        priority + 1,
        page=page,
    )


def page_header_guard_buttons(page, user, view_name, next_url=None):
    yield from _guard_buttons(page, user, 62)


def page_listing_guard_buttons(page, user, next_url=None):
    yield from _guard_buttons(page, user, 45, lock_state_known=False)
