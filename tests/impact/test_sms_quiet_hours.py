"""Quiet hours: the follow-up question Steward starts waits for the morning in
the service's local time; a reply to someone's message is never held."""

import datetime as dt
import zoneinfo

from django.utils import timezone

import pytest

from impact.models import SmsFollowUp
from impact.sms import backends
from steward.settings.base import STEWARD_SMS as SHIPPED
from tests.factories import LocationFactory, OrganizationFactory, category, make_service
from tests.impact.test_sms import ALL_WEEK, SMS, text

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.STEWARD_SMS = {**SMS, "QUIET_HOURS": SHIPPED["QUIET_HOURS"]}
    backends.outbox.clear()
    yield
    backends.outbox.clear()


class Clock:
    """Moves timezone.now() for the webhook and the periodic jobs alike."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, moment):
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def pantry(db):
    organization = OrganizationFactory(title="Greater Chicago Food Partners")
    return make_service(
        organization=organization,
        title="Weekly groceries",
        categories=[category("102")],
        hours=ALL_WEEK,
        phones=("(312) 555-0101",),
    )


def run_periodic_at(clock, moment):
    from steward.periodic import run_due_jobs

    clock.set(moment)
    return dict(run_due_jobs(now=moment, force=True))["impact.sms_follow_ups"]


def ask_for_a_follow_up(client, clock, moment):
    clock.set(moment)
    assert text(client, "food 60601")
    assert "Reply FOLLOW" in text(client, "1")
    assert "Thanks. In 3 days" in text(client, "FOLLOW")
    return SmsFollowUp.objects.get()


def test_the_shipped_quiet_hours_are_nine_at_night_to_eight_in_the_morning():
    assert SHIPPED["QUIET_HOURS"] == ("21:00", "08:00")


def test_a_follow_up_due_at_night_waits_for_eight_in_the_morning(client, clock, pantry):
    # Asked at 22:30 in Chicago: three days later is 22:30, inside the quiet hours.
    follow_up = ask_for_a_follow_up(client, clock, dt.datetime(2026, 3, 2, 22, 30, tzinfo=CHICAGO))
    assert follow_up.ask_at == dt.datetime(2026, 3, 6, 8, 0, tzinfo=CHICAGO)

    for night in (
        dt.datetime(2026, 3, 5, 22, 31, tzinfo=CHICAGO),
        dt.datetime(2026, 3, 6, 3, 0, tzinfo=CHICAGO),
        dt.datetime(2026, 3, 6, 7, 59, tzinfo=CHICAGO),
    ):
        assert run_periodic_at(clock, night) == "ok"
        assert backends.outbox == [], night
    assert run_periodic_at(clock, dt.datetime(2026, 3, 6, 8, 0, tzinfo=CHICAGO)) == "ok"
    assert [m["body"] for m in backends.outbox] == [
        "Did you get help at Weekly groceries? Reply YES or NO (like NO CLOSED)."
    ]


def test_a_follow_up_due_in_the_day_is_asked_at_the_same_time_three_days_later(
    client, clock, pantry
):
    follow_up = ask_for_a_follow_up(client, clock, dt.datetime(2026, 3, 2, 14, 0, tzinfo=CHICAGO))
    assert follow_up.ask_at == dt.datetime(2026, 3, 5, 14, 0, tzinfo=CHICAGO)
    run_periodic_at(clock, dt.datetime(2026, 3, 5, 14, 1, tzinfo=CHICAGO))
    assert len(backends.outbox) == 1


def test_a_late_run_at_night_holds_a_question_that_fell_due_in_the_evening(client, clock, pantry):
    # Due at 20:00; the job did not run until 23:00 (a deploy, a stopped cron).
    ask_for_a_follow_up(client, clock, dt.datetime(2026, 3, 2, 20, 0, tzinfo=CHICAGO))
    run_periodic_at(clock, dt.datetime(2026, 3, 5, 23, 0, tzinfo=CHICAGO))
    assert backends.outbox == []
    follow_up = SmsFollowUp.objects.get()
    assert follow_up.asked_at is None and follow_up.number_encrypted  # still waiting
    assert follow_up.ask_at == dt.datetime(2026, 3, 6, 8, 0, tzinfo=CHICAGO)
    run_periodic_at(clock, dt.datetime(2026, 3, 6, 8, 5, tzinfo=CHICAGO))
    assert len(backends.outbox) == 1


def test_the_night_is_the_services_own_local_night(client, clock, pantry):
    # The service's place is in New York: 20:30 in Chicago is 21:30 there.
    place = LocationFactory(organization=pantry.get_parent().specific, timezone="America/New_York")
    link = pantry.service_at_locations.first()
    link.location = place
    link.save()
    follow_up = ask_for_a_follow_up(client, clock, dt.datetime(2026, 3, 2, 20, 30, tzinfo=CHICAGO))
    assert follow_up.ask_at == dt.datetime(2026, 3, 6, 8, 0, tzinfo=NEW_YORK)


def test_daylight_saving_overnight_still_waits_until_eight_local(client, clock, pantry):
    # Clocks go forward in Chicago on 8 March 2026 at 02:00.
    follow_up = ask_for_a_follow_up(client, clock, dt.datetime(2026, 3, 4, 23, 0, tzinfo=CHICAGO))
    assert follow_up.ask_at == dt.datetime(2026, 3, 8, 8, 0, tzinfo=CHICAGO)
    assert follow_up.ask_at.astimezone(dt.UTC).hour == 13  # CDT, not CST


def test_a_reply_to_a_message_at_night_is_immediate(client, clock, pantry):
    clock.set(dt.datetime(2026, 3, 2, 2, 30, tzinfo=CHICAGO))
    assert "Weekly groceries" in text(client, "food 60601")
    assert "Weekly groceries" in text(client, "1")
    assert "ZIP code" in text(client, "HELP")


def test_without_quiet_hours_a_question_is_asked_at_any_hour(client, clock, pantry, settings):
    settings.STEWARD_SMS = {**SMS, "QUIET_HOURS": None}
    follow_up = ask_for_a_follow_up(client, clock, dt.datetime(2026, 3, 2, 23, 0, tzinfo=CHICAGO))
    assert follow_up.ask_at == dt.datetime(2026, 3, 5, 23, 0, tzinfo=CHICAGO)
    run_periodic_at(clock, dt.datetime(2026, 3, 5, 23, 1, tzinfo=CHICAGO))
    assert len(backends.outbox) == 1
