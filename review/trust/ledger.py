"""The reputation ledger: the one way points and judgments are written.

`record_event` appends; nothing here updates or deletes. Totals are replayed by
review.trust.standing.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from review.trust.reputation import points_for

# Which kinds count toward reliability (DESIGN.md §4): "good" when someone else
# accepted the user's edit or another organization confirmed the user's value;
# "bad" when it was reverted or contradicted as wrong. Reports and their outcome
# are reputation, not judgments of the user's values.
JUDGMENTS = {
    "edit_accepted": "good",
    "edit_reverified": "good",
    "value_confirmed": "good",
    "edit_reverted": "bad",
    "verification_shown_wrong": "bad",
    "value_contradicted": "bad",
    "spam": "bad",
}


def record_event(*, user, kind, page=None, organization=None, at=None, note="", related=None):
    """Append one event to `user`'s ledger and return it.

    `kind` is a key of the POINTS table (review.conf); the points are taken from
    it now and kept on the row. `related` optionally names the object the event
    is about (a verification, a report, a revision).
    """
    from review.models import LedgerEvent

    points = points_for(kind)  # KeyError for an unknown kind: a programming error
    event = LedgerEvent(
        user=user,
        kind=kind,
        points=points,
        judgment=JUDGMENTS.get(kind, ""),
        page=getattr(page, "page_ptr", page),
        organization=organization,
        note=note,
        created_at=at or timezone.now(),
    )
    if related is not None:
        event.related_type = ContentType.objects.get_for_model(related)
        event.related_id = str(related.pk)
    event.save()
    return event


def events_about(related, *, kind=None):
    """The events recorded about one object (e.g. has this edit been re-verified?)."""
    from review.models import LedgerEvent

    events = LedgerEvent.objects.filter(
        related_type=ContentType.objects.get_for_model(related), related_id=str(related.pk)
    )
    return events.filter(kind=kind) if kind else events
