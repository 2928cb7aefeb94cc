"""A person saves a listing to a plan on a phone, comes back and says "I got help";
the analyst's dashboard counts it."""

import datetime as dt
import io
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

import pytest

from impact.models import DailyCount, Outcome, Result
from tests.factories import LocationFactory, OrganizationFactory, category, make_service
from tests.impact.conftest import add_outcomes
from tests.roles import role_group

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Headless Chromium says "HeadlessChrome", which the view counter skips as a robot.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)


@pytest.fixture
def small_phone(browser):
    """A cheap phone: 360 px wide."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        user_agent=PHONE_UA,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    # Wagtail's admin scrolls inside its own layout: a tall window shows it all.
    context = browser.new_context(viewport={"width": 1280, "height": 1700})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def listing(live_server, site):
    pantry = OrganizationFactory(title="Greater Chicago Food Depository")
    location = LocationFactory(
        organization=pantry,
        name="Pilsen pantry",
        address_1="1850 S Blue Island Ave",
        postal_code="60608",
        latitude=41.8569,
        longitude=-87.6593,
    )
    every_day = [(day, dt.time(9), dt.time(17)) for day in range(1, 8)]
    service = make_service(
        organization=pantry,
        title="Weekly groceries",
        description="Free fresh produce and groceries every week. No ID needed.",
        location=location,
        phones=["(773) 247-3663"],
        hours=every_day,
        categories=[category("102")],
    )
    make_service(
        organization=pantry,
        title="Hot meals",
        location=location,
        phones=["(773) 247-3600"],
        hours=every_day,
        categories=[category("102")],
    )
    return service


def test_save_follow_up_i_got_help_and_the_dashboard_counts_it(
    live_server, listing, small_phone, desktop, browser, assert_accessible
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone = small_phone

    # A person on a cheap phone opens a listing and saves it to a plan.
    phone.goto(live_server.url + listing.url)
    phone.get_by_role("link", name="Share").first.click()  # counted by the beacon
    phone.wait_for_timeout(300)
    phone.get_by_role("button", name="Save to my plan").click()
    phone.wait_for_url("**/plan/**")
    assert "Keep this link to come back to your plan" in phone.content()
    plan_url = phone.locator("#plan-url").input_value()
    assert "/plan/" in plan_url
    # Saving another listing from the same phone adds it to the same plan.
    hot_meals = live_server.url + "/greater-chicago-food-depository/hot-meals/"
    phone.goto(hot_meals)
    phone.get_by_role("button", name="Save to my plan").click()
    phone.wait_for_url("**/plan/**")
    assert phone.locator("#plan-url").input_value() == plan_url
    assert phone.locator(".impact-entry").count() == 2
    phone.screenshot(path=SCREENSHOTS / "plan-phone.png", full_page=True)
    assert_accessible(phone, "plan page")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the plan page scrolls sideways at 360 px ({width} px wide)"

    # Later, the person comes back through the private link on another device.
    other = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, user_agent=PHONE_UA
    )
    later = other.new_page()
    later.goto(plan_url)
    entry = later.locator(f"#service-{listing.pk}")
    entry.get_by_label("Yes, I got help").check()
    entry.get_by_role("button", name="Send answer").click()
    later.wait_for_load_state()
    assert "You said:" in later.locator(f"#service-{listing.pk}").inner_text()
    other.close()
    outcome = Outcome.objects.get()
    assert (outcome.service_id, outcome.result, outcome.source) == (listing.pk, "got_help", "plan")
    assert DailyCount.objects.get(page=listing, kind="share").count == 1
    assert DailyCount.objects.get(page=listing, kind="save").count == 1

    # With four more reports the listing has five: the analyst sees it counted.
    add_outcomes(listing, Result.GOT_HELP, 3, at=timezone.now())
    add_outcomes(listing, Result.COULD_NOT, 1, at=timezone.now(), reason="waitlist")
    from tests.factories import UserFactory

    analyst = UserFactory(username="analyst-e2e")
    analyst.groups.add(role_group("Analysts"))
    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("input[name=username]", "analyst-e2e")
    desktop.fill("input[name=password]", "correct horse battery staple")
    desktop.get_by_role("button", name="Sign in").click()
    desktop.wait_for_url("**/admin/")
    # Views wait in the shared cache until the minute job moves them to the daily
    # counts the dashboard reads (directory.pagecache / impact.counts).
    call_command("run_periodic", "--force", stdout=io.StringIO())
    desktop.goto(live_server.url + "/admin/impact/?by=category")
    assert desktop.locator('[data-figure="utilized"]').inner_text() == "4"
    assert desktop.locator('[data-figure="found"]').inner_text() == "2"
    assert "Food" in desktop.locator(".impact-table").inner_text()

    # A fuller picture for the screenshot: more organizations over several months.
    seed_a_year(listing)
    desktop.goto(live_server.url + "/admin/impact/?by=organization")
    assert desktop.locator(".impact-table tbody tr").count() >= 3
    desktop.screenshot(path=SCREENSHOTS / "impact-dashboard.png", full_page=True)


def seed_a_year(listing):
    """Views, contacts and outcomes for four organizations over the last months."""
    import random

    from impact.counts import increment

    rng = random.Random(6)
    today = timezone.localdate()
    services = [listing]
    for title, code in [
        ("Pilsen Neighbors Health Center", "106"),
        ("Legal Aid Chicago", "111"),
        ("Northside Housing Help", "103"),
    ]:
        org = OrganizationFactory(title=title)
        services.append(
            make_service(organization=org, title=f"{title} intake", categories=[category(code)])
        )
    for service in services:
        for months_ago in range(6):
            day = today - dt.timedelta(days=30 * months_ago + 3)
            views = rng.randint(80, 400)
            increment(service.pk, "view", on=day, by=views)
            for kind, share in (
                ("call", 0.12),
                ("directions", 0.08),
                ("website", 0.05),
                ("save", 0.03),
            ):
                increment(service.pk, kind, on=day, by=int(views * share))
            when = timezone.now() - dt.timedelta(days=30 * months_ago + 3)
            add_outcomes(service, Result.GOT_HELP, rng.randint(1, 5), at=when)
            add_outcomes(service, Result.COULD_NOT, rng.randint(0, 2), at=when, reason="waitlist")


def test_a_professional_prints_a_referral_slip_and_the_client_answers_through_it(
    live_server, listing, desktop, small_phone, assert_accessible
):
    from tests.factories import UserFactory, membership

    pro = UserFactory(username="pro-e2e")
    pro.groups.add(role_group("Professionals"))
    membership(pro, listing.get_parent().specific)
    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("input[name=username]", "pro-e2e")
    desktop.fill("input[name=password]", "correct horse battery staple")
    desktop.get_by_role("button", name="Sign in").click()
    desktop.wait_for_url("**/admin/")

    desktop.goto(live_server.url + f"/admin/referrals/new/?service={listing.pk}")
    desktop.fill("input[name=client_reference]", "C-2041")
    desktop.fill("textarea[name=note]", "Bring proof of address.")
    desktop.get_by_role("button", name="Make the referral").click()
    desktop.wait_for_load_state()
    assert desktop.locator(".referral-slip svg").count() == 1
    follow_up_url = desktop.locator("#follow-up-url").input_value()
    desktop.locator(".referral-slip").screenshot(path=SCREENSHOTS / "referral-slip.png")

    small_phone.goto(follow_up_url)
    assert_accessible(small_phone, "follow-up page")
    small_phone.get_by_label("No, I couldn’t get help").check()
    small_phone.get_by_label("If not, why?").select_option("no_answer")
    small_phone.get_by_role("button", name="Send answer").click()
    small_phone.wait_for_load_state()
    assert "Your answer:" in small_phone.content()
    outcome = Outcome.objects.get()
    assert (outcome.source, outcome.reason) == ("referral", "no_answer")

    desktop.goto(live_server.url + "/admin/referrals/")
    assert "Outcome recorded" in desktop.locator("table.listing").inner_text()
