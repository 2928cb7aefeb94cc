"""The freshness store: per-field and listing freshness and confidence, stored
outside the page and recomputed from verifications."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from directory.models import SourceRecord
from review.models import FieldFreshness, ListingFreshness, Verification
from review.trust import store
from review.trust.actions import verify_service
from review.trust.badges import Badge, ago, describe
from steward.periodic import all_jobs, run_due_jobs
from tests.factories import OrganizationFactory, make_service, membership
from tests.roles import professional

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def fresh(service, field):
    return FieldFreshness.objects.get(page=service, field=field)


def only_weighted_fields_service():
    """Phone, hours, eligibility, status, address and name: no description, no url."""
    return make_service(description="", website="", email="")


def test_the_listing_freshness_of_the_design_example_is_stored():
    service = only_weighted_fields_service()
    user = professional(OrganizationFactory())
    verify_service(
        service=service,
        user=user,
        fields=["phone", "hours", "eligibility", "status"],
        now=NOW - 365 * DAY,
    )
    verify_service(service=service, user=user, fields=["address", "name"], now=NOW)
    store.recompute([service.pk], now=NOW)
    row = ListingFreshness.objects.get(page=service)
    # (3·0.5·3 + 3·0.707 + 2 + 1) / 15
    assert row.score == pytest.approx(0.641, abs=0.0005)
    assert fresh(service, "hours").freshness == pytest.approx(0.5)
    assert fresh(service, "status").freshness == pytest.approx(0.707, abs=0.0005)
    assert fresh(service, "name").freshness == pytest.approx(1.0)
    assert not FieldFreshness.objects.filter(page=service, field="description").exists()


def test_hours_verified_730_days_ago_are_at_a_quarter():
    service = make_service()
    verify_service(service=service, user=professional(OrganizationFactory()), now=NOW - 730 * DAY)
    store.recompute([service.pk], now=NOW)
    assert fresh(service, "hours").freshness == pytest.approx(0.25)


def test_two_independent_organizations_give_confidence_0_91():
    service = make_service()
    for _ in range(2):
        verify_service(service=service, user=professional(OrganizationFactory()), now=NOW)
    assert fresh(service, "phone").confidence == pytest.approx(0.91)


def test_three_users_of_one_organization_are_one_vote():
    service = make_service()
    organization = OrganizationFactory()
    for _ in range(3):
        verify_service(service=service, user=professional(organization), now=NOW)
    assert fresh(service, "phone").confidence == pytest.approx(0.70)


def test_the_listings_own_organization_weighs_0_6():
    service = make_service()
    verify_service(service=service, user=professional(service.get_parent().specific), now=NOW)
    assert fresh(service, "phone").confidence == pytest.approx(0.7 * 0.6)


def test_a_full_verification_is_due_after_330_days_and_stale_after_365():
    service = make_service()
    verify_service(service=service, user=professional(OrganizationFactory()), now=NOW)
    row = ListingFreshness.objects.get(page=service)
    assert row.due_at == NOW + 330 * DAY
    assert row.stale_at == NOW + 365 * DAY
    assert not row.is_due(NOW + 329 * DAY) and row.is_due(NOW + 330 * DAY)
    assert not row.is_stale(NOW + 364 * DAY) and row.is_stale(NOW + 365 * DAY)


def test_a_full_verification_may_come_from_several_partial_ones():
    service = only_weighted_fields_service()
    user = professional(OrganizationFactory())
    verify_service(service=service, user=user, fields=["phone", "hours"], now=NOW - 10 * DAY)
    row = ListingFreshness.objects.get(page=service)
    assert row.last_full_verification_at is None and row.is_due(NOW)
    verify_service(
        service=service, user=user, fields=["eligibility", "status", "address", "name"], now=NOW
    )
    row.refresh_from_db()
    assert row.last_full_verification_at == NOW - 10 * DAY
    assert row.last_verified_at == NOW


def test_imports_start_at_the_sources_own_date_credited_to_no_organization():
    service = make_service()
    SourceRecord.objects.create(
        source="Open211 Miami",
        kind="service",
        source_id="s-1",
        object_uuid=service.uuid,
        assured_date=dt.date(2026, 3, 1),
    )
    store.recompute([service.pk], now=NOW)
    row = ListingFreshness.objects.get(page=service)
    assert row.imported_from == "Open211 Miami"
    assert row.source_verified_on == dt.date(2026, 3, 1)
    assert row.last_verified_at is None  # no one here verified it
    assert row.verifying_organizations_count == 0
    assert row.last_full_verification_at.date() == dt.date(2026, 3, 1)
    assert fresh(service, "phone").confidence == 0.0
    assert describe(row, now=NOW).text == (
        "Imported from Open211 Miami, verified by the source on 1 March 2026"
    )


def test_imports_without_a_date_start_as_never_verified():
    service = make_service()
    SourceRecord.objects.create(
        source="ILAO", kind="service", source_id="s-2", object_uuid=service.uuid
    )
    store.recompute([service.pk], now=NOW)
    row = ListingFreshness.objects.get(page=service)
    assert (row.score, row.due_at, row.stale_at) == (0.0, None, None)
    assert row.is_due(NOW)
    assert describe(row, now=NOW) == Badge(
        "new", "Imported from ILAO, not yet verified here", "Not yet verified"
    )


def test_verifying_organizations_are_counted_over_the_last_year():
    service = make_service()
    verify_service(service=service, user=professional(OrganizationFactory()), now=NOW - 400 * DAY)
    for _ in range(3):
        verify_service(
            service=service, user=professional(OrganizationFactory()), now=NOW - 12 * DAY
        )
    store.recompute([service.pk], now=NOW)
    row = ListingFreshness.objects.get(page=service)
    assert row.verifying_organizations_count == 3
    assert describe(row, now=NOW).text == "Verified 12 days ago by 3 organizations"


def test_a_stale_listing_says_it_needs_checking():
    service = make_service()
    verify_service(service=service, user=professional(OrganizationFactory()), now=NOW - 426 * DAY)
    store.recompute([service.pk], now=NOW)
    row = ListingFreshness.objects.get(page=service)
    assert describe(row, now=NOW).text == "Needs checking: last verified 14 months ago"
    assert describe(row, now=NOW).tone == "due"


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0, "today"),
        (1, "yesterday"),
        (12, "12 days ago"),
        (59, "59 days ago"),
        (426, "14 months ago"),
        (800, "2 years ago"),
    ],
)
def test_ages_read_in_plain_language(days, text):
    assert ago(NOW - days * DAY, now=NOW) == text


def test_recomputing_many_listings_costs_the_same_queries_per_batch():
    def count(n):
        services = [make_service() for _ in range(n)]
        user = professional(OrganizationFactory())
        for service in services:
            verify_service(service=service, user=user, now=NOW - 100 * DAY)
        with CaptureQueriesContext(connection) as queries:
            store.recompute([s.pk for s in services], now=NOW)
        return len(queries)

    assert count(2) == count(8)


def test_recompute_without_ids_covers_every_listing_in_batches():
    services = [make_service() for _ in range(5)]
    assert store.recompute(now=NOW, batch_size=2) == len(services) + 0
    assert ListingFreshness.objects.count() == 5
    # Verifications change outside the job: the next run sees them.
    Verification.objects.create(
        page=services[0], fields=["phone"], verified_at=NOW, user=None, organization=None
    )
    store.recompute(now=NOW, batch_size=2)
    assert fresh(services[0], "phone").freshness == pytest.approx(1.0)


def test_the_daily_job_recomputes_the_store():
    assert {"review.freshness", "review.due_reminders"} <= {job.name for job in all_jobs()}
    service = make_service()
    outcomes = dict(run_due_jobs(now=NOW))
    assert outcomes["review.freshness"] == "ok"
    assert ListingFreshness.objects.filter(page=service).exists()
    assert "review.freshness" not in dict(run_due_jobs(now=NOW + dt.timedelta(hours=1)))


def test_a_removed_detail_loses_its_freshness_row():
    service = make_service()
    organization = OrganizationFactory()
    user = professional(organization)
    membership(user, service.get_parent().specific)
    verify_service(service=service, user=user, now=NOW)
    assert FieldFreshness.objects.filter(page=service, field="description").exists()
    service.description = ""
    service.save_revision().publish()
    store.recompute([service.pk], now=NOW)
    assert not FieldFreshness.objects.filter(page=service, field="description").exists()


def test_the_store_is_never_a_page_field_or_in_revisions():
    service = make_service()
    verify_service(service=service, user=professional(OrganizationFactory()), now=NOW)
    content = service.get_latest_revision().content
    assert not any("fresh" in key or "verif" in key for key in content)
