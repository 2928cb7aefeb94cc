import re

import pytest

from directory.models import TaxonomyTerm
from directory.selectors import CATEGORY_SHORTCUTS

pytestmark = pytest.mark.django_db


def test_every_shortcut_points_at_a_top_level_open_eligibility_term():
    codes = [code for _, code, _ in CATEGORY_SHORTCUTS]
    terms = TaxonomyTerm.objects.filter(code__in=codes, parent__isnull=True)
    assert terms.count() == len(codes)
    labels = {label for label, _, _ in CATEGORY_SHORTCUTS}
    assert {"Food", "Housing", "Health", "Legal", "Crisis", "Work", "Money", "Care"} <= labels


def test_the_home_page_has_a_labelled_search_box_near_me_and_shortcuts(client, home):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<form[^>]*action="/search/"[^>]*method="get"', html)
    assert 'for="q"' in html and 'id="q" name="q"' in html
    assert 'for="near"' in html and 'name="near"' in html
    assert 'href="/search/?category=102"' in html  # Food
    assert 'href="/search/?category=101"' in html  # Crisis
    # The geolocation button is an enhancement: hidden until JavaScript shows it.
    assert re.search(r"<button[^>]*data-geolocate[^>]*hidden", html)


def test_the_home_page_is_accessible_and_light(client, home, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert html.count("<h1") == 1
    assert 'name="viewport"' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert re.search(r'<script src="/static/js/steward\.js[^"]*" defer>', html)


def test_the_search_box_submits_to_the_search_page(client, home):
    response = client.get("/search/", {"q": "food", "near": "60601"})
    assert response.status_code == 200


def test_a_missing_page_uses_the_site_404(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html
    assert '<html lang="en"' in html


def test_the_500_template_renders_without_a_database():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html
