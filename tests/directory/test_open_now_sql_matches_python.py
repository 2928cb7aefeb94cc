"""`open_now` in SQL (the search filter) and in Python (the "Open now" pill every
card shows) are one rule: hypothesis draws schedules (service or place rows, in
two time zones, weekly, overnight, dated exceptions, closures) and a moment, and
the search page filtered by open_now=1 lists the service exactly when its card on
the unfiltered page says "Open now"."""

import datetime as dt
import uuid
import zoneinfo
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import LocationSchedule, ServiceSchedule
from directory.models.pages import ServiceStatus
from tests.factories import LocationFactory, OrganizationFactory, make_service

pytestmark = pytest.mark.django_db

quarter_hours = st.integers(min_value=0, max_value=95).map(lambda q: dt.time(q // 4, (q % 4) * 15))
FIRST_DAY = dt.date(2026, 11, 23)  # a Monday
days = st.integers(min_value=0, max_value=9).map(lambda n: FIRST_DAY + dt.timedelta(days=n))

weekly = st.fixed_dictionaries(
    {
        "weekday": st.integers(1, 7),
        "opens_at": quarter_hours,
        "closes_at": quarter_hours,
    }
)
exception = st.fixed_dictionaries(
    {
        "weekday": st.none(),
        "valid_from": days,
        "valid_to": st.none() | days,
        "closed": st.booleans(),
        "opens_at": st.none() | quarter_hours,
        "closes_at": st.none() | quarter_hours,
    }
)
row = st.one_of(weekly, weekly, exception)
where = st.sampled_from([None, 0, 1])  # service-wide, or at one of the two places


@st.composite
def schedules(draw):
    return {
        "status": draw(st.sampled_from([ServiceStatus.ACTIVE] * 4 + [ServiceStatus.INACTIVE])),
        "zones": draw(
            st.lists(
                st.sampled_from(["America/Chicago", "America/New_York", "America/Denver"]),
                min_size=2,
                max_size=2,
            )
        ),
        "own": draw(st.lists(st.tuples(row, where), max_size=3)),
        "places": draw(st.lists(st.tuples(row, st.sampled_from([0, 1])), max_size=4)),
        "moment": draw(
            st.datetimes(
                min_value=dt.datetime(2026, 11, 23), max_value=dt.datetime(2026, 12, 2, 23, 59)
            )
        ),
    }


def open_state_shown(client, title, now, **params):
    with mock.patch("directory.views.timezone.now", return_value=now):
        html = client.get("/search/", {"q": title, **params}).content.decode()
    return html


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=schedules())
def test_open_now_in_sql_agrees_with_the_open_now_pill(client, case):
    org = OrganizationFactory()
    places = [LocationFactory(organization=org, timezone=zone) for zone in case["zones"]]
    title = f"Zq{uuid.uuid4().hex[:10]}"
    service = make_service(
        organization=org, title=title, location=places[0], hours=(), status=case["status"]
    )
    service.service_at_locations.create(location=places[1], sort_order=1)
    for fields, at in case["own"]:
        ServiceSchedule.objects.create(
            service=service, location=places[at] if at is not None else None, **fields
        )
    for fields, at in case["places"]:
        LocationSchedule.objects.create(location=places[at], **fields)
    now = case["moment"].replace(tzinfo=zoneinfo.ZoneInfo("America/Chicago"))

    card = f">{title}</a></h2>"
    everything = open_state_shown(client, title, now)
    assert card in everything
    pill_says_open = 'class="pill pill-open"' in everything
    listed_when_open_now = card in open_state_shown(client, title, now, open_now="1")
    assert listed_when_open_now == pill_says_open
