import datetime as dt

from django.conf import settings
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from directory.models import ServicePage
from directory.periodic import Job
from impact import admin_urls, parts
from impact.counts import count_listing_view, flush_view_counts, views_since
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


@hooks.register("steward_listing_viewed")
def listing_viewed(request, page_id):
    """A GET of a service page, served from the page cache or not
    (directory.pagecache): counted in the cache, flushed by run_periodic."""
    count_listing_view(request, page_id)


@hooks.register("steward_listing_views")
def listing_views(page_ids, since):
    return views_since(page_ids, since)


@hooks.register("steward_periodic_jobs")
def impact_jobs():
    every = settings.STEWARD.get("PAGE_CACHE", {}).get("VIEW_FLUSH_SECONDS", 60)
    return [*periodic_jobs(), Job("impact.view_counts", dt.timedelta(seconds=every), _flush)]


def _flush(*, now):
    flush_view_counts(now=now)


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
        _("My referrals"), reverse("impact_referrals:index"), icon_name="link", order=250
    )


@hooks.register("register_admin_menu_item")
def dashboard_menu_item():
    return DashboardMenuItem(
        _("Impact"), reverse("impact_dashboard:index"), icon_name="table", order=260
    )
