"""Two people edit one listing in browsers: the later save on an out-of-date copy is
refused with the other change shown (Wagtail's editor needs JavaScript, so the
no-JavaScript path, a plain form POST, is covered in tests/review/test_stale_save.py).
A moderator locks a listing and merges a duplicate on a phone. Screenshots go to
docs/screenshots/."""

from pathlib import Path

import pytest

from directory.models import ServicePage
from review.models import ListingLock
from tests.e2e.conftest import close_context
from tests.factories import make_service
from tests.roles import member as member_of
from tests.roles import moderator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def save_draft(page):
    """Members publish from the main button; "Save draft" is in the "More actions"
    menu beside it (issue 11), so open that menu first."""
    button = page.locator("footer button[type=submit]:has-text('Save draft')")
    if not button.is_visible():
        page.click("footer .w-dropdown-button button:has-text('More actions')")
    button.click()


def sign_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def editor(browser, *, javascript):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    return context, context.new_page()


def test_a_save_on_an_out_of_date_copy_is_refused_in_the_browser(live_server, browser):
    service = make_service(title="Food pantry", description="Groceries on Mondays.")
    organization = service.get_parent().specific
    alice, bob = member_of(organization, "alice"), member_of(organization, "bob")
    bob.first_name, bob.last_name = "Bob", "Okafor"
    bob.save()
    base = live_server.url
    edit = f"{base}/admin/pages/{service.pk}/edit/"

    alice_context, alice_page = editor(browser, javascript=True)
    bob_context, bob_page = editor(browser, javascript=True)
    try:
        sign_in(alice_page, base, alice.username)
        sign_in(bob_page, base, bob.username)
        alice_page.goto(edit)  # Alice opens the editor first...
        bob_page.goto(edit)
        bob_page.fill("#id_description", "Groceries on Tuesdays.")
        save_draft(bob_page)
        bob_page.wait_for_load_state()
        assert (
            "Tuesdays"
            in ServicePage.objects.get(pk=service.pk).latest_revision.content["description"]
        )

        alice_page.fill("#id_description", "Groceries every day.")
        save_draft(alice_page)
        alice_page.wait_for_load_state()

        body = alice_page.content()
        assert "Your save was not applied" in body
        assert "Bob Okafor" in body
        assert "Continue from my copy" in body
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        alice_page.screenshot(path=SCREENSHOTS / "conflict-phone.png", full_page=True)
        latest = ServicePage.objects.get(pk=service.pk).latest_revision
        assert latest.user == bob
    finally:
        close_context(alice_context)
        close_context(bob_context)


def test_a_moderator_locks_a_listing_on_a_phone(live_server, browser):
    service = make_service(title="Crisis line")
    mod = moderator("mod")
    base = live_server.url
    context, page = editor(browser, javascript=True)
    try:
        sign_in(page, base, mod.username)
        page.goto(f"{base}/admin/steward/pages/{service.pk}/lock/")
        page.check("input[value=crisis_line]")
        page.fill("textarea[name=note]", "Callers at risk: check every change.")
        page.screenshot(path=SCREENSHOTS / "lock-phone.png", full_page=True)
        page.click("button:has-text('Lock it')")
        page.wait_for_load_state()
        assert ListingLock.objects.get(page_id=service.pk).reason == "crisis_line"
        assert "only moderators can change it" in page.content()
    finally:
        close_context(context)

    member = member_of(service.get_parent().specific, "member")
    context, page = editor(browser, javascript=True)
    try:
        sign_in(page, base, member.username)
        page.goto(f"{base}/admin/pages/{service.pk}/edit/")
        assert "only moderators may change it" in page.content()
        page.screenshot(path=SCREENSHOTS / "locked-edit-phone.png")
    finally:
        close_context(context)


def test_a_moderator_merges_a_duplicate(live_server, browser):
    survivor = make_service(title="Food pantry")
    duplicate = make_service(
        organization=survivor.get_parent().specific, title="Food Pantry (imported)"
    )
    mod = moderator("mod")
    base = live_server.url
    context, page = editor(browser, javascript=True)
    try:
        sign_in(page, base, mod.username)
        page.goto(f"{base}/admin/steward/pages/{duplicate.pk}/merge/?q=pantry")
        page.check(f"input[name=survivor][value='{survivor.pk}']")
        page.click("button:has-text('Review the merge')")
        page.wait_for_load_state()
        page.screenshot(path=SCREENSHOTS / "merge-phone.png", full_page=True)
        page.click("button:has-text('Merge')")
        page.wait_for_load_state()
        assert not ServicePage.objects.get(pk=duplicate.pk).live
    finally:
        close_context(context)
