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
from tests.review.editing import role_user

pytestmark = pytest.mark.django_db

SHORT = {"STALE_AFTER_DAYS": 100, "DUE_AFTER_DAYS": 90}


def short_year():
    steward = dict(getattr(settings, "STEWARD", {}))
    steward["REVIEW"] = {**steward.get("REVIEW", {}), **SHORT}
    return override_settings(STEWARD=steward)


def verified_200_days_ago():
    organization = OrganizationFactory()
    service = make_service(organization=organization, title="Weekly groceries")
    member = role_user("member", organization)
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
