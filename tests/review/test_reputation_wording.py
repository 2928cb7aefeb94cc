"""The words of "My reputation" and of the queue's reasons come from the numbers
they describe (issue 12): overriding a review setting changes the sentence, in
English and in Spanish."""

import re

from django.conf import settings
from django.test import override_settings

from wagtail.users.models import UserProfile

import pytest

from tests.factories import OrganizationFactory
from tests.roles import professional

pytestmark = pytest.mark.django_db

URL = "/admin/review/reputation/"


def steward_blocks(**blocks):
    """STEWARD with the given blocks' keys overridden (the others as set)."""
    steward = dict(getattr(settings, "STEWARD", {}))
    for block, values in blocks.items():
        steward[block] = {**steward.get(block, {}), **values}
    return override_settings(STEWARD=steward)


def text(html):
    """The page's words, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def signed_in(client):
    user = professional(OrganizationFactory(), username="lee")
    client.force_login(user)
    return user


def test_the_design_numbers_are_stated_by_default(client, signed_in):
    words = text(client.get(URL).text)
    assert "re-verifies it after 30 days: +10" in words
    assert "A verification shown wrong within 90 days: −20" in words
    assert "An edit someone else accepts: +5" in words
    assert "A report that is declined: −1" in words
    assert "At most 200 points are gained a day." in words
    assert "No one falls below 1 point." in words
    assert "Not enough judged items yet (10 are needed)" in words
    assert "Roll back a run of edits: needs 2,000 points and a record of at least 80% good" in words


def test_other_settings_change_the_words(client, signed_in):
    with steward_blocks(
        REVIEW={"REVERIFIED_AFTER_DAYS": 45, "SHOWN_WRONG_WITHIN_DAYS": 1},
        TRUST={
            "POINTS": {**settings_points(), "edit_accepted": 7, "spam": -250},
            "DAILY_GAIN_CAP": 150,
            "REPUTATION_FLOOR": 5,
            "WILSON_MIN_JUDGED": 12,
            "ROLLBACK_POINTS": 3000,
            "ROLLBACK_WILSON": 0.9,
        },
    ):
        words = text(client.get(URL).text)
    assert "re-verifies it after 45 days: +10" in words
    assert "A verification shown wrong within 1 day: −20" in words  # the singular
    assert "An edit someone else accepts: +7" in words
    assert "Spam: −250" in words
    assert "At most 150 points are gained a day." in words
    assert "No one falls below 5 points." in words
    assert "Not enough judged items yet (12 are needed)" in words
    assert "needs 3,000 points and a record of at least 90% good (after 12 judged items)" in words
    for old in ("30 days", "90 days", "200 points", "+5", "−100", "2,000"):
        assert old not in words


def settings_points():
    from review.conf import trust_setting

    return dict(trust_setting("POINTS"))


def test_the_page_is_in_spanish_for_a_spanish_speaking_professional(client, signed_in):
    profile = UserProfile.get_for_user(signed_in)
    profile.preferred_language = "es"
    profile.save()
    with steward_blocks(REVIEW={"REVERIFIED_AFTER_DAYS": 45}, TRUST={"DAILY_GAIN_CAP": 150}):
        words = text(client.get(URL).text)
    assert "después de 45 días: +10" in words
    assert "en los 90 días siguientes: −20" in words
    assert "Como máximo se ganan 150 puntos al día." in words
    assert "Nadie baja de 1 punto." in words
    assert "Deshacer una serie de ediciones: necesita 2.000 puntos" in words


def test_a_conflicts_reason_states_the_verification_window_it_used():
    from review.models import ReviewItem
    from review.queue.scan import scan
    from tests.factories import make_service
    from tests.review.test_queue_scan import NOW, submit_for_review, verified

    service = make_service(title="Open kitchen")
    verified(service, days_ago=10, organization=OrganizationFactory(title="Northside Legal Aid"))
    submit_for_review(service, user=professional(OrganizationFactory(title="Eastside Outreach")))
    with steward_blocks(REVIEW={"CONFLICT_VERIFIED_WITHIN_DAYS": 21}):
        scan(now=NOW)
    reason = ReviewItem.objects.open().get(kind="conflict").reason
    assert "Northside Legal Aid verified in the last 21 days." in reason


def test_the_due_list_states_the_due_and_stale_rules_it_applies(client, signed_in):
    words = text(client.get("/admin/review/due/").text)
    assert (
        "due: 330 days after their last full verification (they are stale from day 365), "
        "or sooner when an important detail (Phone numbers, Hours, Who can get this, "
        "Open or closed) falls to 50% freshness." in words
    )
    with steward_blocks(
        REVIEW={
            "DUE_AFTER_DAYS": 200,
            "STALE_AFTER_DAYS": 250,
            "STALE_FIELD_WEIGHT": 2,
            "STALE_FIELD_FRESHNESS": 0.25,
        }
    ):
        words = text(client.get("/admin/review/due/").text)
    assert (
        "due: 200 days after their last full verification (they are stale from day 250), "
        "or sooner when an important detail (Address) falls to 25% freshness." in words
    )
