"""Review's one policy: every "who may" (DESIGN.md §4, "Privileges"). Derived,
never stored.

Review others' work (`is_reviewer`, the one definition of a reviewer, used by
the queue, the workflow task and decisions alike; `can_review` for one listing),
publish anywhere, roll back, resolve a report, act on a queue item. Membership
comes from `directory.members`; reputation from `review.trust.standing`; the numbers
from `review.conf`.
"""

from directory.members import group_names, is_member, organization_of
from directory.policy import is_professional
from directory.roles import MODERATORS as MODERATORS_GROUP
from review.conf import trust_setting
from review.trust.standing import standing_for


def is_active(user):
    return user is not None and user.is_authenticated and user.is_active


def is_moderator(user):
    if not is_active(user):
        return False
    if user.is_superuser:
        return True
    return MODERATORS_GROUP in group_names(user)


def is_reviewer(user):
    """A reviewer: a moderator, or a professional with ≥ REVIEW_POINTS (500)."""
    if is_moderator(user):
        return True
    return is_professional(user) and _passes(standing_for(user), "REVIEW_POINTS")


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
    through review.moderation.locks once it exists)."""
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
    if not is_reviewer(user):
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


def can_resolve_report(user, report):
    """Reviewers (≥ 500 points) and moderators; a reviewer never on their own
    organization's listing, and nobody on their own report."""
    if not is_active(user):
        return False
    if report.user_id == user.pk:
        return False
    if is_moderator(user):
        return True
    if not is_reviewer(user):
        return False
    return not is_member(user, organization_of(report.page))


def can_act_on_item(user, item):
    """Work this queue item: a moderator anywhere; a reviewer (≥ 500 points)
    except on their own organization's listing."""
    if is_moderator(user):
        return True
    if not is_reviewer(user):
        return False
    return not is_member(user, organization_of(item.page))
