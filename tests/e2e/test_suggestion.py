"""A suggestion goes through review: a non-member edits a service's phone and
submits it; a moderator approves it in the admin; the public page shows it."""

from pathlib import Path

from django.contrib.auth.models import Group, Permission

import pytest

from review.moderation.workflow import ensure_all
from tests.e2e.conftest import close_context
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


def _user(username, group):
    user = UserFactory(username=username, first_name=username.capitalize())
    group, _ = Group.objects.get_or_create(name=group)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_a_suggested_phone_goes_live_after_a_moderator_approves(live_server, site, browser):
    ensure_all()
    service = make_service(title="Neighborhood pantry", phones=["(312) 555-0101"])
    _user("suggester", "Professionals")
    _user("moderator", "Moderators")
    base = live_server.url

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "suggester")
    page.goto(f"{base}/admin/pages/{service.pk}/edit/")
    page.get_by_role("tab", name="Where and when").click()
    page.fill("input[name='phones-0-number']", "(312) 555-0199")
    # The button sits in the "More actions" menu; a scripted click does not wait for
    # the navigation it starts, so wait for it explicitly.
    with page.expect_navigation():
        page.eval_on_selector("button[name='action-submit']", "button => button.click()")
    page.wait_for_load_state("networkidle")
    assert "submitted for moderation" in page.content()
    close_context(context)

    public = browser.new_context().new_page()
    public.goto(f"{base}{service.url}")
    assert "555-0101" in public.content()  # still the live version

    context = browser.new_context(viewport={"width": 1280, "height": 1750})
    page = context.new_page()
    sign_in(page, base, "moderator")
    page.goto(f"{base}/admin/review/pending/")
    page.get_by_role("link", name="Neighborhood pantry").click()
    page.wait_for_url(f"{base}/admin/review/pending/{service.pk}/")
    assert "Suggester" in page.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review-step.png"), full_page=True)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("networkidle")
    assert "Approved and published" in page.content()
    context.close()

    public.goto(f"{base}{service.url}")
    assert "555-0199" in public.content()
    assert "555-0101" not in public.content()
