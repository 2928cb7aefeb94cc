"""Partial verification reads as partial (issue 11): "Only phone and hours still
accurate" never makes the headline badge say "Verified today"."""

import datetime as dt
import re

from django.utils import timezone

import pytest

from review.models import ListingFreshness
from review.trust.actions import verify_service
from tests.factories import OrganizationFactory, make_service
from tests.roles import professional

pytestmark = pytest.mark.django_db


def badge_text(client, service):
    html = client.get(service.url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html[html.index('id="trust"') :]).split())[:600]


def still_accurate(client, service, user, **data):
    client.force_login(user)
    response = client.post(f"/review/verify/{service.pk}/", data)
    assert response.status_code == 302
    client.logout()


@pytest.mark.parametrize("months", [2, 14])
def test_phone_and_hours_checked_today_says_so_and_dates_the_rest(client, months):
    service = make_service(title="Food pantry")
    earlier = timezone.now() - dt.timedelta(days=round(months * 30.4375))
    verify_service(service=service, user=professional(OrganizationFactory()), now=earlier)

    still_accurate(
        client,
        service,
        professional(OrganizationFactory()),
        scope="some",
        fields=["phone", "hours"],
    )
    text = badge_text(client, service)
    assert "Verified today" not in text
    assert (
        f"hours and phone numbers checked today; other details last checked {months} months ago"
        in text.lower()
    )
    if months > 12:
        assert "Needs checking" in text
    row = ListingFreshness.objects.get(page=service)
    assert row.partly_checked_fields == ["hours", "phone"]
    # Freshness stays per field: the rest keep their older date.
    dates = dict(service.field_freshness.values_list("field", "last_verified_at"))
    assert dates["phone"] > dates["description"]
    # The result card says only what was checked.
    card = client.get("/search/", {"q": "pantry"}).content.decode()
    assert "Verified today" not in card


def test_a_partial_check_of_a_listing_never_fully_checked(client):
    service = make_service(title="Food pantry")
    still_accurate(
        client, service, professional(OrganizationFactory()), scope="some", fields=["phone"]
    )
    text = badge_text(client, service)
    assert "Verified today" not in text
    assert "phone numbers checked today; other details not yet checked" in text


def test_a_full_check_still_says_verified_today(client):
    service = make_service(title="Food pantry")
    still_accurate(client, service, professional(OrganizationFactory()), scope="all")
    assert "Verified today by 1 organization" in badge_text(client, service)
    assert ListingFreshness.objects.get(page=service).partly_checked_fields == []
