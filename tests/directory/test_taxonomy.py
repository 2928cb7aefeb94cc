import pytest

from directory.models import Taxonomy, TaxonomyTerm
from directory.taxonomy import load_open_eligibility, open_eligibility_terms
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_open_eligibility_tree_ships_with_steward():
    shipped = list(open_eligibility_terms())
    assert TaxonomyTerm.objects.filter(taxonomy__name="Open Eligibility").count() == len(shipped)
    food = TaxonomyTerm.objects.get(code="102")
    assert food.name == "Food" and food.parent is None
    pantry_codes = set(TaxonomyTerm.objects.descendants_of(food).values_list("code", flat=True))
    assert {"102", "102-01"} <= pantry_codes
    assert all(code.startswith("102") for code in pantry_codes)


def test_loading_the_tree_again_creates_nothing():
    before = TaxonomyTerm.objects.count()
    _, created = load_open_eligibility(Taxonomy, TaxonomyTerm)
    assert created == 0
    assert TaxonomyTerm.objects.count() == before


def test_moving_a_term_moves_its_whole_subtree():
    emergency = TaxonomyTerm.objects.get(code="101")
    cash = TaxonomyTerm.objects.get(code="101-02")
    food = TaxonomyTerm.objects.get(code="102")

    cash.parent = food
    cash.save()

    moved = set(TaxonomyTerm.objects.descendants_of(food).values_list("code", flat=True))
    assert {"101-02", "101-02-01"} <= moved
    left = set(TaxonomyTerm.objects.descendants_of(emergency).values_list("code", flat=True))
    assert "101-02-01" not in left
    assert [t.name for t in TaxonomyTerm.objects.get(code="101-02-01").ancestors()] == [
        "Food",
        "Emergency Cash",
    ]


def test_moderators_manage_categories_in_the_admin(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    food = TaxonomyTerm.objects.get(code="102")

    response = client.post(
        "/admin/snippets/directory/taxonomyterm/add/",
        {"taxonomy": food.taxonomy_id, "parent": food.pk, "name": "Diaper banks", "code": ""},
    )

    assert response.status_code == 302
    term = TaxonomyTerm.objects.get(name="Diaper banks")
    assert term.tree_path.startswith(food.tree_path)
