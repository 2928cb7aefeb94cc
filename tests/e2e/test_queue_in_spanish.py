"""On a 360 px phone, a moderator who chose Spanish in Wagtail works the review
queue in Spanish (issue 15: "Professionals get Wagtail's own Spanish admin")."""

from pathlib import Path

from wagtail.users.models import UserProfile

import pytest

from review.queue import actions
from review.queue.scan import scan
from tests.factories import category, make_service
from tests.roles import moderator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "correct horse battery staple"


def test_a_spanish_speaking_moderator_opens_the_queue_on_a_small_phone(
    live_server, site, small_phone, assert_accessible
):
    crisis = make_service(title="Crisis line", categories=[category("101")])
    pantry = make_service(title="Harbor food pantry", categories=[category("102")])
    actions.report_problem(service=crisis, reason="no_answer", source="outcome")
    actions.report_problem(service=pantry, reason="closed", client_key="a" * 64)
    scan()
    user = moderator("mod")  # the factory's password is PASSWORD
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "es"
    profile.save()

    small_phone.goto(live_server.url + "/admin/login/")
    small_phone.get_by_label("Username").fill("mod")
    small_phone.get_by_label("Password").fill(PASSWORD)
    small_phone.get_by_role("button", name="Sign in").click()
    small_phone.wait_for_url("**/admin/")
    small_phone.goto(live_server.url + "/admin/review-queue/")
    assert small_phone.locator("html").get_attribute("lang") == "es"
    heading = small_phone.get_by_role("heading", level=1).inner_text().strip()
    assert heading == "Cola de revisión"
    content = small_phone.content()
    for spanish in ("Como moderador, usted no tiene límite diario.", "Problema reportado"):
        assert spanish in content, spanish
    for english in ("Review queue", "Reported problem", "Filter by kind"):
        assert english not in content, english
    # Nothing runs off the side of a 360 px screen.
    assert small_phone.evaluate("document.documentElement.scrollWidth") <= 360
    small_phone.get_by_text("Filtrar por tipo").click()
    assert_accessible(small_phone, "review queue in Spanish")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    small_phone.set_viewport_size({"width": 360, "height": 1400})
    small_phone.screenshot(path=SCREENSHOTS / "review-queue-es-360.png")
