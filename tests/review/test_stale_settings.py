"""The freshness store alone decides stale and due, from one settings block
(issue 12): overriding STALE_AFTER_DAYS changes which listings the queue scan
flags and which the due list shows."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import pytest

from review.models import ListingFreshness, ReviewItem
from review.trust.actions import verify_service
from tests.factories import OrganizationFactory, make_service
from tests.roles import professional

pytestmark = pytest.mark.django_db

SHORT = {"STALE_AFTER_DAYS": 100, "DUE_AFTER_DAYS": 90}


def short_year():
    steward = dict(getattr(settings, "STEWARD", {}))
    steward["REVIEW"] = {**steward.get("REVIEW", {}), **SHORT}
    return override_settings(STEWARD=steward)


def verified_200_days_ago():
    organization = OrganizationFactory()
    service = make_service(organization=organization, title="Weekly groceries")
    member = professional(organization, username="member", first_name="Member")
    verify_service(service=service, user=member, now=timezone.now() - dt.timedelta(days=200))
    return service, member


def stale_items():
    return list(ReviewItem.objects.open().filter(kind="stale").values_list("page_id", flat=True))


def test_with_the_design_defaults_a_listing_verified_200_days_ago_is_not_stale(client):
    service, member = verified_200_days_ago()
    call_command("review_scan")
    assert stale_items() == []
    client.force_login(member)
    assert "Weekly groceries" not in client.get("/admin/review/due/").text


def test_a_shorter_stale_threshold_flags_it_in_the_queue_and_the_due_list(client):
    with short_year():
        service, member = verified_200_days_ago()
        row = ListingFreshness.objects.get(page=service)
        assert row.stale_at - row.last_full_verification_at == dt.timedelta(days=100)
        call_command("review_scan")
        assert stale_items() == [service.pk]
        assert "200 days ago" in ReviewItem.objects.get(kind="stale").reason
        client.force_login(member)
        assert "Weekly groceries" in client.get("/admin/review/due/").text


# Every number of review is read from review.conf; overriding a key in the settings
# block changes what users see (issue 12: the yearly-cycle windows, defined once).


def review_override(**values):
    steward = dict(getattr(settings, "STEWARD", {}))
    steward["REVIEW"] = {**steward.get("REVIEW", {}), **values}
    return override_settings(STEWARD=steward)


def verified_by_two_organizations(client):
    """Alpha's member verified 200 days ago; Beta's verifies now, with the button."""
    alpha, beta = OrganizationFactory(title="Alpha Aid"), OrganizationFactory(title="Beta Help")
    service = make_service(organization=alpha, title="Weekly groceries")
    member_a, member_b = (
        professional(alpha, username="member_a", first_name="Member_a"),
        professional(beta, username="member_b", first_name="Member_b"),
    )
    verify_service(service=service, user=member_a, now=timezone.now() - dt.timedelta(days=200))
    client.force_login(member_b)
    response = client.post(f"/review/verify/{service.pk}/", {"scope": "all"})
    assert response.status_code == 302
    client.logout()
    return service, member_a


def test_by_default_both_organizations_count_and_the_earlier_verifier_is_confirmed(client):
    service, member_a = verified_by_two_organizations(client)
    assert "by 2 organizations" in client.get(service.url).text
    client.force_login(member_a)
    assert "value confirmed" in client.get("/admin/review/reputation/").text


def test_a_shorter_organizations_window_counts_one_organization(client):
    with review_override(ORGANIZATIONS_WINDOW_DAYS=100):
        service, _ = verified_by_two_organizations(client)
        html = client.get(service.url).text
    assert "by 1 organization" in html and "by 2 organizations" not in html


def test_a_shorter_confirmation_window_confirms_nobody(client):
    with review_override(CONFIRMS_WITHIN_DAYS=100):
        _, member_a = verified_by_two_organizations(client)
        client.force_login(member_a)
        assert "value confirmed" not in client.get("/admin/review/reputation/").text


def test_the_dashboard_counts_verified_listings_over_the_stale_window(client):
    from tests.roles import analyst

    verified_200_days_ago()
    client.force_login(analyst())
    assert "Verified within 365 days" in client.get("/admin/impact/").text
    with short_year():
        html = client.get("/admin/impact/").text
    assert "Verified within 100 days" in html and "0 of 1" in html
