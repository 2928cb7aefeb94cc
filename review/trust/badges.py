"""The freshness badge in plain language (DESIGN.md §4), from the freshness store.

Reads only ListingFreshness rows: one query for a listing, one for a page of
result cards. A listing the store has not seen yet reads as not yet verified.
"""

from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FRESH, DUE, NEW = "fresh", "due", "new"


@dataclass(frozen=True)
class Badge:
    tone: str  # fresh | due | new
    text: str  # the full sentence, for the listing page
    short: str  # for a result card


def ago(when, *, now):
    """ "today", "yesterday", "12 days ago", "14 months ago", "3 years ago"."""
    days = (now - when).days
    if days < 1:
        return _("today")
    if days == 1:
        return _("yesterday")
    if days < 60:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    months = round(days / 30.4375)
    if months < 24:
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}
    years = days // 365
    return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}


def _checked_list(names):
    """ "Phone numbers and hours", from trust field names."""
    from review.trust.fields import LABELS

    labels = [str(LABELS.get(name, name)) for name in names]
    labels = [labels[0]] + [label[:1].lower() + label[1:] for label in labels[1:]]
    if len(labels) == 1:
        return labels[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(labels[:-1]), "last": labels[-1]}


def _day(value):
    return date_format(value, "DATE_FORMAT")


def _partial(row, *, now):
    """ "Phone numbers and hours checked today; other details last checked 14
    months ago": what the latest, partial, verification covered, and the rest."""
    checked = _("%(fields)s checked %(when)s") % {
        "fields": _checked_list(row.partly_checked_fields),
        "when": ago(row.last_verified_at, now=now),
    }
    if row.last_full_verification_at is not None:
        text = _("%(checked)s; other details last checked %(when)s") % {
            "checked": checked,
            "when": ago(row.last_full_verification_at, now=now),
        }
    elif row.source_verified_on is not None:
        text = _("%(checked)s; other details verified by the source on %(date)s") % {
            "checked": checked,
            "date": _day(row.source_verified_on),
        }
    else:
        text = _("%(checked)s; other details not yet checked") % {"checked": checked}
    return checked, text


def _needs_checking(text):
    return _("Needs checking: %(details)s") % {"details": f"{text[0].lower()}{text[1:]}"}


def describe(row, *, now=None):
    """The badge for one ListingFreshness row (or None: never computed).

    Every sentence goes through translation (whole sentences, named placeholders),
    in the language of the request being answered.
    """
    now = now or timezone.now()
    not_yet = _("Not yet verified")
    if row is None:
        return Badge(NEW, not_yet, not_yet)
    stale = row.is_stale(now)
    if row.last_verified_at is None:
        if row.source_verified_on is None:
            if row.imported_from:
                text = _("Imported from %(source)s, not yet verified here") % {
                    "source": row.imported_from
                }
            else:
                text = not_yet
            return Badge(NEW, text, not_yet)
        text = _("Imported from %(source)s, verified by the source on %(date)s") % {
            "source": row.imported_from,
            "date": _day(row.source_verified_on),
        }
        if stale:
            return Badge(DUE, _needs_checking(text), _("Needs checking"))
        return Badge(
            FRESH,
            text,
            _("Verified by its source %(when)s") % {"when": ago(_midnight(row), now=now)},
        )
    if row.partly_checked_fields:
        short, text = _partial(row, now=now)
        if not stale:
            return Badge(FRESH, text, short)
        return Badge(DUE, _needs_checking(text), _("Needs checking"))
    if not stale:
        when = ago(row.last_verified_at, now=now)
        count = row.verifying_organizations_count
        if count:
            text = ngettext(
                "Verified %(when)s by %(count)d organization",
                "Verified %(when)s by %(count)d organizations",
                count,
            ) % {"when": when, "count": count}
        else:
            text = _("Verified %(when)s") % {"when": when}
        return Badge(FRESH, text, _("Verified %(when)s") % {"when": when})
    if row.last_full_verification_at is None:
        when = ago(row.last_verified_at, now=now)
        return Badge(
            DUE,
            _("Needs checking: only some details were verified (%(when)s)") % {"when": when},
            _("Needs checking"),
        )
    when = ago(row.last_full_verification_at, now=now)
    return Badge(
        DUE,
        _("Needs checking: last verified %(when)s") % {"when": when},
        _("Needs checking: verified %(when)s") % {"when": when},
    )


def _midnight(row):
    from review.trust.store import _start_of

    return _start_of(row.source_verified_on)


def badges_for(pages, *, now=None):
    """{page pk: Badge} for many listings, in at most two queries.

    A listing the store has not computed yet (imported since the last daily run)
    is described from its import record: the source's date, or not yet verified.
    """
    from directory.models import SourceRecord
    from review.models import ListingFreshness
    from review.trust.store import stale_after

    pages = list(pages)
    rows = {
        row.page_id: row
        for row in ListingFreshness.objects.filter(page_id__in=[p.pk for p in pages])
    }
    missing = {page.uuid: page.pk for page in pages if page.pk not in rows}
    if missing:
        records = SourceRecord.objects.filter(kind="service", object_uuid__in=list(missing))
        for record in records.order_by(F("assured_date").asc(nulls_first=True)):
            row = ListingFreshness(
                page_id=missing[record.object_uuid],
                imported_from=record.source,
                source_verified_on=record.assured_date,
            )
            if record.assured_date:
                row.stale_at = _midnight(row) + stale_after()
            rows[row.page_id] = row
    return {page.pk: describe(rows.get(page.pk), now=now) for page in pages}


def hsds_dates(services):
    """{page pk: directory.hsds.serialize.Dates} from the freshness store, for the
    HSDS export and API (hook `steward_hsds_dates`): one query for a page."""
    from directory.hsds.serialize import Dates
    from review.models import ListingFreshness

    rows = ListingFreshness.objects.filter(page_id__in=[s.pk for s in services])
    return {
        row.page_id: Dates(
            assured_date=row.source_verified_on,
            last_verified_at=row.last_verified_at,
            score=row.score,
            verifying_organizations=row.verifying_organizations_count,
        )
        for row in rows
    }
