"""Trust's workspace hooks (registered by review/wagtail_hooks.py): the verify log
entries, "Still accurate" buttons, the due and reputation menus, the due panel."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from directory.models import ServicePage
from review import policy
from review.trust import admin_views
from review.trust.actions import VERIFY_ACTION
from review.trust.fields import LABELS


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


class ProfessionalsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.is_professional(request.user)


def due_menu_item():
    return ProfessionalsMenuItem(
        _("Due for verification"), reverse("review_due"), icon_name="date", order=210
    )


def reputation_menu_item():
    return ProfessionalsMenuItem(
        _("My reputation"), reverse("review_reputation"), icon_name="pick", order=220
    )


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


def verify_header_button(page, user, view_name, next_url=None):
    yield from _verify_button(page, user, Button)


def verify_listing_button(page, user, next_url=None):
    yield from _verify_button(page, user, Button)


def verify_demo_listings():
    from review.trust.demo import verify_demo_listings

    verify_demo_listings()
