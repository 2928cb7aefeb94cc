from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter

from directory.models import LISTING_TYPES
from review.policy import is_professional

from . import admin_urls
from .metadata import metadata_for
from .reports import may_read_audit_log


@hooks.register("register_log_actions")
def register_history_actions(actions):
    @actions.register_action("steward.revert")
    class Revert(LogFormatter):
        label = gettext_lazy("Revert")

        def format_message(self, log_entry):
            restored = (log_entry.data or {}).get("restored") or {}
            when = str(restored.get("created", ""))[:10]
            if when:
                return gettext("Reverted to the version of %(date)s") % {"date": when}
            return gettext("Reverted")

    @actions.register_action("steward.rollback")
    class Rollback(LogFormatter):
        label = gettext_lazy("Rollback")

        def format_message(self, log_entry):
            count = len((log_entry.data or {}).get("revisions") or [])
            return ngettext(
                "Rolled back a run of %(count)s edit",
                "Rolled back a run of %(count)s edits",
                count,
            ) % {"count": count}


@hooks.register("steward_listing_parts")
def history_link(request, page, slot):
    """The public History page, at the end of every listing (no query)."""
    if slot != "footer":
        return None
    return format_html(
        '<p class="history-link"><a href="{}">{}</a></p>',
        reverse("history:listing", args=[page.pk]),
        gettext("History: every change to this listing"),
    )


@hooks.register("register_admin_urls")
def register_history_admin_urls():
    return [path("history/", include(admin_urls, namespace="history_admin"))]


class ListingHistoryButton(PageMenuItem):
    label = gettext_lazy("Listing history")
    icon_name = "history"

    def is_shown(self, user):
        return is_professional(user) and self.page.specific_class in LISTING_TYPES

    @property
    def url(self):
        return reverse("history_admin:timeline", args=[self.page.pk])


@hooks.register("register_page_header_buttons")
def listing_history_header_button(page, user, view_name, next_url=None):
    yield ListingHistoryButton(page=page, priority=66)


@hooks.register("register_page_listing_more_buttons")
def listing_history_more_button(page, user, next_url=None):
    yield ListingHistoryButton(page=page, priority=51)


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_audit_log(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        gettext_lazy("Audit log"),
        reverse("history_admin:audit"),
        name="audit-log",
        icon_name="list-ul",
        order=1010,
    )


# The HSDS export and API ask for field-level provenance (directory.hsds.serialize).
hooks.register("steward_hsds_metadata", metadata_for)
