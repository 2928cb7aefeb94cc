"""Merging duplicate listings (DESIGN.md §3): one survives, the other redirects to it.

The duplicate is never deleted: it is retired through `directory.actions`
(unpublished and marked defunct in a new revision), its address redirects
permanently to the survivor, and a MergeRecord keeps both ids, so both
histories stay readable. Only listings of one kind merge (service into service,
organization into organization). An organization merge moves nothing
automatically: the duplicate organization's services must be moved or merged
first, so no live service disappears with it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log

from directory.actions import retire_listing
from directory.members import acting_organization
from directory.models import LISTING_TYPES, OrganizationPage, ServicePage
from review.models import MergeRecord
from review.policy import is_moderator


def merge_problems(*, survivor, duplicate):
    """Why these two listings cannot be merged, in words for the moderator ([] if they can)."""
    problems = []
    survivor, duplicate = survivor.specific, duplicate.specific
    if not isinstance(survivor, LISTING_TYPES) or not isinstance(duplicate, LISTING_TYPES):
        return [gettext("Only services and organizations can be merged.")]
    if survivor.pk == duplicate.pk:
        return [gettext("A listing cannot be merged into itself.")]
    if type(survivor) is not type(duplicate):
        problems.append(
            gettext(
                "Only listings of the same kind merge: a service into a service, an "
                "organization into an organization."
            )
        )
    if MergeRecord.objects.filter(duplicate_id=duplicate.pk).exists():
        problems.append(
            gettext("“%(title)s” was already merged into another listing.")
            % {"title": duplicate.title}
        )
    if MergeRecord.objects.filter(duplicate_id=survivor.pk).exists():
        problems.append(
            gettext("“%(title)s” was itself merged into another listing; merge into that one.")
            % {"title": survivor.title}
        )
    if not survivor.live:
        problems.append(
            gettext("“%(title)s” is not published, so it cannot take the visitors.")
            % {"title": survivor.title}
        )
    if (
        isinstance(duplicate, OrganizationPage)
        and ServicePage.objects.child_of(duplicate).live().exists()
    ):
        problems.append(
            gettext(
                "“%(title)s” still has published services. An organization merge moves "
                "nothing automatically: move its services to the surviving organization, or "
                "merge them into its services, first."
            )
            % {"title": duplicate.title}
        )
    return problems


def _page_ref(page):
    return {"id": page.pk, "title": page.title}


@transaction.atomic
def merge_listings(*, survivor, duplicate, user, note=""):
    if not is_moderator(user):
        raise PermissionDenied(gettext("Only moderators may merge listings."))
    survivor, duplicate = survivor.specific, duplicate.specific
    problems = merge_problems(survivor=survivor, duplicate=duplicate)
    if problems:
        raise ValidationError(problems)

    # The duplicate's address, taken while it is still live.
    site_id, _root_url, page_path = duplicate.get_url_parts() or (None, None, None)

    retire_listing(page=duplicate, user=user)

    if page_path:
        old_path = Redirect.normalise_path(page_path)
        redirect = Redirect.objects.filter(old_path=old_path, site_id=site_id).first()
        redirect = redirect or Redirect(old_path=old_path, site_id=site_id)
        redirect.redirect_page = survivor
        redirect.redirect_link = ""
        redirect.is_permanent = True
        redirect.save()

    record = MergeRecord.objects.create(
        survivor=survivor, duplicate=duplicate, merged_by=user, note=note
    )
    data = {"survivor": _page_ref(survivor), "duplicate": _page_ref(duplicate)}
    organization = acting_organization(user)
    if organization is not None:
        data["organization"] = _page_ref(organization)
    for page in (duplicate, survivor):
        log(instance=page, action="steward.merge", user=user, data=data)
    return record
