"""Who may manage an organization's membership: one place for every check.

The rights are django-guardian permissions on the organization page, held by
its admins (directory.accounts.groups keeps them in step with memberships) and
by the group "Moderators" on the model, i.e. for every organization. Django's
`ModelBackend` answers the model-wide question and guardian's
`ObjectPermissionBackend` the per-object one (settings.AUTHENTICATION_BACKENDS),
so a right holds when either does. Superusers hold everything.
"""

from guardian.core import ObjectPermissionChecker

from directory.models import Membership

MANAGE_MEMBERS = "manage_members"
APPROVE_REQUESTS = "approve_membership_requests"
REGISTER_DOMAINS = "register_email_domains"
CLAIM = "claim_organization"


def is_signed_in(user):
    return user is not None and user.is_authenticated and user.is_active


def organization_rights(user, organization):
    """The set of codenames `user` holds on `organization`, model-wide or on the
    object, in two or three queries (screens ask once and keep the answer)."""
    if not is_signed_in(user) or organization is None:
        return frozenset()
    if user.is_superuser:
        return frozenset((MANAGE_MEMBERS, APPROVE_REQUESTS, REGISTER_DOMAINS, CLAIM))
    model_wide = {
        perm.split(".", 1)[1]
        for perm in user.get_all_permissions()
        if perm.startswith("directory.")
    }
    on_object = set(ObjectPermissionChecker(user).get_perms(organization))
    return frozenset(model_wide | on_object)


def organizations_with_members_screen(user, organizations):
    """The ids among `organizations` whose Members screen `user` may open, in a
    fixed number of queries (guardian's prefetch)."""
    organizations = list(organizations)
    if not is_signed_in(user) or not organizations:
        return set()
    screen = {MANAGE_MEMBERS, APPROVE_REQUESTS, REGISTER_DOMAINS}
    if user.is_superuser or screen & {perm.split(".", 1)[1] for perm in user.get_all_permissions()}:
        return {organization.pk for organization in organizations}
    checker = ObjectPermissionChecker(user)
    checker.prefetch_perms(organizations)
    return {
        organization.pk
        for organization in organizations
        if screen & set(checker.get_perms(organization))
    }


def has_organization_permission(user, codename, organization):
    return codename in organization_rights(user, organization)


def can_manage_members(user, organization):
    return has_organization_permission(user, MANAGE_MEMBERS, organization)


def can_approve_requests(user, organization):
    return has_organization_permission(user, APPROVE_REQUESTS, organization)


def can_register_domains(user, organization):
    return has_organization_permission(user, REGISTER_DOMAINS, organization)


def can_see_members(user, organization):
    """The Members screen opens for anyone holding one of the three rights."""
    return any(
        has_organization_permission(user, codename, organization)
        for codename in (MANAGE_MEMBERS, APPROVE_REQUESTS, REGISTER_DOMAINS)
    )


def decides_everywhere(user):
    """Moderators (and superusers): approve requests and claims for any organization."""
    return is_signed_in(user) and user.has_perm(f"directory.{APPROVE_REQUESTS}")


def has_admin(organization, *, now=None):
    return (
        Membership.objects.current(now=now)
        .filter(organization_id=organization.pk, role=Membership.Role.ADMIN)
        .exists()
    )


def can_claim(user, organization):
    """Ask to claim an organization that has no admin (e.g. an import placeholder).
    Professionals hold the permission; a moderator decides."""
    if not is_signed_in(user) or organization is None:
        return False
    if CLAIM not in organization_rights(user, organization):
        return False
    return not has_admin(organization)
