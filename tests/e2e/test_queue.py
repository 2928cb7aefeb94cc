"""On a 360 px phone: a person reports a problem without JavaScript-only tricks,
and a moderator works the review queue."""

from pathlib import Path

from django.contrib.auth.models import Group

import pytest

from review.models import Report
from review.queue import actions
from review.queue.scan import scan
from tests.factories import OrganizationFactory, category, make_service
from tests.roles import professional

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


def test_a_person_reports_a_wrong_phone_number_on_a_small_phone(
    live_server, site, small_phone, assert_accessible
):
    service = make_service(title="Weekly groceries", categories=[category("102")])
    small_phone.goto(live_server.url + service.relative_url(site))
    small_phone.get_by_role("link", name="Report a problem").click()
    small_phone.wait_for_url("**/report/**")
    assert_accessible(small_phone, "report form")
    # Nothing chosen yet: a clear message, nothing saved.
    small_phone.get_by_role("button", name="Send report").click()
    assert "Choose what is wrong with this listing." in small_phone.content()
    assert not Report.objects.exists()

    small_phone.get_by_label("The phone number is wrong").check()
    small_phone.get_by_label("Tell us more (optional)").fill("The number rings a fax machine.")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    small_phone.screenshot(path=SCREENSHOTS / "report-form.png", full_page=True)
    small_phone.get_by_role("button", name="Send report").click()
    small_phone.wait_for_url("**/thanks/")
    assert small_phone.get_by_role("heading", level=1).inner_text().strip() == "Thank you"
    report = Report.objects.get()
    assert (report.reason, report.note) == ("wrong_phone", "The number rings a fax machine.")


def test_a_moderator_opens_the_queue_on_a_small_phone(live_server, site, small_phone):
    crisis = make_service(title="Crisis line", categories=[category("101")])
    pantry = make_service(title="Harbor food pantry", categories=[category("102")])
    clinic = make_service(title="Tenant rights clinic", categories=[category("111")])
    actions.report_problem(service=crisis, reason="no_answer", source="outcome")
    actions.report_problem(service=pantry, reason="closed", client_key="a" * 64)
    actions.report_problem(service=pantry, reason="wrong_hours", client_key="b" * 64)
    member = professional(OrganizationFactory(title="Northside Legal Aid"))
    actions.report_problem(service=clinic, reason="wrong_address", user=member, note="Moved")
    scan()

    moderator = professional(username="mod")  # the factory's password is PASSWORD
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    small_phone.goto(live_server.url + "/admin/login/")
    small_phone.get_by_label("Username").fill("mod")
    small_phone.get_by_label("Password").fill(PASSWORD)
    small_phone.get_by_role("button", name="Sign in").click()
    small_phone.wait_for_url("**/admin/")
    small_phone.goto(live_server.url + "/admin/review-queue/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The admin scrolls inside its own panel: a tall window shows more of the list.
    small_phone.set_viewport_size({"width": 360, "height": 1500})
    small_phone.screenshot(path=SCREENSHOTS / "queue.png")
    small_phone.get_by_text("Filter by kind").click()
    small_phone.get_by_label("Kind").select_option("disputed")
    small_phone.get_by_role("button", name="Filter").click()
    small_phone.wait_for_url("**kind=disputed**")
    content = small_phone.content()
    assert content.count('class="rq-item ') == 3
    assert content.index("Crisis line") < content.index("Harbor food pantry")
    small_phone.get_by_role("link", name="Crisis line").click()
    small_phone.wait_for_selector("text=Nobody answered")
    assert "Nobody answered" in small_phone.content()
    small_phone.screenshot(path=SCREENSHOTS / "queue-item.png")
