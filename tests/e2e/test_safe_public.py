"""Safe and correct for the person looking for help, in a real browser (issue 11):
a confidential place gives no distance from any point, a closed service never
says "Open now", nothing scrolls sideways at 360 px, and the footer's crisis
numbers are big enough to tap."""

import datetime as dt
import math
from pathlib import Path

import pytest

from directory.models.pages import ServiceStatus
from tests.factories import LocationFactory, OrganizationFactory, make_service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ALWAYS = tuple((day, dt.time(0), dt.time(0)) for day in range(1, 8))
SHELTER = (41.8812, -87.6410)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_confidential_place_gives_no_distance_from_any_point(live_server, site, small_phone):
    org = OrganizationFactory(title="Safe Haven")
    shelter = LocationFactory(
        organization=org,
        address_1="1 Hidden Lane",
        latitude=SHELTER[0],
        longitude=SHELTER[1],
        address_is_public=False,
    )
    make_service(organization=org, title="Safe house", location=shelter)
    make_service(title="Food pantry", location=LocationFactory(latitude=41.89, longitude=-87.64))
    for n in range(8):
        angle = 2 * math.pi * n / 8
        near = (
            f"{SHELTER[0] + 0.02 * math.cos(angle):.4f},{SHELTER[1] + 0.03 * math.sin(angle):.4f}"
        )
        small_phone.goto(f"{live_server.url}/search/?near={near}")
        card = small_phone.locator("article.result", has_text="Safe house")
        assert card.count() == 1
        assert "mi away" not in card.inner_text()
        assert "Hidden Lane" not in small_phone.content()
        assert (
            "mi away" in small_phone.locator("article.result", has_text="Food pantry").inner_text()
        )
        # Quick exit is there, inside a landmark.
        assert small_phone.locator("aside[aria-label] a.quick-exit").count() == 1
    small_phone.screenshot(path=SCREENSHOTS / "confidential-search-360.png", full_page=True)


@pytest.mark.parametrize("status", [ServiceStatus.TEMPORARILY_CLOSED, ServiceStatus.INACTIVE])
def test_a_closed_service_never_says_open_now(live_server, site, small_phone, status):
    service = make_service(title="Night pantry", hours=ALWAYS, status=status)
    make_service(title="Day pantry", hours=ALWAYS)
    small_phone.goto(live_server.url + service.url)
    main = small_phone.locator("main").inner_text()
    assert "Open now" not in main
    assert "Temporarily closed" in main or "Not running" in main
    small_phone.goto(f"{live_server.url}/search/?q=pantry")
    closed = small_phone.locator("article.result", has_text="Night pantry").inner_text()
    assert "Open now" not in closed
    open_card = small_phone.locator("article.result", has_text="Day pantry").inner_text()
    assert "Open now" in open_card
    small_phone.goto(f"{live_server.url}/search/?q=pantry&open_now=1")
    assert small_phone.locator("article.result", has_text="Night pantry").count() == 0
    assert small_phone.locator("article.result", has_text="Day pantry").count() == 1


DOMAIN = "example-community-services-of-the-greater-metropolitan-area.org"
LONG_URL = (
    f"https://www.{DOMAIN}/programs/emergency-food-assistance/"
    "apply-online-now-before-the-deadline-passes"
)
LONG_EMAIL = f"emergency.food.assistance.intake.coordinator.department@{DOMAIN}"
LONG_NAME = (
    "Supercalifragilisticexpialidociousneighbourhoodcommunityfoodpantryandsoupkitchenprogramme"
)


def test_fifty_listings_with_long_words_never_scroll_sideways_at_360_px(
    live_server, site, small_phone
):
    org = OrganizationFactory(title=f"{LONG_NAME} Organization", website=LONG_URL, email=LONG_EMAIL)
    services = []
    for n in range(50):
        place = LocationFactory(
            organization=org,
            name=f"{LONG_NAME}{n}",
            address_1=f"{n} {LONG_NAME} Boulevard",
            latitude=41.8847 + n * 0.001,
        )
        services.append(
            make_service(
                organization=org,
                title=f"{LONG_NAME} {n}",
                description=f"Apply at {LONG_URL} or write to {LONG_EMAIL}.",
                eligibility_description=f"{LONG_NAME} {LONG_URL}",
                required_documents=f"{LONG_URL}\n{LONG_EMAIL}",
                website=LONG_URL,
                email=LONG_EMAIL,
                alert=f"Moved: {LONG_URL}",
                location=place,
                phones=[f"(312) 555-{n:04d}"],
            )
        )
    pages = {
        "search": f"/search/?q={LONG_NAME}",
        "search-near": "/search/?near=41.8847,-87.6320",
        "organization": org.url,
        "listing": services[0].url,
        "history": f"/history/{services[0].pk}/",
    }
    widths = {}
    for name, path in pages.items():
        small_phone.goto(live_server.url + path)
        assert small_phone.locator("main").count() == 1, name
        widths[name] = no_sideways_scroll(small_phone)
        if name in ("search", "listing"):
            small_phone.screenshot(path=SCREENSHOTS / f"long-words-{name}-360.png", full_page=True)
    assert widths == dict.fromkeys(pages, 360)


def test_the_footers_crisis_numbers_are_44_px_tap_targets(live_server, site, small_phone):
    small_phone.goto(live_server.url + "/")
    for number in ("211", "988"):
        box = small_phone.locator(f'footer a[href="tel:{number}"]').bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (number, box)
