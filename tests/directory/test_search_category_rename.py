"""Renaming a category in the admin rewrites the search documents of its
services (and of the services beneath it): the new name finds them at once, the
old one no longer does."""

import re
from html import unescape

import pytest

from directory.models import SearchDocument
from tests.factories import OrganizationFactory, category, make_service
from tests.roles import superuser

pytestmark = pytest.mark.django_db


def titles(client, q):
    html = client.get("/search/", {"q": q}).content.decode()
    return [
        unescape(t)
        for t in re.findall(r'<h2 class="card-title"><a href="[^"]*"[^>]*>([^<]+)</a>', html)
    ]


def rename(client, term, name):
    response = client.post(
        f"/admin/snippets/directory/taxonomyterm/edit/{term.pk}/",
        {
            "taxonomy": term.taxonomy_id,
            "parent": term.parent_id or "",
            "name": name,
            "code": term.code,
            "description": term.description,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_renamed_category_finds_its_services_by_the_new_name(client):
    pantry = category("102-04")
    child_of_food = make_service(
        organization=OrganizationFactory(), title="Tuesday distribution", categories=[pantry]
    )
    other = make_service(organization=OrganizationFactory(), title="Tuesday tutoring")
    assert titles(client, "zucchini") == []

    admin = superuser()
    client.force_login(admin)
    rename(client, pantry, "Zucchini Exchange")
    client.logout()

    assert titles(client, "zucchini") == ["Tuesday distribution"]
    assert "Zucchini Exchange" in SearchDocument.objects.get(service=child_of_food).categories
    assert "Zucchini" not in SearchDocument.objects.get(service=other).categories


def test_renaming_a_parent_category_reaches_the_services_beneath_it(client):
    food, pantry = category("102"), category("102-04")
    make_service(organization=OrganizationFactory(), title="Saturday pantry", categories=[pantry])
    assert titles(client, "victuals") == []

    client.force_login(superuser())
    rename(client, food, "Victuals")
    client.logout()

    assert titles(client, "victuals") == ["Saturday pantry"]
