"""Reads on services: `ServicePage.objects.listed().in_category(t).near(p).open_now(now)`.

Every filter here is written as `pk__in=<subquery>` (or on a field that
ServicePage indexes as a FilterField), so a filtered queryset can still be handed
to Wagtail's search backend, which filters its source queryset in SQL.
"""

import datetime as dt
import math
import zoneinfo
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor

from wagtail.models import PageManager, PageQuerySet

from directory.geo import CONFIDENTIAL_GRID_DEGREES, EARTH_RADIUS_KM, bounding_box
from directory.pagecache import note_hours

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def search_coordinate(field):
    """SQL for the coordinate search measures a location from (`field` is
    "location__latitude" or "location__longitude" on ServiceAtLocation): the grid
    cell's centre for a confidential place, as directory.geo.coarse_coordinate."""
    step = Value(CONFIDENTIAL_GRID_DEGREES)
    coarse = (Floor(F(field) / step) + Value(0.5)) * step
    return Case(
        When(location__address_is_public=False, then=coarse),
        default=F(field),
        output_field=FloatField(),
    )


class ServiceQuerySet(PageQuerySet):
    def listed(self):
        """What the public may find: live, public, and not closed for good."""
        from directory.models.pages import ServiceStatus
        from directory.routing import in_private_section

        # Not `.public()`, which reads every view restriction first: one query.
        return self.live().exclude(in_private_section()).exclude(status=ServiceStatus.DEFUNCT)

    def in_category(self, term):
        """Services in `term` or any category beneath it (one prefix match on tree_path)."""
        through = self.model.categories.through
        links = through.objects.filter(taxonomyterm__tree_path__startswith=term.tree_path)
        return self.filter(pk__in=links.values("servicepage_id"))

    def speaking(self, language):
        """Services offered in `language` (a Language or its code)."""
        through = self.model.languages.through
        if isinstance(language, str):
            links = through.objects.filter(language__code=language)
        else:
            links = through.objects.filter(language=language)
        return self.filter(pk__in=links.values("servicepage_id"))

    def near(self, point, radius_km=None):
        """Services with a location within `radius_km` of `point`, annotated with
        `distance_km2`: the squared distance to the nearest such location.
        A confidential location is measured from its coarse point
        (`search_coordinate`), never from its building.

        The bounding box is an indexable range pre-filter; the distance is the
        equirectangular approximation (plain arithmetic, so SQLite and PostgreSQL
        order by it alike with no trigonometric functions). Its error stays well
        under 1% at the radii a person travels for a service.
        """
        links = links_near(point, radius_km)
        nearest = links.filter(service_id=OuterRef("pk")).order_by("d2").values("d2")[:1]
        return self.filter(pk__in=links.values("service_id")).annotate(
            distance_km2=Subquery(nearest, output_field=FloatField())
        )

    def by_distance(self):
        """Nearest first; needs near(). Expressions, not names, so that the search
        backend accepts the ordering."""
        return self.order_by(F("distance_km2").asc(), F("title").asc(), F("pk").asc())

    def open_now(self, now):
        """Services open at the aware datetime `now`: active (`may_be_open`), and
        open by their effective hours.

        A service's effective hours are its own schedule rows when it has any,
        else the hours of its locations. Each row is judged in its own time zone:
        its location's, else the service's first location's, else
        settings.TIME_ZONE. A dated exception for the local day overrides the
        weekly hours of its place (a service-wide exception overrides them all).
        `effective_open_state` below is the same rule on rows in memory.

        Weekly hours are read from the open-now index (directory.open_intervals:
        one indexed row per open stretch of a local weekday); the few services
        whose hours have dated rows are judged by `open_by_rule`, the full rule.
        """
        from directory.models import OpenInterval
        from directory.open_intervals import flush_pending

        flush_pending()
        by_zone = Q(pk__in=[])
        zones_now = _zones_now(now, OpenInterval)
        for zone, local in zones_now.items():
            seconds = local.hour * 3600 + local.minute * 60 + local.second
            by_zone |= Q(
                zone=zone, weekday=local.isoweekday(), starts__lte=seconds, ends__gt=seconds
            )
        weekly = OpenInterval.objects.filter(by_zone, by_rule=False).values("service_id")
        by_rule = OpenInterval.objects.filter(by_rule=True).values("service_id")
        return self.filter(status__in=OPEN_STATUSES).filter(
            Q(pk__in=weekly) | (Q(pk__in=by_rule) & open_by_rule(by_rule, zones_now))
        )


def _zones_now(now, interval_model):
    """{zone: naive local time at `now`} for every time zone the open-now index
    holds (a loose index scan over its zone index), plus settings.TIME_ZONE."""
    from django.db import connection

    table = connection.ops.quote_name(interval_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE z(zone) AS (SELECT MIN(zone) FROM {table} "  # noqa: S608 - the model's own table
            f"UNION ALL SELECT (SELECT MIN(zone) FROM {table} WHERE zone > z.zone) "
            "FROM z WHERE z.zone IS NOT NULL) SELECT zone FROM z WHERE zone IS NOT NULL"
        )
        zones = {row[0] for row in cursor.fetchall()}
    zones.add(settings.TIME_ZONE)
    found = {}
    for name in zones:
        try:
            found[name] = now.astimezone(zoneinfo.ZoneInfo(name)).replace(tzinfo=None)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return found


def open_by_rule(service_ids, zones_now):
    """The full open-now rule in SQL, for the services `service_ids` (a subquery):
    dated exceptions, weekly rows limited to some dates, time zones. `zones_now`:
    {zone: naive local time} for every zone their rows are judged in (their
    open-now rows name them). A Q on ServicePage."""
    from directory.models import (
        LocationSchedule,
        ServiceAtLocation,
        ServiceSchedule,
    )

    def by_zone(zone_field, condition):
        return reduce(
            or_,
            (Q(**{zone_field: zone}) & condition(local) for zone, local in zones_now.items()),
            Q(pk__in=[]),
        )

    first_zone = (
        ServiceAtLocation.objects.filter(service=OuterRef("service"))
        .order_by("sort_order", "pk")
        .values("location__timezone")[:1]
    )
    own = ServiceSchedule.objects.filter(service__in=service_ids).annotate(
        zone=Coalesce(F("location__timezone"), Subquery(first_zone), Value(settings.TIME_ZONE))
    )
    same_place = Q(location__isnull=True) | Q(location=OuterRef("location"))
    own_exception_today = own.filter(service=OuterRef("service")).filter(
        same_place, by_zone("zone", exception_today_q)
    )
    own_closed_today = own.filter(service=OuterRef("service")).filter(
        same_place, by_zone("zone", closed_today_q)
    )
    own_open = own.filter(by_zone("zone", weekly_covers_q)).filter(~Exists(own_exception_today))
    own_open_by_exception = own.filter(by_zone("zone", exception_covers_q)).filter(
        ~Exists(own_closed_today)
    )

    rule_places = ServiceAtLocation.objects.filter(service__in=service_ids).values("location_id")
    place_exception_today = LocationSchedule.objects.filter(location=OuterRef("location")).filter(
        by_zone("location__timezone", exception_today_q)
    )
    place_closed_today = LocationSchedule.objects.filter(location=OuterRef("location")).filter(
        by_zone("location__timezone", closed_today_q)
    )
    places_open = (
        LocationSchedule.objects.filter(location__in=rule_places)
        .filter(by_zone("location__timezone", weekly_covers_q))
        .filter(~Exists(place_exception_today))
    )
    places_open_by_exception = (
        LocationSchedule.objects.filter(location__in=rule_places)
        .filter(by_zone("location__timezone", exception_covers_q))
        .filter(~Exists(place_closed_today))
    )
    at_open_places = (
        ServiceAtLocation.objects.filter(service__in=service_ids)
        .filter(
            Q(location__in=places_open.values("location_id"))
            | Q(location__in=places_open_by_exception.values("location_id"))
        )
        .filter(~Exists(ServiceSchedule.objects.filter(service=OuterRef("service"))))
        .values("service_id")
    )
    return (
        Q(pk__in=own_open.values("service_id"))
        | Q(pk__in=own_open_by_exception.values("service_id"))
        | Q(pk__in=at_open_places)
    )


ServiceManager = PageManager.from_queryset(ServiceQuerySet)


# The only statuses under which hours say anything about being open: a service
# that is temporarily closed, inactive or defunct is never "Open now", whatever its
# hours (ServiceStatus values; the pages model imports this module).
OPEN_STATUSES = ("active",)


def may_be_open(status):
    return status in OPEN_STATUSES


def service_open_state(status, rows, now):
    """Whether a service is open at `now`: True, False, or None to say nothing.

    The one rule every page reads (header pill, hours box, result cards, the plan
    page); `ServiceQuerySet.open_now` is the same rule in SQL. Status overrides
    hours: a service that is not active says nothing about hours being open (its
    status pill speaks instead). `rows` are as for effective_open_state.
    """
    if not may_be_open(status) or not rows:
        return None
    # A cached page showing this state lives only until it may change.
    note_hours(rows, now)
    return effective_open_state(rows, now)


# Row conditions at a naive local datetime. They mirror OpeningHours.covers and
# effective_open_state below, so SQL and Python agree.


def _applies_on(day):
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def weekly_covers_q(local):
    day, time = local.date(), local.time()
    yesterday = day - dt.timedelta(days=1)
    same_day = Q(weekday=local.isoweekday(), opens_at__lte=time, closes_at__gt=time) & Q(
        closes_at__gt=F("opens_at")
    )
    overnight = Q(closes_at__lte=F("opens_at"))
    evening = Q(weekday=local.isoweekday(), opens_at__lte=time) & _applies_on(day)
    morning = Q(weekday=yesterday.isoweekday(), closes_at__gt=time) & _applies_on(yesterday)
    return Q(weekday__isnull=False, opens_at__isnull=False, closes_at__isnull=False) & (
        (same_day & _applies_on(day)) | (overnight & (evening | morning))
    )


def exception_today_q(local):
    return Q(weekday__isnull=True, valid_from__isnull=False) & _applies_on(local.date())


def closed_today_q(local):
    return exception_today_q(local) & Q(closed=True)


def exception_covers_q(local):
    time = local.time()
    hours = Q(closed=False, opens_at__isnull=False, closes_at__isnull=False, opens_at__lte=time)
    return (
        exception_today_q(local)
        & hours
        & (
            (Q(closes_at__gt=time) & Q(closes_at__gt=F("opens_at")))
            | Q(closes_at__lte=F("opens_at"))
        )
    )


def zone_or_default(name):
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def effective_open_state(rows, now):
    """Open at `now` from rows in memory: [(row, time zone name, location id or None)].

    True, False, or None when there is nothing to judge by (no weekly hours and no
    exception today). The same rule as ServiceQuerySet.open_now.
    """
    judged = [
        (row, now.astimezone(zone_or_default(zone)).replace(tzinfo=None), place)
        for row, zone, place in rows
    ]
    exceptions_today = [
        (row, place)
        for row, local, place in judged
        if row.is_exception and row.valid_from and row.applies_on(local.date())
    ]
    today_ids = {id(row) for row, _ in exceptions_today}
    if not exceptions_today and not any(not row.is_exception for row, _, _ in judged):
        return None

    def overrides(exception_place, place):
        return exception_place is None or (place is not None and exception_place == place)

    for row, local, place in judged:
        if (
            not row.is_exception
            and row.covers(local)
            and not any(overrides(p, place) for _, p in exceptions_today)
        ):
            return True
    for row, local, place in judged:
        if id(row) not in today_ids or row.closed:
            continue
        if row.opens_at is None or row.closes_at is None:
            continue
        time = local.time()
        overnight = row.closes_at <= row.opens_at
        if (
            row.opens_at <= time
            and (overnight or time < row.closes_at)
            and not any(e.closed and overrides(p, place) for e, p in exceptions_today)
        ):
            return True
    return False


def next_opening(rows, now, *, days=7):
    """The next aware datetime after `now` at which one of `rows` opens, or None.

    Same rows and rules as effective_open_state: a dated exception for a day
    replaces the weekly hours of its place that day.
    """
    best = None
    for row, zone_name, place in rows:
        if row.opens_at is None or row.closed:
            continue
        zone = zone_or_default(zone_name)
        today = now.astimezone(zone).date()
        for offset in range(days + 1):
            day = today + dt.timedelta(days=offset)
            if row.is_exception:
                opens_that_day = bool(row.valid_from) and row.applies_on(day)
            else:
                opens_that_day = (
                    row.weekday == day.isoweekday()
                    and row.applies_on(day)
                    and not _exception_on(rows, day, place)
                )
            if not opens_that_day:
                continue
            start = dt.datetime.combine(day, row.opens_at, tzinfo=zone)
            if start > now:
                if best is None or start < best:
                    best = start
                break
    return best


def _exception_on(rows, day, place):
    """Whether a dated exception replaces the weekly hours at `place` on `day`."""
    return any(
        row.is_exception
        and row.valid_from
        and row.applies_on(day)
        and (other is None or (place is not None and other == place))
        for row, _, other in rows
    )


def links_near(point, radius_km=None):
    """Service-at-location links whose place is within `radius_km` of `point`,
    annotated with `d2`, the squared distance (km²) measured from the place's
    search coordinates (a confidential place's coarse point)."""
    from directory.models import ServiceAtLocation

    radius_km = radius_km or settings.STEWARD["NEAR_RADIUS_KM"]
    min_lat, max_lat, min_lng, max_lng = bounding_box(point, radius_km)
    kx = math.cos(math.radians(point.latitude)) * KM_PER_DEGREE
    ky = KM_PER_DEGREE
    dy = (F("search_lat") - Value(point.latitude)) * Value(ky)
    dx = (F("search_lng") - Value(point.longitude)) * Value(kx)
    # The indexable pre-filter on the true coordinates is widened by a grid
    # cell (a coarse point lies within half a cell of them); the exact test is
    # on the search coordinates, so a confidential building decides nothing.
    slack = CONFIDENTIAL_GRID_DEGREES
    links = (
        ServiceAtLocation.objects.filter(
            location__latitude__range=(min_lat - slack, max_lat + slack),
            location__longitude__range=(min_lng - slack, max_lng + slack),
        )
        .annotate(
            search_lat=search_coordinate("location__latitude"),
            search_lng=search_coordinate("location__longitude"),
        )
        .filter(
            search_lat__range=(min_lat, max_lat),
            search_lng__range=(min_lng, max_lng),
        )
        .annotate(d2=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField()))
        .filter(d2__lte=radius_km * radius_km)
    )
    return links
