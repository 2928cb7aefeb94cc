from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from directory.models import ServicePage
from review import admin_views, jobs, parts, privileges
from review.actions import VERIFY_ACTION
from review.fields import LABELS


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
