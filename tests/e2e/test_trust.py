"""The freshness badge and "Still accurate" in a real browser, on a 360 px phone."""

import datetime as dt
from pathlib import Path

from django.utils import timezone

import pytest

from review.models import Verification
from review.trust.actions import verify_service
from tests.factories import LocationFactory, OrganizationFactory, category, make_service
from tests.roles import professional

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def listing(site):
    pantry = OrganizationFactory(title="Greater Chicago Food Depository")
    location = LocationFactory(
        organization=pantry,
        name="Pilsen pantry",
        address_1="1850 S Blue Island Ave",
        postal_code="60608",
    )
    service = make_service(
        organization=pantry,
        title="Weekly groceries",
        description="Free fresh produce and groceries every week. No ID needed.",
        location=location,
        phones=["(773) 247-3663"],
        categories=[category("102")],
    )
    now = timezone.now()
    for title in ("Pilsen Wellness Center", "Legal Aid Chicago", "Catholic Charities"):
        verify_service(
            service=service,
            user=professional(OrganizationFactory(title=title)),
            now=now - dt.timedelta(days=12),
        )
    return service


def test_the_badge_on_a_phone(live_server, listing, small_phone, assert_accessible):
    small_phone.goto(live_server.url + listing.url)
    badge = small_phone.locator("#trust")
    assert " ".join(badge.inner_text().split()) == "Verified 12 days ago by 3 organizations"
    assert badge.locator("svg.icon-check").count() == 1  # an inline SVG, not a glyph
    assert small_phone.evaluate("document.documentElement.scrollWidth") <= 360
    small_phone.screenshot(path=str(SCREENSHOTS / "trust-badge.png"))
    assert_accessible(small_phone, "a listing with its freshness badge")


def test_a_professional_confirms_a_listing_without_javascript(live_server, listing, browser):
    user = professional(OrganizationFactory(title="Northside Outreach"), username="nadia")
    context = browser.new_context(viewport={"width": 360, "height": 780}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + listing.url)
    page.get_by_role("button", name="Still accurate").click()
    assert page.locator(".trust-thanks").is_visible()
    assert Verification.objects.filter(user=user, organization__title="Northside Outreach").exists()
    page.screenshot(path=str(SCREENSHOTS / "trust-verified.png"), full_page=False)
    context.close()


def test_a_member_sees_what_is_due_and_their_reputation(live_server, site, browser):
    from review.trust import store
    from review.trust.ledger import record_event

    organization = OrganizationFactory(title="Lakeview Pantry")
    user = professional(organization, username="lee")
    checker = professional(OrganizationFactory(title="Checkers"))
    now = timezone.now()
    for title, days in (("Evening meals", 340), ("Diapers and formula", 20)):
        verify_service(
            service=make_service(organization=organization, title=title),
            user=checker,
            now=now - dt.timedelta(days=days),
        )
    make_service(organization=organization, title="Senior boxes")
    store.recompute(now=now)
    for n in range(12):
        record_event(user=user, kind="edit_accepted", at=now - dt.timedelta(days=n))

    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "lee")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/admin/review/due/")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 2
    assert "Senior boxes" in rows.nth(0).inner_text()
    assert "Evening meals" in rows.nth(1).inner_text()
    page.screenshot(path=str(SCREENSHOTS / "trust-due.png"))
    page.goto(live_server.url + "/admin/review/reputation/")
    assert "61" in page.locator("dd strong").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "trust-reputation.png"), full_page=True)
    context.close()
