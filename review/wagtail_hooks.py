from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from directory.models import OrganizationPage, ServicePage
from review import admin_views, guard_views, guards, jobs, locks, parts, privileges
from review.actions import VERIFY_ACTION
from review.fields import LABELS
from review.privileges import is_moderator


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action(VERIFY_ACTION)
    class VerifyFormatter(LogFormatter):
        label = _("Verify still accurate")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            names = ", ".join(LABELS.get(f, f) for f in data.get("fields", [])).lower()
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


hooks.register("steward_listing_parts", parts.listing_part)
hooks.register("steward_card_parts", parts.card_parts)


@hooks.register("register_admin_urls")
def review_admin_urls():
    return [
        path("review/verify/<int:page_id>/", admin_views.verify, name="review_verify"),
        path("review/due/", admin_views.due, name="review_due"),
        path("review/reputation/", admin_views.my_reputation, name="review_reputation"),
    ]


class ProfessionalsMenuItem(MenuItem):
    def is_shown(self, request):
        return privileges.is_professional(request.user)


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
    if privileges.is_professional(request.user):
        panels.append(admin_views.DuePanel(request))


def _verify_button(page, user, cls):
    if page.specific_class is not ServicePage or not privileges.is_professional(user):
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


LISTING_TYPES = (OrganizationPage, ServicePage)


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
