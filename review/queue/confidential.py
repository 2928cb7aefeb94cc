"""“Possible confidential address” items (issue 10).

An import that finds a place looking like a shelter for survivors, whose source
did not mark its address private, hides the address and sets
`Location.possible_confidential` (directory/hsds/confidential.py). The scan
opens one item per organization with such places; a moderator decides for each
item: keep the address confidential, or make it public. Either decision is a
new revision of each location, and closes the item.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from wagtail.log_actions import log

from directory.models import Location
from review.models import ReviewItem
from review.policy import is_moderator

KIND = ReviewItem.Kind.POSSIBLE_CONFIDENTIAL
DECISIONS = {
    # Stored in English as the item's resolution; the message shows it translated.
    "keep_confidential": gettext_noop("Kept confidential: the address stays hidden."),
    "make_public": gettext_noop("Made public: the address is shown."),
}


def possible_confidential(*, now):
    """Trigger: organizations with places flagged by an import."""
    from review.queue.scan import Trigger

    by_org = {}
    for pk, name, org_id in Location.objects.filter(possible_confidential=True).values_list(
        "pk", "name", "organization_id"
    ):
        by_org.setdefault(org_id, []).append((pk, name))
    found = {}
    for org_id, places in by_org.items():
        names = ", ".join(name for _, name in places)
        found[(org_id, KIND)] = Trigger(
            reason=(
                f"Possible confidential address: {names} looks like a shelter for survivors, "
                "but the imported data did not mark the address private. It is hidden until "
                "a moderator decides."
            ),
            data={"locations": sorted(pk for pk, _ in places)},
        )
    return found


def flagged_locations(item):
    return list(
        Location.objects.filter(pk__in=item.data.get("locations", []), possible_confidential=True)
    )


def decide(*, item, user, decision, now=None):
    """Keep the item's places confidential or make them public; closes the item."""
    now = now or timezone.now()
    if decision not in DECISIONS:
        raise ValidationError(gettext("Choose: keep the address confidential, or make it public."))
    if not is_moderator(user):
        raise PermissionDenied(
            gettext("Only a moderator decides whether an address is confidential.")
        )
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if not item.is_open or item.kind != KIND:
            raise ValidationError(gettext("This item was already resolved."))
        for location in flagged_locations(item):
            location.possible_confidential = False
            location.address_is_public = decision == "make_public"
            location.save()
            location.save_revision(user=user, log_action=True)
        item.status = ReviewItem.Status.RESOLVED
        item.resolution = DECISIONS[decision]
        item.resolved_by = user
        item.resolved_at = now
        item.save()
        log(
            item.page.specific,
            "steward.queue.resolve",
            user=user,
            data={"kind": item.kind, "decision": decision},
            timestamp=now,
        )
    return item
