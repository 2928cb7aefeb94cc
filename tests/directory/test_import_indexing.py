"""The import indexes in batches (directory/hsds/bulk.index_objects) instead of
on every save. What it leaves must be what Wagtail's own per-object verbs leave:
the same search entries and the same reference index rows, so that search finds
an imported listing by its organization's and categories' names, and an admin's
"usage" of a location lists the services given there."""

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from modelsearch import index as search_index
from wagtail.models import ReferenceIndex

import pytest

from directory.models import Location, OrganizationPage, ServicePage

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture(scope="session")
def shared():
    path = Path(__file__).parents[2].parent / "shared"
    if not path.is_dir():
        pytest.skip(f"the shared data folder {path} is absent")
    return path


def run(path, source="batch"):
    out = StringIO()
    call_command("import_hsds", str(path), "--source", source, stdout=out)
    return out.getvalue()


def search_entries():
    """The search backend's entries (its own table, on SQLite or PostgreSQL)."""
    found = {}
    for _, backend in search_index.get_search_backends_with_name():
        entries = backend.get_index_for_model(ServicePage).entries
        for e in entries.model.objects.all():
            found[(e.content_type_id, e.object_id)] = (e.title, e.autocomplete, e.body)
    return found


def references():
    return set(
        ReferenceIndex.objects.values_list(
            "content_type_id", "base_content_type_id", "object_id", "to_content_type_id",
            "to_object_id", "model_path", "content_path",
        )
    )  # fmt: skip


def reindex_one_by_one():
    """What saving each object alone would leave: Wagtail's own verbs, per object."""
    for model in (OrganizationPage, ServicePage, Location):
        for obj in model.objects.all():
            ReferenceIndex.create_or_update_for_object(obj)
            search_index.insert_or_update_object(obj)


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("sample", ["ohana-sample", "icarol-sample", "airs-xml-bc211"])
def test_batched_indexes_equal_those_of_saving_one_by_one(home, shared, sample):
    run(shared / "data" / sample)
    assert ServicePage.objects.exists()
    entries, refs = search_entries(), references()
    assert entries and refs
    reindex_one_by_one()
    assert search_entries() == entries
    assert references() == refs


@pytest.mark.django_db
def test_search_finds_an_imported_service_by_its_organization_and_category(home, shared, client):
    run(shared / "data" / "ohana-sample")
    service = ServicePage.objects.live().filter(categories__isnull=False).first()
    assert service is not None
    org = service.get_parent()
    for words in (org.title, service.categories.first().name):
        response = client.get("/search/", {"q": words})
        assert response.status_code == 200
        assert service.title in response.content.decode(), words


@pytest.mark.django_db
def test_a_changed_service_is_found_by_its_new_name_after_a_re_import(home, tmp_path, client):
    package = tmp_path / "northside"
    shutil.copytree(FIXTURES / "northside", package)
    run(package, source="ns")
    services = (package / "svc-2024.csv").read_text(encoding="utf-8")
    first = ServicePage.objects.order_by("pk").first()
    assert first.title in services
    (package / "svc-2024.csv").write_text(
        services.replace(first.title, "Zyxwv Renamed Pantry", 1), encoding="utf-8"
    )
    out = run(package, source="ns")
    assert "1 updated" in out
    assert "Zyxwv Renamed Pantry" in client.get("/search/", {"q": "Zyxwv"}).content.decode()
