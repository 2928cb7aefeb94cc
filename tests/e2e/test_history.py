"""A vandal's run of edits is rolled back in one action, and the public sees it."""

import re
from pathlib import Path

from django.contrib.auth.models import Group

import pytest

from directory.accounts.groups import ensure_role_groups, grant_page_permissions
from tests.e2e.conftest import close_context
from tests.factories import UserFactory, make_service
from tests.history.conftest import edit, set_phone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def vandalised(live_server, site):
    groups = ensure_role_groups()
    grant_page_permissions(groups["Moderators"], site.root_page)
    moderator = UserFactory(username="mod", first_name="Mo", last_name="Derator")
    moderator.groups.add(groups["Moderators"])
    # The vandal is privileged too (a moderator whose account was taken over): their
    # edits went live at once, which is why one-action rollback matters.
    vandal = UserFactory(username="vandal", first_name="Val", last_name="Andal")
    vandal.groups.add(Group.objects.get(name="Moderators"))
    service = make_service(title="Weekly groceries", phones=("(312) 555-0101",))
    for n in range(3):
        edit(service, vandal, set_phone(f"312-555-066{n}"))
    return service, moderator


def sign_in(page, base, user):
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_a_moderator_rolls_back_a_vandal_run_and_the_public_sees_it(
    live_server, vandalised, browser, assert_accessible
):
    service, moderator = vandalised
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = desk.new_page()
    sign_in(admin, base, moderator)
    admin.goto(f"{base}/admin/history/{service.pk}/")
    assert "Val Andal" in admin.content()
    admin.get_by_role("link", name="Roll back their edits").click()
    admin.wait_for_url(f"**/admin/history/{service.pk}/rollback/**")
    admin.wait_for_load_state()
    assert "3 edits" in admin.content()
    admin.get_by_role("button", name="Yes, roll back").click()
    admin.wait_for_url(f"{base}/admin/history/{service.pk}/")
    assert "Edits rolled back" in admin.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    admin.screenshot(path=SCREENSHOTS / "history-admin.png", full_page=True)
    close_context(desk)

    phone = browser.new_context(
        viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True
    ).new_page()
    phone.goto(base + service.url)
    assert phone.locator('a[href="tel:+13125550101"]').first.is_visible()
    assert "555-0662" not in phone.content()
    phone.get_by_role("link", name="History: every change to this listing").click()
    phone.wait_for_url(f"**/history/{service.pk}/")
    text = phone.content()
    assert "Edits rolled back: the earlier version was restored" in text
    assert "Main phone changed from (312) 555-0662 to (312) 555-0101" in text
    assert "vandal" not in text.lower().replace("val andal", "")
    assert "Val Andal" not in text and "@example.org" not in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "history.png", full_page=True)
    assert_accessible(phone, "public history")


def test_a_moderator_on_a_phone_rolls_back_a_run_across_two_listings_and_keeps_an_honest_edit(
    live_server, site, small_phone
):
    groups = ensure_role_groups()
    grant_page_permissions(groups["Moderators"], site.root_page)
    moderator = UserFactory(username="mod", first_name="Mo", last_name="Derator")
    moderator.groups.add(groups["Moderators"])
    vandal = UserFactory(username="vandal", first_name="Val", last_name="Andal")
    vandal.groups.add(groups["Moderators"])
    groceries = make_service(title="Weekly groceries", phones=("(312) 555-0101",))
    organization = groceries.get_parent().specific
    meals = make_service(organization=organization, title="Hot meals", phones=("(312) 555-0202",))
    diapers = make_service(organization=organization, title="Diapers", phones=("(312) 555-0303",))
    edit(groceries, vandal, set_phone("312-555-0666"))
    edit(meals, vandal, set_phone("312-555-0667"))
    edit(diapers, vandal, set_phone("312-555-0304"))  # an honest fix
    base = live_server.url

    sign_in(small_phone, base, moderator)
    small_phone.goto(f"{base}/admin/history/{groceries.pk}/")
    small_phone.get_by_role("link", name="Roll back their edits").click()
    small_phone.wait_for_url(f"**/admin/history/{groceries.pk}/rollback/**")
    boxes = small_phone.locator('input[name="listing"]')
    assert boxes.count() == 3
    assert all(boxes.nth(i).is_checked() for i in range(3))
    assert not small_phone.locator('input[name="wrong"]').is_checked()
    small_phone.get_by_label(re.compile("Diapers")).uncheck()
    overflow = small_phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the rollback screen scrolls sideways by {overflow}px at 360px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    small_phone.screenshot(path=SCREENSHOTS / "rollback-across-listings.png", full_page=True)
    small_phone.get_by_role("button", name="Yes, roll back").click()
    small_phone.wait_for_url(f"{base}/admin/history/{groceries.pk}/")
    assert "on 2 listings" in small_phone.content()

    for page, number in ((groceries, "0101"), (meals, "0202"), (diapers, "0304")):
        small_phone.goto(base + page.url)
        assert small_phone.locator(f'a[href="tel:+1312555{number}"]').first.is_visible()
