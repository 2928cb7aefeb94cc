"""Who may do what with a listing (DESIGN.md §4, "Privileges"). Derived, never stored.

Membership comes from `directory.members`; reputation from `review.standing`.
The editing work extends this module (locks, the publish policy hook); the
rules stay here, in one place, so a permission test reads one file.
"""

from directory.members import group_names, is_member, organization_of
from review.standing import standing_for
from review.trust import trust_setting

MODERATORS_GROUP = "Moderators"


def is_active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_moderator(user):
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    return MODERATORS_GROUP in group_names(user)


def is_professional(user):
    """Signed in with access to the workspace (the admin)."""
    return is_active(user) and user.has_perm("wagtailadmin.access_admin")


def _passes(standing, points_key, wilson_key=None):
    if standing.points < trust_setting(points_key):
        return False
    if wilson_key is None:
        return True
    wilson = standing.wilson
    return wilson is not None and wilson >= trust_setting(wilson_key)


def publishes_anywhere(user):
    """≥ 1000 points with a Wilson lower bound ≥ 0.8."""
    return is_active(user) and _passes(
        standing_for(user), "PUBLISH_ANYWHERE_POINTS", "PUBLISH_ANYWHERE_WILSON"
    )


def can_publish(user, page):
    """Publish edits to this listing without review (locks are checked by the caller
    through review.locks once it exists)."""
    if not is_active(user):
        return False
    if is_moderator(user):
        return True
    return is_member(user, organization_of(page)) or publishes_anywhere(user)


def can_review(user, page, *, editor_organizations=()):
    """Review others' suggestions: ≥ 500 points or a moderator; never one's own
    organization's listing or a suggestion from one's own organization (the
    caller passes the editors' organizations)."""
    if not is_active(user):
        return False
    if is_moderator(user):
        return True
    if not _passes(standing_for(user), "REVIEW_POINTS"):
        return False
    organization = organization_of(page)
    if is_member(user, organization):
        return False
    return not any(is_member(user, org) for org in editor_organizations)


def can_rollback(user, page):
    """Undo one editor's run of edits in one action: ≥ 2000 points with Wilson ≥ 0.8,
    or a moderator."""
    if not is_active(user):
        return False
    return is_moderator(user) or _passes(standing_for(user), "ROLLBACK_POINTS", "ROLLBACK_WILSON")
