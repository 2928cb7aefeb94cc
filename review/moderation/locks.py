"""Locked listings: crisis lines, shelters, domestic-violence services and vandalised
pages that only moderators may edit (DESIGN.md §2, §4).

Wagtail's own lock lets only the user who set it edit; here any moderator may.
The directory asks through its hook point `steward_listing_lock` (answered in
review/wagtail_hooks.py with `listing_lock_for`), so its pages' `get_lock()`
returns a `ModeratorLock` while a `ListingLock` row exists.
"""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.html import format_html
from django.utils.translation import gettext

from wagtail.locks import BaseLock
from wagtail.log_actions import log

from directory.members import acting_organization
from review.models import ListingLock
from review.models.locks import LockReason
from review.policy import is_moderator

__all__ = [
    "LockReason",
    "ModeratorLock",
    "can_edit_locked",
    "is_locked",
    "location_is_locked",
    "listing_lock_for",
    "lock",
    "unlock",
]


def _lock_row(page):
    if page is None or page.pk is None:
        return None
    return ListingLock.objects.filter(page_id=page.pk).first()


def is_locked(page):
    return (
        page is not None
        and page.pk is not None
        and (ListingLock.objects.filter(page_id=page.pk).exists())
    )


def location_is_locked(location):
    """A location shares the lock of its organization or of any service given there:
    a shelter's address is as protected as the shelter's listing."""
    from directory.models import ServiceAtLocation

    services = ServiceAtLocation.objects.filter(location_id=location.pk).values("service_id")
    return ListingLock.objects.filter(
        models.Q(page_id=location.organization_id) | models.Q(page_id__in=services)
    ).exists()


def can_edit_locked(user, page):
    """Only moderators (and superusers) edit a locked listing."""
    return is_moderator(user)


class ModeratorLock(BaseLock):
    """Wagtail's lock for a locked listing: it applies to everyone but moderators."""

    def __init__(self, page, row):
        super().__init__(page)
        self.row = row

    def for_user(self, user):
        return not can_edit_locked(user, self.object)

    def get_message(self, user):
        reason = self.row.get_reason_display()
        if self.for_user(user):
            return format_html(
                gettext(
                    "<b>This listing is locked</b> ({reason}): only moderators may change it. "
                    "To suggest a correction, use “Report a problem” on its public page or "
                    "ask a moderator."
                ),
                reason=reason,
            )
        return format_html(
            gettext(
                "<b>This listing is locked</b> ({reason}): only moderators can change it, "
                "and you are one."
            ),
            reason=reason,
        )

    def get_locked_by(self, user):
        return gettext("Locked by moderators")

    def get_description(self, user):
        return gettext("Only moderators can make changes while this listing is locked")


def listing_lock_for(page):
    """The answer to directory's `steward_listing_lock` hook point."""
    row = _lock_row(page)
    return ModeratorLock(page, row) if row is not None else None


def _log_data(user, **extra):
    organization = acting_organization(user)
    data = dict(extra)
    if organization is not None:
        data["organization"] = {"id": organization.pk, "title": organization.title}
    return data


@transaction.atomic
def lock(*, page, user, reason, note=""):
    """Lock a listing so only moderators may edit it. Locking a locked listing
    changes its reason and note (a new history row) and logs again."""
    if not is_moderator(user):
        raise PermissionDenied(gettext("Only moderators may lock listings."))
    if reason not in LockReason.values:
        raise ValueError(f"Unknown lock reason: {reason!r}")
    page = page.specific
    row = ListingLock.objects.select_for_update().filter(page_id=page.pk).first()
    if row is None:
        row = ListingLock(page_id=page.pk)
    row.locked_by = user
    row.reason = reason
    row.note = note
    row.save()
    log(instance=page, action="steward.lock", user=user, data=_log_data(user, reason=reason))
    return row


@transaction.atomic
def unlock(*, page, user):
    """Lift a listing's lock; returns False when it was not locked."""
    if not is_moderator(user):
        raise PermissionDenied(gettext("Only moderators may unlock listings."))
    page = page.specific
    row = ListingLock.objects.select_for_update().filter(page_id=page.pk).first()
    if row is None:
        return False
    reason = row.reason
    row.delete()
    log(instance=page, action="steward.unlock", user=user, data=_log_data(user, reason=reason))
    return True
