"""A person on a phone finds help: search from the home page, open a result, call."""

import datetime as dt
from pathlib import Path

import pytest

from tests.factories import LocationFactory, OrganizationFactory, category, make_service

# The live server reads what the test writes, so each test commits for real; the
# serialized rollback restores what the migrations made (home page, categories).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def listings(live_server, site):
    pantry = OrganizationFactory(title="Greater Chicago Food Depository")
    location = LocationFactory(
        organization=pantry,
        name="Pilsen pantry",
        address_1="1850 S Blue Island Ave",
        postal_code="60608",
        latitude=41.8569,
        longitude=-87.6593,
    )
    every_day = [(day, dt.time(0), dt.time(0)) for day in range(1, 8)]
    make_service(
        organization=pantry,
        title="Weekly groceries",
        description="Free fresh produce and groceries every week. No ID needed.",
        location=location,
        phones=["(773) 247-3663"],
        hours=every_day,
        categories=[category("102")],
    )
    for n in range(3):
        make_service(
            title=f"Community meal {n}",
            description="Hot food served daily.",
            categories=[category("102")],
        )
    return live_server


def test_a_person_on_a_phone_searches_opens_a_result_and_sees_the_phone_link(
    listings, phone, assert_accessible
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    phone.goto(listings.url + "/")
    phone.screenshot(path=SCREENSHOTS / "home-phone.png", full_page=True)
    assert_accessible(phone, "home")
    phone.get_by_role("searchbox").first.fill("groceries")
    phone.get_by_role("searchbox").first.press("Enter")
    phone.wait_for_url("**/search/**")
    phone.screenshot(path=SCREENSHOTS / "results-phone.png", full_page=True)
    assert_accessible(phone, "search results")

    phone.get_by_role("link", name="Weekly groceries").first.click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text().strip() == "Weekly groceries"
    call = phone.locator('a[href="tel:+17732473663"]').first
    assert call.is_visible()
    assert "(773) 247-3663" in call.inner_text()
    phone.screenshot(path=SCREENSHOTS / "listing-phone.png", full_page=True)
    assert_accessible(phone, "listing")


@pytest.fixture
def shelter(live_server, site):
    organization = OrganizationFactory(title="Safe Haven")
    hidden = LocationFactory(
        organization=organization,
        name="Confidential shelter",
        address_1="4242 Hidden Harbor Rd",
        address_is_public=False,
    )
    service = make_service(
        organization=organization,
        title="Emergency shelter",
        location=hidden,
        phones=["(312) 555-0130"],
        categories=[category("101-06-01")],
    )
    return live_server.url + service.relative_url(site)


@pytest.mark.parametrize("how", ["click", "escape"])
def test_a_confidential_listing_hides_its_address_and_quick_exit_leaves_at_once(
    shelter, phone, how, assert_accessible
):
    # The network is closed here: answer the exit target locally instead.
    phone.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(status=200, body="<title>Google</title>elsewhere"),
    )
    phone.goto(shelter)
    assert "Hidden Harbor" not in phone.content()
    assert_accessible(phone, "confidential listing")
    assert phone.locator('a[href="tel:+13125550130"]').first.is_visible()

    if how == "click":
        phone.get_by_role("link", name="Leave this site").click()
    else:
        phone.keyboard.press("Escape")
    phone.wait_for_url("https://www.google.com/**")

    # The listing was replaced in history, so Back does not return to it.
    phone.go_back()
    assert "Emergency shelter" not in phone.content()
