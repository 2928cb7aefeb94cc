"""Issue 11: the editor's category field is a tree of checkboxes, and saving keeps
the categories (a stray click cannot empty them)."""

import re

import pytest

from directory.models import ServicePage
from tests.factories import category
from tests.review.editing import latest, service_form, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def pantry(world):  # noqa: F811
    service = world.service_a
    service.categories.set([category("102"), category("102-01")])
    service.save_revision(user=world.users.member_a).publish()
    return service, world.users.member_a


def editor_html(client, user, service):
    client.force_login(user)
    response = client.get(f"/admin/pages/{service.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def category_boxes(html):
    return re.findall(r'<input[^>]*type="checkbox"[^>]*name="categories"[^>]*>', html)


def checked_values(html):
    return {
        re.search(r'value="(\d+)"', box).group(1)
        for box in category_boxes(html)
        if "checked" in box
    }


def categories_of(service):
    return set(ServicePage.objects.get(pk=service.pk).categories.values_list("code", flat=True))


def test_the_editor_shows_categories_as_a_nested_checkbox_tree_with_a_filter(client, pantry):
    pantry, member = pantry
    html = editor_html(client, member, pantry)

    boxes = category_boxes(html)
    assert len(boxes) > 100
    assert '<select name="categories"' not in html
    assert checked_values(html) == {str(category("102").pk), str(category("102-01").pk)}
    # Grouped by parent: Food's children are inside Food's item.
    food = html.index(f'value="{category("102").pk}"')
    child = html.index(f'value="{category("102-01").pk}"')
    assert food < child and "steward-category-tree__group" in html[food:child]
    assert "data-category-filter" in html and "category-tree.js" in html


def test_an_edit_that_does_not_touch_categories_keeps_them(client, pantry):
    pantry, member = pantry
    html = editor_html(client, member, pantry)
    data = service_form(latest(pantry), alert="Closed on Friday")
    # What the browser posts back: the boxes as they were rendered.
    data["categories"] = sorted(checked_values(html))
    data["action-publish"] = "1"

    response = client.post(f"/admin/pages/{pantry.pk}/edit/", data)

    assert response.status_code == 302
    assert ServicePage.objects.get(pk=pantry.pk).alert == "Closed on Friday"
    assert categories_of(pantry) == {"102", "102-01"}


def test_a_real_admin_post_sets_the_ticked_categories(client, pantry):
    pantry, member = pantry
    client.force_login(member)
    data = service_form(latest(pantry))
    data["categories"] = [
        str(category("102").pk),
        str(category("102-01").pk),
        str(category("101").pk),
    ]
    data["action-publish"] = "1"

    response = client.post(f"/admin/pages/{pantry.pk}/edit/", data)

    assert response.status_code == 302
    assert categories_of(pantry) == {"101", "102", "102-01"}
