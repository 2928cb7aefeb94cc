"""Registers the membership screens, audit-log actions, revision hooks and the
periodic job with Wagtail. Imported once from directory/wagtail_hooks.py."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from directory.accounts import admin_views, permissions
from directory.accounts.groups import reconcile_job
from directory.accounts.revisions import record_latest_revision
from directory.models import Location

admin_urls = [
    path("mine/", admin_views.my_organizations, name="mine"),
    path("mine/join/", admin_views.join, name="join"),
    path("mine/act/", admin_views.act_for, name="act"),
    path("mine/claim/", admin_views.claim_pick, name="claim_pick"),
    path("requests/", admin_views.all_requests, name="requests"),
    path("requests/<int:pk>/withdraw/", admin_views.withdraw, name="withdraw"),
    path(
        "requests/<int:pk>/approve/",
        admin_views.decide,
        {"decision": "approve"},
        name="approve",
    ),
    path(
        "requests/<int:pk>/decline/",
        admin_views.decide,
        {"decision": "decline"},
        name="decline",
    ),
    path("organizations/<int:organization_id>/members/", admin_views.members, name="members"),
    path("organizations/<int:organization_id>/claim/", admin_views.claim, name="claim"),
    path(
        "organizations/<int:organization_id>/domains/add/",
        admin_views.add_domain,
        name="add_domain",
    ),
    path("domains/<int:pk>/remove/", admin_views.remove_domain, name="remove_domain"),
    path("memberships/<int:pk>/end/", admin_views.end, name="end"),
    path("memberships/<int:pk>/role/", admin_views.role, name="role"),
]


@hooks.register("register_admin_urls")
def register_account_urls():
    return [path("memberships/", include((admin_urls, "steward_accounts")))]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.decides_everywhere(request.user)


@hooks.register("register_admin_menu_item")
def my_organizations_menu_item():
    return MenuItem(
        _("My organizations"),
        reverse("steward_accounts:mine"),
        icon_name="group",
        order=150,
        name="my-organizations",
    )


@hooks.register("register_admin_menu_item")
def membership_requests_menu_item():
    return ModeratorMenuItem(
        _("Membership requests"),
        reverse("steward_accounts:requests"),
        icon_name="user",
        order=160,
        name="membership-requests",
    )


ACTIONS = [
    ("steward.membership.request", "Membership requested", "Asked to join the organization"),
    ("steward.membership.approve", "Membership approved", "Membership request approved"),
    ("steward.membership.decline", "Membership declined", "Membership request declined"),
    ("steward.membership.withdraw", "Membership request withdrawn", "Request withdrawn"),
    ("steward.membership.start", "Membership started", "Membership started"),
    ("steward.membership.end", "Membership ended", "Membership ended"),
    ("steward.membership.role", "Membership role changed", "Role changed"),
    ("steward.domain.add", "Email domain registered", "Email domain registered"),
    ("steward.domain.remove", "Email domain removed", "Email domain removed"),
    ("steward.organization.claim", "Organization claimed", "Asked to become its admin"),
    ("steward.organization.new", "Organization registered", "Asked to list a new organization"),
]


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("steward_periodic_jobs")
def membership_jobs():
    import datetime as dt

    from directory.periodic import Job

    return [Job("directory.memberships.reconcile", dt.timedelta(minutes=1), reconcile_job)]


# Which organization each revision was made for (RevisionOrganization). The
# hooks return None so the admin's own response goes on.
def _record_page_revision(request, page):
    record_latest_revision(request, page)


for hook_name in ("after_create_page", "after_edit_page", "after_publish_page"):
    hooks.register(hook_name, _record_page_revision)


def _record_location_revision(request, instance):
    if isinstance(instance, Location):
        record_latest_revision(request, instance)


for hook_name in ("after_create_snippet", "after_edit_snippet"):
    hooks.register(hook_name, _record_location_revision)
