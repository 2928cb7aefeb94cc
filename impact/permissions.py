"""Who sees what in impact. Checked on the server by every view, GET and POST."""

from directory.members import current_memberships, group_names
from directory.roles import ANALYSTS as ANALYSTS_GROUP
from directory.roles import PROFESSIONALS as PROFESSIONALS_GROUP
from review.policy import is_active, is_moderator


def _in_group(user, name):
    return name in group_names(user)


def can_see_dashboard(user):
    """Analysts (group "Analysts") and moderators."""
    return is_active(user) and (is_moderator(user) or _in_group(user, ANALYSTS_GROUP))


def can_refer(user):
    """Professionals: members of an organization or of the group "Professionals",
    and moderators."""
    if not is_active(user):
        return False
    return (
        is_moderator(user)
        or _in_group(user, PROFESSIONALS_GROUP)
        or current_memberships(user).exists()
    )


def can_see_referral(user, referral):
    """Only the referring professional, and moderators."""
    if not is_active(user):
        return False
    return referral.professional_id == user.pk or is_moderator(user)
