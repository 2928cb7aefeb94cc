"""Views and contact actions, counted as daily aggregates; the beacon."""

import datetime as dt
import io
import threading

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wagtail import hooks

import pytest

from impact.counts import increment, is_bot, views_since
from impact.models import DailyCount, Result
from tests.impact.conftest import BROWSER, add_outcomes

pytestmark = pytest.mark.django_db


def beacon(client, **data):
    return client.post("/beacon/", data, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.9")


def count(service, kind):
    # Views wait in the cache until run_periodic moves them to the daily rows.
    call_command("run_periodic", "--force", stdout=io.StringIO())
    row = DailyCount.objects.filter(page=service, kind=kind).first()
    return row.count if row else 0


def test_a_person_viewing_a_listing_is_counted_once_per_view_in_a_daily_row(client, service):
    for _ in range(3):
        assert client.get(service.url, HTTP_USER_AGENT=BROWSER).status_code == 200
    assert count(service, "view") == 3
    assert DailyCount.objects.filter(page=service, kind="view").count() == 1


@pytest.mark.parametrize(
    "agent", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.0", "HeadlessChrome"]
)
def test_robots_are_not_counted(client, service, agent):
    client.get(service.url, HTTP_USER_AGENT=agent)
    assert count(service, "view") == 0


def test_head_requests_are_not_counted(client, service):
    client.head(service.url, HTTP_USER_AGENT=BROWSER)
    assert count(service, "view") == 0


def test_organization_pages_are_not_counted(client, service, organization):
    client.get(organization.url, HTTP_USER_AGENT=BROWSER)
    call_command("run_periodic", "--force", stdout=io.StringIO())
    assert not DailyCount.objects.exclude(page=service).exists()


def test_the_listing_loads_the_first_party_beacon_script(client, service):
    html = client.get(service.url, HTTP_USER_AGENT=BROWSER).content.decode()
    assert (
        f'src="/static/js/impact.js" defer data-page="{service.pk}" data-beacon="/beacon/"' in html
    )
    assert 'data-contact="call"' in html  # the links themselves are plain links


def test_the_beacon_counts_a_contact_action(client, service):
    response = beacon(client, page=service.pk, action="call")
    assert response.status_code == 204
    assert not response.cookies
    assert count(service, "call") == 1


def test_the_same_client_repeating_an_action_counts_once_an_hour(client, service):
    for _ in range(3):
        beacon(client, page=service.pk, action="directions")
    beacon(client, page=service.pk, action="website")
    assert count(service, "directions") == 1
    assert count(service, "website") == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"page": "1", "action": "hack"},
        {"page": "abc", "action": "call"},
        {"page": "-1", "action": "call"},
        {"page": "9" * 40, "action": "call"},
        {"page": "999999", "action": "call"},
        {"action": "call"},
        {"page": "1", "action": "save"},  # counted by the server, never by the beacon
    ],
)
def test_bad_beacon_input_is_a_400(client, service, data):
    assert beacon(client, **data).status_code == 400
    assert not DailyCount.objects.exclude(kind="view").exists()


def test_the_beacon_refuses_get_and_json_garbage(client, service):
    assert client.get("/beacon/").status_code == 405
    response = client.post("/beacon/", data=b"\xff\xfe{", content_type="application/json")
    assert response.status_code == 400


def test_the_beacon_query_budget(client, service, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        beacon(client, page=service.pk, action="share")


def test_increments_add_up_in_one_row(service):
    today = dt.date(2026, 3, 1)
    for _ in range(5):
        increment(service.pk, "call", on=today)
    increment(service.pk, "call", on=today, by=10)
    assert DailyCount.objects.get(page=service, kind="call", date=today).count == 15


def test_an_insert_that_loses_the_race_falls_back_to_the_update(service):
    """Two first-of-the-day increments: the second's insert hits the unique key."""
    from unittest import mock

    from django.db.models import QuerySet

    day = dt.date(2026, 3, 3)
    DailyCount.objects.create(page=service, date=day, kind="call", count=1)
    real_update = QuerySet.update
    calls = []

    def update_missing_the_row_once(self, **kwargs):
        calls.append(kwargs)
        return 0 if len(calls) == 1 else real_update(self, **kwargs)

    with mock.patch.object(QuerySet, "update", update_missing_the_row_once):
        increment(service.pk, "call", on=day)
    assert len(calls) == 2
    assert DailyCount.objects.get(page=service, kind="call", date=day).count == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_increments_lose_no_count(service):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers; the race is exercised on PostgreSQL")
    day = dt.date(2026, 3, 2)
    errors = []

    def hit():
        try:
            for _ in range(10):
                increment(service.pk, "view", on=day)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert DailyCount.objects.get(page=service, kind="view", date=day).count == 60


def test_the_listing_views_hook_answers_views_since_a_date(service, organization):
    from tests.factories import make_service

    other = make_service(organization=organization)
    today = timezone.localdate()
    increment(service.pk, "view", on=today, by=4)
    increment(service.pk, "view", on=today - dt.timedelta(days=40), by=100)
    increment(service.pk, "call", on=today, by=7)
    since = timezone.now() - dt.timedelta(days=30)
    [hook] = hooks.get_hooks("steward_listing_views")
    assert hook([service.pk, other.pk], since) == {service.pk: 4}
    assert views_since([service.pk], today - dt.timedelta(days=60)) == {service.pk: 104}


def test_is_bot():
    assert is_bot(None) and is_bot("") and is_bot("Mozilla/5.0 (compatible; bingbot/2.0)")
    assert not is_bot(BROWSER)


def test_a_listing_says_how_many_people_got_help_only_from_five(client, service):
    now = timezone.now()
    add_outcomes(service, Result.GOT_HELP, 4, at=now - dt.timedelta(days=3))
    add_outcomes(service, Result.GOT_HELP, 3, at=now - dt.timedelta(days=400))
    add_outcomes(service, Result.COULD_NOT, 2, at=now, reason="cost")
    html = client.get(service.url, HTTP_USER_AGENT=BROWSER).content.decode()
    assert "reported getting help here" not in html
    add_outcomes(service, Result.GOT_HELP, 1, at=now)
    html = client.get(service.url, HTTP_USER_AGENT=BROWSER).content.decode()
    assert "5 people reported getting help here in the last year" in html


def test_the_service_page_stays_within_its_query_budget(
    client, service, django_assert_max_num_queries
):
    client.get(service.url, HTTP_USER_AGENT=BROWSER)
    with django_assert_max_num_queries(30):
        client.get(service.url, HTTP_USER_AGENT=BROWSER)
