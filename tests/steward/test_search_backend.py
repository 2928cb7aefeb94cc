"""Steward's search backend: Wagtail's database backend, ranking in one pass on SQLite."""

from django.db import connection

from wagtail.search.backends import get_search_backend

import pytest

from directory.models import ServicePage
from tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def services():
    make_service(title="Food pantry", description="Groceries for families.")
    make_service(title="Legal clinic", description="Free advice. Food vouchers too.")
    make_service(title="Tenant rights", description="Eviction defence.")
    make_service(title="Food bank and food pantry", description="Food, food and more food.")
    return ServicePage.objects.live()


def stock_backend():
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend({})
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    return PostgresSearchBackend({})


def test_it_is_wagtails_backend_for_the_database_in_use():
    backend = get_search_backend()
    if connection.vendor == "sqlite":
        assert type(backend).__name__ == "RankedSQLiteSearchBackend"
    else:
        assert type(backend).__name__ == "PrefilteredPostgresSearchBackend"


def test_it_ranks_exactly_as_wagtails_own_backend(services):
    ours = [s.title for s in get_search_backend().search("food", services)]
    stock = [s.title for s in stock_backend().search("food", services)]

    assert ours == stock
    assert set(ours) == {"Food pantry", "Legal clinic", "Food bank and food pantry"}
    assert ours[-1] == "Legal clinic"  # only its description mentions food


def test_pages_of_results_are_consistent_slices_of_the_whole(services):
    results = get_search_backend().search("food", services)
    whole = [s.pk for s in results]

    assert results.count() == 3
    assert [s.pk for s in results[0:2]] + [s.pk for s in results[2:3]] == whole
    assert list(results[5:10]) == []


def test_filters_on_the_source_queryset_still_apply(services):
    only_pantries = services.filter(title__icontains="pantry")

    titles = {s.title for s in get_search_backend().search("food", only_pantries)}

    assert titles == {"Food pantry", "Food bank and food pantry"}


def test_every_word_must_match_but_words_may_sit_in_different_fields(services):
    # "pantry" is in the title, "families" only in the description.
    titles = [s.title for s in get_search_backend().search("pantry families", services)]
    assert titles == ["Food pantry"]
    assert list(get_search_backend().search("pantry eviction", services)) == []


def test_no_match_gives_no_results(services):
    results = get_search_backend().search("zzzzqx", services)
    assert (results.count(), list(results)) == (0, [])
