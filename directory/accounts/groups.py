"""Groups and per-object permissions, kept in step with memberships.

Two kinds of rights follow a membership (DESIGN.md §2):

- editing the organization's page and its services in Wagtail's editor: the
  group "<Organization> editors", which holds Wagtail page permissions on the
  organization's subtree; every current member is in it;
- rights outside the page editor (manage members, approve membership requests,
  register email domains): django-guardian permissions on the organization page,
  held by its current admins. Moderators hold the same permissions on the model,
  so for every organization.

`reconcile()` makes both match the current memberships. The membership actions
call it for the one user they change, so an ended membership loses its rights at
once; the periodic job calls it for everyone, for memberships whose `until` passed
on its own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail.models import GroupPagePermission

from guardian.models import UserObjectPermission

from directory.models import Membership, OrganizationEditors, OrganizationPage
from directory.roles import ANALYSTS, MODERATORS, PROFESSIONALS  # noqa: F401 (re-read here)

EDITOR_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
ADMIN_PERMISSIONS = ("manage_members", "approve_membership_requests", "register_email_domains")
CLAIM_PERMISSION = "claim_organization"


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def directory_permissions(codenames):
    content_type = ContentType.objects.get_for_model(OrganizationPage)
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def ensure_role_groups():
    """The role groups with their model-wide permissions (idempotent).

    Every role signs in to the admin. Professionals may ask to claim an
    organization that has no admin; moderators hold the organization admins'
    rights for every organization. Page permissions are granted elsewhere
    (moderators' on the whole tree by whoever sets up the site, e.g. seed_demo).
    """
    access_admin = _permission("wagtailadmin", "access_admin")
    groups = {}
    for name in (PROFESSIONALS, MODERATORS, ANALYSTS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
    groups[PROFESSIONALS].permissions.add(*directory_permissions([CLAIM_PERMISSION]))
    groups[MODERATORS].permissions.add(*directory_permissions(ADMIN_PERMISSIONS))
    return groups


def grant_page_permissions(group, page):
    for codename in EDITOR_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def editors_group_name(organization):
    name = f"{organization.title} editors"
    if len(name) > 150 or (
        Group.objects.filter(name=name).exclude(pk=_linked_group_id(organization)).exists()
    ):
        # Two organizations may share a title; their groups must not be shared.
        name = f"{organization.title[:120]} editors (#{organization.pk})"
    return name


def _linked_group_id(organization):
    return (
        OrganizationEditors.objects.filter(organization_id=organization.pk)
        .values_list("group_id", flat=True)
        .first()
    )


def editors_group(organization):
    """The organization's "<title> editors" group, with edit and publish rights on
    its page and services; made on first use."""
    link = (
        OrganizationEditors.objects.select_related("group")
        .filter(organization_id=organization.pk)
        .first()
    )
    if link is not None:
        return link.group
    with transaction.atomic():
        group = Group.objects.create(name=editors_group_name(organization))
        OrganizationEditors.objects.create(organization_id=organization.pk, group=group)
        grant_page_permissions(group, organization)
    return group


def reconcile(*, user=None, now=None):
    """Make editors-group membership and organization-admin permissions match the
    current memberships, for one user or for everyone. Returns (added, removed).

    A handful of queries whatever the number of organizations; writes only the
    differences, so running it twice changes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = Membership.objects.current(now=now)
        if user is not None:
            current = current.filter(user_id=user.pk)
        rows = list(current.values_list("user_id", "organization_id", "role"))
        added, removed = _reconcile_groups(rows, user)
        perms_added, perms_removed = _reconcile_admin_permissions(rows, user)
    return added + perms_added, removed + perms_removed


def _reconcile_groups(rows, user):
    group_of = dict(OrganizationEditors.objects.values_list("organization_id", "group_id"))
    missing = {org_id for _, org_id, _ in rows} - set(group_of)
    for organization in OrganizationPage.objects.filter(pk__in=missing):
        group_of[organization.pk] = editors_group(organization).pk

    through = get_user_model().groups.through
    existing = through.objects.filter(group_id__in=group_of.values())
    if user is not None:
        existing = existing.filter(user_id=user.pk)
    have = {(u, g): pk for pk, u, g in existing.values_list("pk", "user_id", "group_id")}
    want = {(u, group_of[o]) for u, o, _ in rows}
    to_add = want - set(have)
    to_remove = [pk for pair, pk in have.items() if pair not in want]
    through.objects.bulk_create([through(user_id=u, group_id=g) for u, g in to_add])
    if to_remove:
        through.objects.filter(pk__in=to_remove).delete()
    return len(to_add), len(to_remove)


def _reconcile_admin_permissions(rows, user):
    content_type = ContentType.objects.get_for_model(OrganizationPage)
    permission_ids = [p.pk for p in directory_permissions(ADMIN_PERMISSIONS)]
    existing = UserObjectPermission.objects.filter(
        content_type=content_type, permission_id__in=permission_ids
    )
    if user is not None:
        existing = existing.filter(user_id=user.pk)
    have = {
        (u, obj, p): pk
        for pk, u, obj, p in existing.values_list("pk", "user_id", "object_pk", "permission_id")
    }
    want = {
        (u, str(o), p)
        for u, o, role in rows
        if role == Membership.Role.ADMIN
        for p in permission_ids
    }
    to_add = want - set(have)
    to_remove = [pk for key, pk in have.items() if key not in want]
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user_id=u, object_pk=obj, permission_id=p, content_type=content_type
            )
            for u, obj, p in to_add
        ]
    )
    if to_remove:
        UserObjectPermission.objects.filter(pk__in=to_remove).delete()
    return len(to_add), len(to_remove)


def reconcile_job(*, now):
    """Periodic job: memberships whose `until` passed (or whose `since` came)."""
    reconcile(now=now)
