"""Open now: weekly hours, overnight hours, time zones and dated exceptions.

Each case is checked twice: in SQL (ServiceQuerySet.open_now) and in memory
(effective_open_state, which the pages use), so the two never disagree.
"""

import datetime as dt
import zoneinfo

import pytest

from directory.models import LocationSchedule, ServicePage, ServiceSchedule
from directory.querysets import effective_open_state
from directory.selectors import service_cards
from tests.factories import LocationFactory, OrganizationFactory, make_service

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")
MON, TUE, FRI, SAT = 1, 2, 5, 6


def at(year, month, day, hour, minute=0, zone=CHICAGO):
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


# 2026-11-23 is a Monday.
MONDAY = dt.date(2026, 11, 23)


def open_in_sql(service, now):
    return ServicePage.objects.open_now(now).filter(pk=service.pk).exists()


def open_in_memory(service, now):
    return service_cards([service], now=now)[0].open_state is True


def assert_open(service, now, expected):
    assert open_in_sql(service, now) is expected, f"SQL at {now}"
    assert open_in_memory(service, now) is expected, f"memory at {now}"


def weekday_service(**kwargs):
    return make_service(hours=((MON, dt.time(9), dt.time(17)),), **kwargs)


def test_open_during_weekly_hours_and_closed_outside_them():
    service = weekday_service()
    assert_open(service, at(2026, 11, 23, 9), True)
    assert_open(service, at(2026, 11, 23, 16, 59), True)
    assert_open(service, at(2026, 11, 23, 17), False)  # closing time is exclusive
    assert_open(service, at(2026, 11, 23, 8, 59), False)
    assert_open(service, at(2026, 11, 24, 12), False)  # Tuesday


def test_the_same_instant_is_judged_in_the_locations_time_zone():
    org = OrganizationFactory()
    west = LocationFactory(organization=org, timezone="America/Los_Angeles")
    service = make_service(organization=org, location=west, hours=((MON, dt.time(9), dt.time(17)),))
    # 10am in Chicago is 8am in Los Angeles: not open yet.
    assert_open(service, at(2026, 11, 23, 10), False)
    assert_open(service, at(2026, 11, 23, 9, zone=LOS_ANGELES), True)
    # 6pm in Chicago is 4pm in Los Angeles: still open.
    assert_open(service, at(2026, 11, 23, 18), True)


def test_overnight_hours_run_into_the_next_morning():
    service = make_service(hours=((FRI, dt.time(20), dt.time(6)),))
    assert_open(service, at(2026, 11, 27, 19, 59), False)
    assert_open(service, at(2026, 11, 27, 23), True)  # Friday night
    assert_open(service, at(2026, 11, 28, 5, 59), True)  # Saturday morning
    assert_open(service, at(2026, 11, 28, 6), False)
    assert_open(service, at(2026, 11, 28, 23), False)  # Saturday night is not Friday


def test_midnight_to_midnight_is_open_all_day_up_to_the_last_minute():
    service = make_service(hours=((MON, dt.time(0), dt.time(0)),))
    assert_open(service, at(2026, 11, 23, 0), True)
    assert_open(service, dt.datetime(2026, 11, 23, 23, 59, 59, tzinfo=CHICAGO), True)
    assert_open(service, at(2026, 11, 24, 0), False)  # Tuesday


def test_a_closed_exception_overrides_the_weekly_hours_that_day_only():
    service = weekday_service()
    service.hours.add(ServiceSchedule(valid_from=MONDAY, valid_to=MONDAY, closed=True))
    service.save_revision().publish()
    assert_open(service, at(2026, 11, 23, 12), False)
    assert_open(service, at(2026, 11, 30, 12), True)  # the next Monday


def test_an_exception_with_special_hours_replaces_the_weekly_hours():
    service = weekday_service()
    service.hours.add(
        ServiceSchedule(valid_from=MONDAY, opens_at=dt.time(10), closes_at=dt.time(12))
    )
    service.save_revision().publish()
    # valid_to empty: from that day on, as OpeningHours.applies_on reads it.
    assert_open(service, at(2026, 11, 23, 9, 30), False)
    assert_open(service, at(2026, 11, 23, 11), True)
    assert_open(service, at(2026, 11, 23, 13), False)


def test_services_without_their_own_hours_use_their_locations_hours():
    org = OrganizationFactory()
    place = LocationFactory(organization=org)
    LocationSchedule.objects.create(
        location=place, weekday=TUE, opens_at=dt.time(8), closes_at=dt.time(12)
    )
    service = make_service(organization=org, location=place, hours=())
    assert_open(service, at(2026, 11, 24, 9), True)
    assert_open(service, at(2026, 11, 24, 13), False)
    LocationSchedule.objects.create(
        location=place,
        valid_from=dt.date(2026, 11, 24),
        valid_to=dt.date(2026, 11, 24),
        closed=True,
    )
    assert_open(service, at(2026, 11, 24, 9), False)


def test_a_services_own_hours_win_over_its_locations_hours():
    org = OrganizationFactory()
    place = LocationFactory(organization=org)
    LocationSchedule.objects.create(
        location=place, weekday=TUE, opens_at=dt.time(8), closes_at=dt.time(12)
    )
    service = make_service(organization=org, location=place)  # Monday 9–5 at the place
    assert_open(service, at(2026, 11, 24, 9), False)
    assert_open(service, at(2026, 11, 23, 10), True)


def test_service_wide_hours_use_the_first_locations_time_zone():
    org = OrganizationFactory()
    west = LocationFactory(organization=org, timezone="America/Los_Angeles")
    service = make_service(organization=org, location=west, hours=())
    service.hours.add(ServiceSchedule(weekday=MON, opens_at=dt.time(9), closes_at=dt.time(17)))
    service.save_revision().publish()
    assert_open(service, at(2026, 11, 23, 10), False)
    assert_open(service, at(2026, 11, 23, 12), True)


def test_a_closed_exception_at_one_location_leaves_the_other_open():
    from tests.factories import add_location

    org = OrganizationFactory()
    north, south = LocationFactory(organization=org), LocationFactory(organization=org)
    service = make_service(
        organization=org, location=north, hours=((MON, dt.time(9), dt.time(17)),)
    )
    add_location(service, south, hours=((MON, dt.time(9), dt.time(17)),))
    service.hours.add(
        ServiceSchedule(location=north, valid_from=MONDAY, valid_to=MONDAY, closed=True)
    )
    service.save_revision().publish()
    assert_open(service, at(2026, 11, 23, 12), True)
    service.hours.add(ServiceSchedule(valid_from=MONDAY, valid_to=MONDAY, closed=True))
    service.save_revision().publish()
    assert_open(service, at(2026, 11, 23, 12), False)


def test_no_hours_means_unknown_not_closed():
    service = make_service(hours=())
    assert service_cards([service], now=at(2026, 11, 23, 12))[0].open_state is None
    assert not open_in_sql(service, at(2026, 11, 23, 12))


def test_effective_open_state_without_a_database():
    row = ServiceSchedule(weekday=SAT, opens_at=dt.time(22), closes_at=dt.time(2))
    rows = [(row, "America/Chicago", None)]
    assert effective_open_state(rows, at(2026, 11, 29, 1)) is True  # Sunday 1am
    assert effective_open_state(rows, at(2026, 11, 29, 3)) is False
    assert effective_open_state([], at(2026, 11, 29, 3)) is None


def test_sql_and_memory_agree_on_random_schedules_and_times():
    """A property check: many hour shapes (overnight, exceptions, zones, location
    hours) judged at many instants give the same answer in SQL and in memory."""
    import random

    rng = random.Random(20261123)
    org = OrganizationFactory()
    zones = ["America/Chicago", "America/New_York", "America/Los_Angeles", "Pacific/Honolulu"]
    places = [LocationFactory(organization=org, timezone=zone) for zone in zones]
    for place in places:
        for _ in range(rng.randint(0, 3)):
            opens = dt.time(rng.randrange(24), rng.choice((0, 30)))
            closes = dt.time(rng.randrange(24), rng.choice((0, 30)))
            LocationSchedule.objects.create(
                location=place, weekday=rng.randint(1, 7), opens_at=opens, closes_at=closes
            )
        if rng.random() < 0.5:
            day = MONDAY + dt.timedelta(days=rng.randrange(7))
            LocationSchedule.objects.create(
                location=place, valid_from=day, valid_to=day, closed=True
            )
    services = []
    for n in range(16):
        own = []
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            opens = dt.time(rng.randrange(24))
            closes = dt.time(rng.randrange(24))
            own.append((rng.randint(1, 7), opens, closes))
        service = make_service(
            organization=org, title=f"S{n}", location=rng.choice(places), hours=tuple(own)
        )
        if rng.random() < 0.3:
            day = MONDAY + dt.timedelta(days=rng.randrange(7))
            service.hours.add(
                ServiceSchedule(
                    valid_from=day,
                    valid_to=day,
                    closed=rng.random() < 0.5,
                    opens_at=dt.time(10),
                    closes_at=dt.time(rng.choice((14, 2))),
                )
            )
            service.save_revision().publish()
        services.append(service)

    by_pk = {s.pk: s for s in services}
    seen_open = 0
    for _ in range(40):
        now = at(2026, 11, 23, 0) + dt.timedelta(minutes=rng.randrange(8 * 24 * 60))
        in_sql = set(ServicePage.objects.open_now(now).values_list("pk", flat=True))
        cards = service_cards(list(by_pk.values()), now=now)
        in_memory = {pk for pk, card in zip(by_pk, cards, strict=True) if card.open_state}
        assert in_sql == in_memory, now
        seen_open += len(in_sql)
    assert 0 < seen_open < 40 * len(services)  # the check saw both answers


def opens(service, now):
    return service_cards([service], now=now)[0].opens


def test_a_closed_service_says_when_it_opens_next():
    weekdays = make_service(hours=tuple((day, dt.time(9), dt.time(17)) for day in range(1, 6)))
    assert opens(weekdays, at(2026, 11, 23, 8)) == "Opens today at 9am"
    assert opens(weekdays, at(2026, 11, 23, 18)) == "Opens tomorrow at 9am"
    assert opens(weekdays, at(2026, 11, 27, 18)) == "Opens Monday at 9am"
    assert opens(weekdays, at(2026, 11, 23, 12)) == ""  # open: nothing to say


def test_the_next_opening_skips_a_closed_day_and_follows_overnight_hours():
    service = make_service(hours=((FRI, dt.time(20), dt.time(6)), (SAT, dt.time(20), dt.time(6))))
    assert opens(service, at(2026, 11, 27, 19)) == "Opens today at 8pm"
    service.hours.add(
        ServiceSchedule(
            valid_from=dt.date(2026, 11, 27), valid_to=dt.date(2026, 11, 27), closed=True
        )
    )
    service.save_revision().publish()
    assert opens(service, at(2026, 11, 27, 19)) == "Opens tomorrow at 8pm"


def test_the_next_opening_is_told_in_the_places_own_time():
    org = OrganizationFactory()
    west = LocationFactory(organization=org, timezone="America/Los_Angeles")
    service = make_service(organization=org, location=west, hours=((MON, dt.time(9), dt.time(17)),))
    # 10am in Chicago is 8am in Los Angeles.
    assert opens(service, at(2026, 11, 23, 10)) == "Opens today at 9am"
