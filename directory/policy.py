"""Who may edit and publish a listing, asked by the directory, answered elsewhere.

DESIGN.md §2: the directory never imports review. Where it needs review's
answer (may this user publish this listing without review?), it asks the hook
point ``steward_publish_policy``: ``fn(user, page) -> True | False | None``.
The first hook that answers True or False decides; None passes. With no answer,
only current members of the listing's organization publish.

Editing is open to every signed-in professional (the wiki): their edits go
live only when they may publish, otherwise they wait for review.
"""

from wagtail import hooks

from directory.members import is_member, organization_of

PUBLISH_POLICY_HOOK = "steward_publish_policy"


def is_professional(user):
    """Signed in with access to the workspace (the admin): the one definition
    (review.policy re-exports it)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("wagtailadmin.access_admin")
    )


def may_publish(user, page):
    """May this user publish edits to this listing without review?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for fn in hooks.get_hooks(PUBLISH_POLICY_HOOK):
        answer = fn(user, page)
        if answer is not None:
            return bool(answer)
    return is_member(user, organization_of(page))
