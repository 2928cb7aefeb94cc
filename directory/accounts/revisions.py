"""Which organization each revision was made for (DESIGN.md §4).

The admin's page and snippet hooks call `record_revision_organization` after
every save; code that makes revisions outside the admin (review's approvals,
history's reverts) calls it too. Write-once: a second call for the same
revision keeps the first answer.
"""

from directory.members import acting_organization
from directory.models import RevisionOrganization


def record_revision_organization(revision, user, request=None):
    """Record the organization `user` acts for on `revision` (None when they act
    for none) and return the row; does nothing without a revision."""
    if revision is None:
        return None
    user = user if user is not None and user.is_authenticated else None
    organization = acting_organization(user, request) if user is not None else None
    row, _ = RevisionOrganization.objects.get_or_create(
        revision_id=revision.pk,
        defaults={"organization": organization, "user": user or revision.user},
    )
    return row


def record_latest_revision(request, obj):
    """For the admin hooks: the object's latest revision, when this user made it.

    Some hooked actions (cancelling a workflow, say) make no revision; the latest
    one then belongs to someone else and is left alone.
    """
    revision = getattr(obj, "latest_revision", None)
    if revision is None or revision.user_id != getattr(request.user, "pk", None):
        return None
    return record_revision_organization(revision, request.user, request)
