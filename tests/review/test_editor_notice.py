"""Issue 11: a professional who may not publish is told, before saving, that the
change is reviewed and by whom; submitting for review is the main button."""

import re

import pytest

from review.moderation import actions as moderation
from tests.review.editing import latest, service_form

pytestmark = pytest.mark.django_db

NOTICE = "Your change will be reviewed by a moderator or a member of Alpha Aid before it goes live"


def editor(client, user, page):
    client.force_login(user)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def action_names(html):
    """The editor's save/submit/publish buttons in page order: Wagtail renders the
    main one first, then the menu. "Save draft" is the button without a name."""
    footer = html[html.index('<footer class="footer') :]
    names = []
    for button in re.findall(r'<button\b[^>]*type="submit"[^>]*>', footer):
        named = re.search(r'name="(action-[a-z-]+)"', button)
        if named:
            names.append(named.group(1))
        elif "action-save" in button:
            names.append("action-save-draft")
    return names


def test_a_non_member_is_told_who_reviews_and_submitting_is_the_main_button(client, world):
    html = editor(client, world.users.outsider, world.service_a)

    assert NOTICE in html
    names = action_names(html)
    assert names[0] == "action-submit", names
    assert "action-save-draft" in names[1:]
    assert "action-publish" not in names
    assert "Submit for review" in html


def test_a_member_publishes_from_the_main_button_and_sees_no_notice(client, world):
    html = editor(client, world.users.member_a, world.service_a)

    assert "Your change will be reviewed" not in html
    names = action_names(html)
    assert names[0] == "action-publish", names
    assert "action-save-draft" in names[1:]


def test_the_main_button_submits_the_change_for_review(client, world):
    client.force_login(world.users.outsider)
    data = service_form(latest(world.service_a), alert="Closed on Friday")
    data["action-submit"] = "1"
    response = client.post(f"/admin/pages/{world.service_a.pk}/edit/", data)

    assert response.status_code == 302
    assert moderation.has_pending_changes(world.service_a)
