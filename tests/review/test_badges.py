"""The freshness badge on listing pages and result cards, in plain language."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from directory.models import SourceRecord
from review.trust.actions import verify_service
from review.trust.ledger import record_event
from tests.factories import OrganizationFactory, make_service
from tests.roles import professional

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def test_a_listing_verified_12_days_ago_by_3_organizations_says_so(client):
    service = make_service(title="Evening meals")
    now = timezone.now()
    for _ in range(3):
        verify_service(
            service=service, user=professional(OrganizationFactory()), now=now - 12 * DAY
        )
    html = client.get(service.url).content.decode()
    assert "Verified 12 days ago by 3 organizations" in html


def test_a_stale_listing_needs_checking(client):
    service = make_service()
    verify_service(
        service=service, user=professional(OrganizationFactory()), now=timezone.now() - 426 * DAY
    )
    html = client.get(service.url).content.decode()
    assert "Needs checking: last verified 14 months ago" in html


def test_an_import_never_verified_here_says_so_even_before_the_daily_job(client):
    service = make_service()
    SourceRecord.objects.create(
        source="Open211 Miami", kind="service", source_id="x", object_uuid=service.uuid
    )
    html = client.get(service.url).content.decode()
    assert "Imported from Open211 Miami, not yet verified here" in html


def test_a_listing_never_verified_says_not_yet_verified(client):
    service = make_service()
    assert "Not yet verified" in client.get(service.url).content.decode()


def test_organization_pages_carry_no_badge(client):
    service = make_service()
    html = client.get(service.get_parent().url).content.decode()
    assert 'class="trust-badge' not in html.split("<main", 1)[1].split("result", 1)[0]


def test_result_cards_show_the_short_form_at_a_fixed_query_cost(client):
    now = timezone.now()

    def search_queries(word, n):
        checker = professional(OrganizationFactory())
        for i in range(n):
            service = make_service(title=f"{word} market {i}")
            verify_service(service=service, user=checker, now=now - 3 * DAY)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/search/?q={word}").content.decode()
        assert html.count("Verified 3 days ago") == n
        return len(queries)

    few = search_queries("turnip", 2)  # first: it also warms Wagtail's site cache
    assert search_queries("cabbage", 6) <= few


def test_a_search_page_stays_within_its_query_budget(client, django_assert_max_num_queries):
    for i in range(5):
        make_service(title=f"Soup kitchen {i}")
    with django_assert_max_num_queries(40):
        html = client.get("/search/?q=soup").content.decode()
    assert html.count("Not yet verified") == 5


# --- My reputation ---------------------------------------------------------------


def test_my_reputation_shows_points_events_and_privileges(client, django_assert_max_num_queries):
    user = professional(OrganizationFactory())
    service = make_service(title="Evening meals")
    start = timezone.now() - 30 * DAY
    for day in range(3):
        for n in range(20):
            record_event(
                user=user,
                kind="edit_reverified",
                page=service,
                at=start + dt.timedelta(days=day, minutes=n),
            )
    client.force_login(user)
    with django_assert_max_num_queries(30):
        html = client.get("/admin/review/reputation/").content.decode()
    assert "<strong>601</strong>" in html
    assert "60 good, 0 bad" in html
    assert "✓ <strong>Review others’ suggestions</strong>" in html
    assert "Roll back a run of edits: needs 2,000 points" in html
    assert "edit reverified" in html and "Evening meals" in html
