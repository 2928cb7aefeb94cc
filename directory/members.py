"""Who belongs to which organization, asked in one place.

Review, history and impact ask these questions; they never query memberships
themselves, so the rules (current only, roles, acting organization) live here.
"""

from directory.models import Membership, OrganizationPage, Professional

ACTING_ORGANIZATION_SESSION_KEY = "steward_acting_organization"


def organization_of(page):
    """The organization a listing belongs to: itself, or a service's parent."""
    if page is None:
        return None
    page = page.specific if hasattr(page, "specific") else page
    if isinstance(page, OrganizationPage):
        return page
    parent = page.get_parent()
    if parent is None:
        return None
    parent = parent.specific
    return parent if isinstance(parent, OrganizationPage) else None


def parent_path(path):
    """The tree path of a page's parent (a service's organization)."""
    return path[: -OrganizationPage.steplen]


def organizations_by_path(paths, queryset=None):
    """{page path: its organization (or None)} for many pages, in one query: the
    one organization-from-tree-path lookup. `queryset` narrows what is fetched
    (e.g. `.only(...)`, `.values(...)`); rows must carry `path`."""
    paths = list(paths)
    queryset = OrganizationPage.objects.all() if queryset is None else queryset
    rows = queryset.filter(path__in={parent_path(p) for p in paths})
    by_parent = {(row["path"] if isinstance(row, dict) else row.path): row for row in rows}
    return {p: by_parent.get(parent_path(p)) for p in paths}


def current_memberships(user):
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.current().filter(user=user)


def current_organizations(user):
    return OrganizationPage.objects.filter(
        pk__in=current_memberships(user).values("organization_id")
    ).order_by("title")


def is_member(user, organization):
    """A current member of the organization, in any role."""
    if organization is None:
        return False
    return current_memberships(user).filter(organization_id=organization.pk).exists()


def is_org_admin(user, organization):
    if organization is None:
        return False
    return (
        current_memberships(user)
        .filter(organization_id=organization.pk, role=Membership.Role.ADMIN)
        .exists()
    )


def acting_organization(user, request=None):
    """The organization the user acts for now (DESIGN.md §4), or None.

    The one chosen in this session when it is still a current membership; else
    the one saved on the profile ("My organizations") when still current; else
    the user's only current organization; else, with several and no choice
    made, the one joined first.
    """
    organizations = list(current_organizations(user))
    if not organizations:
        return None
    by_pk = {organization.pk: organization for organization in organizations}
    if request is not None and hasattr(request, "session"):
        chosen = request.session.get(ACTING_ORGANIZATION_SESSION_KEY)
        if chosen in by_pk:
            return by_pk[chosen]
    if len(organizations) == 1:
        return organizations[0]
    saved = (
        Professional.objects.filter(user_id=user.pk)
        .values_list("acting_organization_id", flat=True)
        .first()
    )
    if saved in by_pk:
        return by_pk[saved]
    first = current_memberships(user).order_by("since", "pk").first()
    return by_pk[first.organization_id]


def group_names(user):
    """The names of the user's groups, read once per user object (so once per
    request): the admin menu asks several role questions on every page."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_steward_group_names")
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user.__dict__["_steward_group_names"] = cached
    return cached


def organization_data(organization):
    """An organization as the audit log records it: {"id", "title"}, or None."""
    if organization is None:
        return None
    return {"id": organization.pk, "title": organization.title}
