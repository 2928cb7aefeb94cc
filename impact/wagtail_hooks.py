from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from directory.models import ServicePage
from impact import admin_urls, parts
from impact.counts import increment, is_bot, views_since
from impact.permissions import can_refer, can_see_dashboard
from impact.reminders import periodic_jobs


@hooks.register("steward_listing_parts")
def impact_listing_parts(request, page, slot):
    if not isinstance(page, ServicePage):
        return None
    if slot == "status":
        return parts.status_part(request, page)
    if slot == "actions":
        return parts.actions_part(request, page)
    if slot == "footer":
        return parts.footer_part(request, page)
    return None


@hooks.register("before_serve_page")
def count_listing_view(page, request, serve_args, serve_kwargs):
    """A daily count of views of service pages by people (not HEAD, not robots)."""
    if request.method != "GET" or not isinstance(page, ServicePage):
        return
    if is_bot(request.META.get("HTTP_USER_AGENT")):
        return
    increment(page.pk, "view")


@hooks.register("steward_listing_views")
def listing_views(page_ids, since):
    return views_since(page_ids, since)


@hooks.register("steward_periodic_jobs")
def impact_jobs():
    return periodic_jobs()


@hooks.register("register_admin_urls")
def impact_admin_urls():
    return [
        path("referrals/", include(admin_urls.referral_patterns, namespace="impact_referrals")),
        path("impact/", include(admin_urls.dashboard_patterns, namespace="impact_dashboard")),
    ]


class ReferralsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_refer(request.user)


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def referrals_menu_item():
    return ReferralsMenuItem(
        "My referrals", reverse("impact_referrals:index"), icon_name="link", order=250
    )


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return DashboardMenuItem(
        "Impact", reverse("impact_dashboard:index"), icon_name="table", order=260
    )
