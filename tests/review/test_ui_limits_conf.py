"""The admin's list limits are review numbers too (issue 12): the dashboard's due
panel and the merge screen's candidates read STEWARD["REVIEW"], and overriding
the setting changes what the page shows."""

import re

from django.conf import settings
from django.test import override_settings

import pytest

from review.trust import store
from tests.factories import OrganizationFactory, make_service
from tests.roles import moderator, professional

pytestmark = pytest.mark.django_db


def review_block(**values):
    steward = dict(getattr(settings, "STEWARD", {}))
    steward["REVIEW"] = {**steward.get("REVIEW", {}), **values}
    return override_settings(STEWARD=steward)


def due_panel(html):
    """The dashboard's "Due for verification" panel."""
    start = html.index('id="steward-due-content"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def four_due(client):
    organization = OrganizationFactory(title="Lakeview Pantry")
    titles = [f"Never checked {n}" for n in range(4)]
    for title in titles:
        make_service(organization=organization, title=title)
    store.recompute()
    client.force_login(professional(organization))
    return titles


def shown(panel, titles):
    return [title for title in titles if title in panel]


def test_the_due_panel_lists_up_to_ten_listings_by_default(client, four_due):
    panel = due_panel(client.get("/admin/").text)
    assert shown(panel, four_due) == four_due
    assert "Open the due list" in panel and "See all due listings" not in panel


def test_a_smaller_due_panel_limit_shows_fewer_and_links_to_the_rest(client, four_due):
    with review_block(DUE_PANEL_LIMIT=2):
        panel = due_panel(client.get("/admin/").text)
    assert len(shown(panel, four_due)) == 2
    assert "See all due listings" in panel
    # The full due list is not cut by the panel's limit.
    with review_block(DUE_PANEL_LIMIT=2):
        full = client.get("/admin/review/due/").text
    assert shown(full, four_due) == four_due


@pytest.fixture
def merge_url(client):
    organization = OrganizationFactory(title="Northside Pantry")
    for n in range(5):
        make_service(organization=organization, title=f"Food pantry {n}")
    duplicate = make_service(organization=organization, title="Food Pantry (imported twice)")
    client.force_login(moderator("mod"))
    return f"/admin/steward/pages/{duplicate.pk}/merge/"


def candidates(html):
    return re.findall(r'name="survivor" value="(\d+)"', html)


def test_the_merge_screen_offers_every_match_under_the_default_limit(client, merge_url):
    assert len(candidates(client.get(merge_url, {"q": "pantry"}).text)) == 5


def test_a_smaller_candidate_limit_offers_fewer_survivors(client, merge_url):
    with review_block(MERGE_CANDIDATES_SHOWN=3):
        html = client.get(merge_url, {"q": "pantry"}).text
    assert len(candidates(html)) == 3
