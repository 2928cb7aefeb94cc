"""The open-now index (directory.models.OpenInterval): each service's weekly open
hours as rows the open-now search filter can match with an index.

What a service's rows are is the rule of ServiceQuerySet.open_now and
querysets.effective_open_state, for weekly hours:

- its effective hours are its own schedule rows when it has any, else the rows of
  each of its places;
- an own row is judged in its place's time zone, else the service's first place's,
  else settings.TIME_ZONE; a place's rows in that place's time zone;
- a weekly row open from `opens_at` to `closes_at` on its weekday is one stretch;
  one that closes at or before it opens runs past midnight (equal times are 24
  hours), so it is a stretch to midnight and one from midnight on the next day;
- hours said in words (no weekday, no date) never make a service open;
- a dated exception, or a weekly row limited to some dates, makes the service's
  open state depend on the day: such a service gets one `by_rule` row, and
  open_now judges it by the full rule in SQL instead.

Kept up to date: a save or delete of a service's or a place's hours, of a
service-at-place link or of a place (its time zone) marks the services concerned;
they are rewritten once, when the transaction commits (and before an open-now
search in the same transaction reads them). Writes that send no signals (the
import's and the generator's bulk inserts) reach `rebuild` through the search
index (directory.search_index.index_services), which every publish, import and
`update_index` runs.
"""

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router, transaction

DAY_SECONDS = 24 * 60 * 60
BATCH = 2000

_pending = threading.local()


def _seconds(value):
    return value.hour * 3600 + value.minute * 60 + value.second


def stretches(weekday, opens_at, closes_at):
    """[(weekday, starts, ends)] in seconds of the local day for one weekly row."""
    start, end = _seconds(opens_at), _seconds(closes_at)
    if end > start:
        return [(weekday, start, end)]
    # Past midnight (or 24 hours): to midnight, then from midnight the next day.
    out = [(weekday, start, DAY_SECONDS)]
    if end > 0:
        out.append((weekday % 7 + 1, 0, end))
    return out


def _is_dated(row):
    return row.valid_from is not None or row.valid_to is not None


def intervals_for(rows):
    """The OpenInterval values of one service from its effective rows:
    [(row, zone)] -> ("rule", None) or ("weekly", [(zone, weekday, starts, ends)])."""
    out = set()
    for row, zone in rows:
        if row.weekday is None:
            if row.valid_from is not None:
                return "rule", None  # a dated exception
            continue  # hours in words
        if _is_dated(row):
            return "rule", None
        if row.opens_at is None or row.closes_at is None:
            continue
        for weekday, starts, ends in stretches(row.weekday, row.opens_at, row.closes_at):
            out.add((zone, weekday, starts, ends))
    return "weekly", sorted(out)


def _models(apps, *names):
    if apps is None:
        from django.apps import apps
    return [apps.get_model("directory", name) for name in names]


@dataclass(frozen=True)
class Row:
    """The fields of an hours row that decide open-now."""

    weekday: int | None
    opens_at: dt.time | None
    closes_at: dt.time | None
    valid_from: dt.date | None
    valid_to: dt.date | None


def effective_rows(service_ids, *, apps=None):
    """{service id: [(row, zone)]}: the rows that decide each service's hours (see
    the module docstring), in a fixed number of queries (plain values, no model
    instances: this runs for every service an import or the generator writes)."""
    LocationSchedule, ServiceAtLocation, ServiceSchedule = _models(  # noqa: N806
        apps, "LocationSchedule", "ServiceAtLocation", "ServiceSchedule"
    )
    fields = ("weekday", "opens_at", "closes_at", "valid_from", "valid_to")
    default = settings.TIME_ZONE
    links = defaultdict(list)
    for service_id, location_id, zone in (
        ServiceAtLocation.objects.filter(service_id__in=service_ids)
        .order_by("service_id", "sort_order", "pk")
        .values_list("service_id", "location_id", "location__timezone")
    ):
        links[service_id].append((location_id, zone))
    own = defaultdict(list)
    for service_id, zone, *values in ServiceSchedule.objects.filter(
        service_id__in=service_ids
    ).values_list("service_id", "location__timezone", *fields):
        own[service_id].append((Row(*values), zone))
    place_ids = {
        location_id
        for service_id, places in links.items()
        if service_id not in own
        for location_id, _ in places
    }
    place_rows = defaultdict(list)
    if place_ids:
        for location_id, *values in LocationSchedule.objects.filter(
            location_id__in=place_ids
        ).values_list("location_id", *fields):
            place_rows[location_id].append(Row(*values))
    result = {}
    for service_id in service_ids:
        places = links.get(service_id, [])
        if service_id in own:
            fallback = places[0][1] if places else default
            result[service_id] = [
                (row, (fallback if zone is None else zone) or default)
                for row, zone in own[service_id]
            ]
        else:
            result[service_id] = [
                (row, zone or default)
                for location_id, zone in places
                for row in place_rows.get(location_id, [])
            ]
    return result


def rebuild(service_ids, *, apps=None):
    """Rewrite the open-now rows of these services (any number, in batches).
    `apps`: a migration's app registry (the migration that adds the table fills it)."""
    OpenInterval, ServicePage = _models(apps, "OpenInterval", "ServicePage")  # noqa: N806
    connection = connections[router.db_for_write(OpenInterval)]
    quote = connection.ops.quote_name
    insert = (
        f"INSERT INTO {quote(OpenInterval._meta.db_table)} "  # noqa: S608 - the model's own table
        "(service_id, zone, weekday, starts, ends, by_rule) VALUES (%s, %s, %s, %s, %s, %s)"
    )
    ids = sorted({int(pk) for pk in service_ids if pk})
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        existing = set(ServicePage.objects.filter(pk__in=batch).values_list("pk", flat=True))
        rows = []
        for service_id, effective in effective_rows(sorted(existing), apps=apps).items():
            kind, values = intervals_for(effective)
            if kind == "rule":
                # One row per time zone its rows are judged in, so that the
                # open-now filter knows every zone from this table alone.
                zones = sorted({zone for _, zone in effective}) or [settings.TIME_ZONE]
                rows.extend((service_id, zone, 0, 0, 0, True) for zone in zones)
            else:
                rows.extend((service_id, *value, False) for value in values)
        with transaction.atomic(using=connection.alias):
            OpenInterval.objects.filter(service_id__in=batch).delete()
            if rows:
                with connection.cursor() as cursor:
                    cursor.executemany(insert, rows)


def rebuild_all(*, apps=None):
    """Every service's rows anew (`manage.py rebuild_open_intervals`)."""
    OpenInterval, ServicePage = _models(apps, "OpenInterval", "ServicePage")  # noqa: N806

    ids = list(ServicePage.objects.order_by("pk").values_list("pk", flat=True))
    OpenInterval.objects.exclude(service_id__in=ServicePage.objects.values("pk")).delete()
    rebuild(ids, apps=apps)
    return len(ids)


# --- keeping them up to date ----------------------------------------------------


def _state():
    if not hasattr(_pending, "services"):
        _pending.services, _pending.locations = set(), set()
    return _pending


def _mark(*, services=(), locations=()):
    state = _state()
    state.services.update(pk for pk in services if pk)
    state.locations.update(pk for pk in locations if pk)
    # Once per change; the first flush does the work, the others find nothing.
    transaction.on_commit(flush, robust=True)


def mark_services(service_ids):
    """These services' rows are rewritten when the transaction commits."""
    _mark(services=service_ids)


def flush():
    """Rewrite the rows of the services marked since the last flush."""
    from directory.models import ServiceAtLocation

    state = _state()
    services, locations = set(state.services), set(state.locations)
    state.services.clear()
    state.locations.clear()
    if locations:
        services |= set(
            ServiceAtLocation.objects.filter(location_id__in=locations).values_list(
                "service_id", flat=True
            )
        )
    if services:
        rebuild(services)


def flush_pending():
    """Before an open-now search: changes made in this transaction count already."""
    state = _state()
    if state.services or state.locations:
        flush()


def service_hours_changed(sender, instance, **kwargs):
    """post_save / post_delete of ServiceSchedule or ServiceAtLocation."""
    if kwargs.get("raw"):
        return
    _mark(services=[instance.service_id])


def place_hours_changed(sender, instance, **kwargs):
    """post_save / post_delete of LocationSchedule."""
    if kwargs.get("raw"):
        return
    _mark(locations=[instance.location_id])


def place_changed(sender, instance, **kwargs):
    """post_save of a Location (its time zone may have changed)."""
    if kwargs.get("raw"):
        return
    _mark(locations=[instance.pk])


def connect():
    from django.db.models.signals import post_delete, post_save

    from directory.models import Location, LocationSchedule, ServiceAtLocation, ServiceSchedule

    for model in (ServiceSchedule, ServiceAtLocation):
        for signal in (post_save, post_delete):
            signal.connect(
                service_hours_changed,
                sender=model,
                dispatch_uid=f"steward-open-intervals-{model.__name__}-{signal is post_save}",
            )
    for signal in (post_save, post_delete):
        signal.connect(
            place_hours_changed,
            sender=LocationSchedule,
            dispatch_uid=f"steward-open-intervals-LocationSchedule-{signal is post_save}",
        )
    post_save.connect(place_changed, sender=Location, dispatch_uid="steward-open-intervals-place")
