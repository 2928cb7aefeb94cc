"""A social worker signs up on a phone, confirms the email, and the organization's
admin approves them on the Members screen. Saves screenshots at 360 and 1280 px."""

import re
from pathlib import Path

from django.core import mail

import pytest

from directory.members import is_member
from tests.directory.accounts_support import member
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def context(browser, width):
    return browser.new_context(
        viewport={"width": width, "height": 900 if width > 400 else 1500},
        device_scale_factor=1 if width > 400 else 2,
        is_mobile=width <= 400,
    )


def test_sign_up_confirm_and_be_approved_by_the_organization_admin(
    browser, site, live_server, assert_accessible
):
    organization = OrganizationFactory(title="Pilsen Neighbors Health Center")
    admin = member("orgadmin", organization, role="admin")
    admin.first_name, admin.last_name = "Olga", "Admin"
    admin.save()
    for name in ("Rosa Ortiz", "Tom Novak"):
        first, last = name.split()
        user = member(first.lower(), organization)
        user.first_name, user.last_name = first, last
        user.save()
    OrganizationFactory(title="Greater Chicago Food Partners")
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    wide = context(browser, 1280).new_page()
    wide.goto(f"{base}/accounts/signup/")
    wide.screenshot(path=SCREENSHOTS / "accounts-signup-1280.png", full_page=True)
    wide.context.close()

    phone_context = context(browser, 360)
    phone = phone_context.new_page()
    phone.goto(f"{base}/accounts/signup/")
    assert_accessible(phone, "sign-up")
    phone.screenshot(path=SCREENSHOTS / "accounts-signup-360.png", full_page=True)
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, "the sign-up page must not scroll sideways on a phone"

    phone.fill("#id_first_name", "Dana")
    phone.fill("#id_email", "not an email")
    phone.click("button:has-text('Sign up')")
    assert phone.locator(".error-text").count() >= 3
    assert_accessible(phone, "sign-up with errors")
    phone.screenshot(path=SCREENSHOTS / "accounts-signup-errors-360.png", full_page=True)

    # The search step first (a plain GET form, no JavaScript needed).
    phone.fill("#id_org_q", "pilsen")
    phone.click("button:has-text('Find')")
    phone.wait_for_selector("text=1 organization match")
    options = phone.locator("#id_organization option").all_inner_texts()
    assert "Greater Chicago Food Partners" not in options
    assert "Pilsen Neighbors Health Center" in options
    phone.screenshot(path=SCREENSHOTS / "accounts-signup-search-360.png", full_page=True)

    phone.fill("#id_first_name", "Dana")
    phone.fill("#id_last_name", "Kowalski")
    phone.fill("#id_email", "dana@gmail.com")
    phone.select_option("#id_organization", label="Pilsen Neighbors Health Center")
    phone.fill("#id_password1", "a long and unusual passphrase 42")
    phone.fill("#id_password2", "a long and unusual passphrase 42")
    phone.click("button:has-text('Sign up')")
    phone.wait_for_selector("text=Check your email")

    link = re.search(r"/accounts/confirm/\S+/", mail.outbox[-1].body).group(0)
    phone.goto(f"{base}{link}")
    phone.fill("#id_password", "a long and unusual passphrase 42")
    phone.click("text=Confirm my email")
    phone.wait_for_selector("text=You asked to join")
    phone_context.close()

    for width in (1280, 360):
        browser_context = context(browser, width)
        page = browser_context.new_page()
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "orgadmin")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        page.goto(f"{base}/admin/memberships/organizations/{organization.pk}/members/")
        page.wait_for_selector("text=Dana Kowalski")
        page.screenshot(path=SCREENSHOTS / f"accounts-members-{width}.png", full_page=True)
        if width == 360:
            page.click("button:has-text('Approve')")
            page.wait_for_selector("text=Dana Kowalski is now a member")
            page.goto(f"{base}/admin/memberships/mine/")
            page.screenshot(path=SCREENSHOTS / "accounts-mine-360.png", full_page=True)
        browser_context.close()

    from django.contrib.auth import get_user_model

    dana = get_user_model().objects.get(email="dana@gmail.com")
    assert is_member(dana, organization)
