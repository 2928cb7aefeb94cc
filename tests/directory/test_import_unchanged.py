"""Issue 10's speed rules, as a user sees them: a re-import of an unchanged file is
recognised by the content hash of each source unit (directory/hsds/unchanged.py)
before any planning and writes nothing; a changed value changes exactly that
listing; the bulk path keeps every page's revision, history and after-publish
hooks (directory/publishing.py)."""

import csv
import random
import shutil
from pathlib import Path

from django.apps import apps

from wagtail import hooks
from wagtail.models import PageLogEntry, Revision

import pytest

from directory.hsds import bulk
from directory.hsds.importer import import_package
from directory.models import (
    Location,
    OrganizationPage,
    ServicePage,
    SourceRecord,
    SourceRowsDigest,
)
from directory.publishing import AFTER_PUBLISH_HOOK

SHARED = Path(__file__).parents[2].parent / "shared" / "data"


@pytest.fixture
def ohana(tmp_path):
    if not (SHARED / "ohana-sample").is_dir():
        pytest.skip("the shared data folder is absent")
    return Path(shutil.copytree(SHARED / "ohana-sample", tmp_path / "ohana"))


def history_rows():
    """Every simple_history row and every Wagtail revision and log entry."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }
    counts["revisions"] = Revision.objects.count()
    counts["log entries"] = PageLogEntry.objects.count()
    return counts


def outcomes(report, kind):
    c = report.counts[kind]
    return (c["created"], c["updated"], c["unchanged"], c["skipped"])


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)


def edit_csv(path, match, changes):
    rows = read_csv(path)
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            row.update(changes)
    write_csv(path, rows)


def revisions_by_page():
    return {
        page.pk: Revision.page_revisions.filter(object_id=str(page.pk)).count()
        for page in ServicePage.objects.all()
    }


@pytest.mark.django_db
class TestUnchangedReimport:
    def test_a_second_import_of_the_same_file_writes_no_revision_and_no_history(self, ohana):
        first = import_package(ohana, source="ohana")
        assert outcomes(first, "service") == (23, 0, 0, 0)
        assert SourceRowsDigest.objects.filter(source="ohana").exists()
        before = history_rows()
        records = list(SourceRecord.objects.order_by("pk").values_list("pk", "digest"))

        again = import_package(ohana, source="ohana")

        assert history_rows() == before
        assert list(SourceRecord.objects.order_by("pk").values_list("pk", "digest")) == records
        assert outcomes(again, "service") == (0, 0, 23, 0)
        assert outcomes(again, "organization") == (0, 0, 8, 0)
        assert outcomes(again, "location") == (0, 0, 22, 0)
        assert not again.changed and again.imported
        # Known before planning: the note says so, and no row was planned.
        assert any("23 services" in n and "not planned" in n for n in again.notes)

    def test_rows_in_another_order_are_the_same_content(self, ohana):
        import_package(ohana, source="ohana")
        before = history_rows()
        for name in ("services.csv", "phones.csv", "locations.csv", "regular_schedules.csv"):
            rows = read_csv(ohana / name)
            random.Random(7).shuffle(rows)
            write_csv(ohana / name, rows)
        again = import_package(ohana, source="ohana")
        assert history_rows() == before
        assert outcomes(again, "service") == (0, 0, 23, 0)

    def test_changing_one_value_changes_exactly_that_listing(self, ohana):
        import_package(ohana, source="ohana")
        before = revisions_by_page()
        library = ServicePage.objects.get(title="Main Library")

        edit_csv(ohana / "services.csv", {"id": "10"}, {"wait_time": "Two weeks."})
        report = import_package(ohana, source="ohana")

        after = revisions_by_page()
        assert {pk for pk in after if after[pk] != before[pk]} == {library.pk}
        assert after[library.pk] == before[library.pk] + 1
        assert ServicePage.objects.get(pk=library.pk).wait_time == "Two weeks."
        assert outcomes(report, "service") == (0, 1, 22, 0)

        # And the next import of this file is unchanged again.
        third = import_package(ohana, source="ohana")
        assert revisions_by_page() == after
        assert outcomes(third, "service") == (0, 0, 23, 0)

    def test_a_deleted_listing_is_imported_again_though_its_rows_are_the_same(self, ohana):
        import_package(ohana, source="ohana")
        ServicePage.objects.get(title="Main Library").delete()  # a superuser's hard delete
        report = import_package(ohana, source="ohana")
        assert ServicePage.objects.filter(title="Main Library").exists()
        assert report.counts["service"]["created"] == 1

    def test_another_source_is_not_skipped(self, ohana):
        import_package(ohana, source="ohana")
        other = import_package(ohana, source="ohana-again")
        assert outcomes(other, "service") == (23, 0, 0, 0)


@pytest.mark.django_db
class TestBulkPathKeepsEverything:
    def test_every_new_page_has_its_revision_publish_entry_and_source_history(self, ohana):
        import_package(ohana, source="ohana")
        for page in [*ServicePage.objects.all(), *OrganizationPage.objects.all()]:
            assert page.live and page.live_revision_id == page.latest_revision_id
            assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1
        for location in Location.objects.all():
            assert location.latest_revision_id
        history = apps.get_model("directory", "HistoricalSourceRecord")
        assert history.objects.filter(history_type="+").count() == SourceRecord.objects.count()

    def test_the_bulk_revision_is_what_wagtail_would_store(self, ohana):
        import_package(ohana, source="ohana")
        for obj in [*ServicePage.objects.all()[:5], *Location.objects.all()[:5]]:
            obj = type(obj).objects.get(pk=obj.pk)
            assert bulk.serializable_data(obj) == obj.serializable_data()

    def test_bulk_created_pages_reach_the_after_publish_hook(self, ohana):
        seen = []
        with hooks.register_temporarily(AFTER_PUBLISH_HOOK, seen.append):
            import_package(ohana, source="ohana")
        services = {c.page.pk for c in seen if isinstance(c.page, ServicePage)}
        assert services == set(ServicePage.objects.values_list("pk", flat=True))
        assert all(c.previous is None and c.user is None for c in seen)
        assert all(c.revision.pk == c.page.live_revision_id for c in seen)

    def test_an_import_that_changes_a_value_records_the_fields_it_touched(self, ohana):
        from review.models import Verification

        import_package(ohana, source="ohana")
        assert not Verification.objects.exists()  # a first import verifies nothing
        edit_csv(ohana / "services.csv", {"id": "10"}, {"fees": "Free for everyone."})
        import_package(ohana, source="ohana")
        library = ServicePage.objects.get(title="Main Library")
        (verification,) = Verification.objects.filter(page=library)
        assert verification.kind == Verification.Kind.EDIT
        assert verification.user is None and verification.approver is None
        assert verification.fields == ["fees"]  # the one trust field the import changed


@pytest.mark.django_db
def test_a_unit_that_split_again_is_planned_again(ohana):
    """Service 10 (organization 3) moves to location 1 (organization 1): the two
    organizations become one unit. When the file moves it back, neither old hash
    may hide the change: the listing is at its own place again."""
    from directory.models import ServiceAtLocation

    def places():
        library = ServicePage.objects.get(title="Main Library")
        return sorted(
            ServiceAtLocation.objects.filter(service=library).values_list(
                "location__name", flat=True
            )
        )

    import_package(ohana, source="ohana")
    home = places()
    assert home == ["Main Library"]
    edit_csv(ohana / "services.csv", {"id": "10"}, {"location_id": "1"})
    import_package(ohana, source="ohana")
    assert places() == ["Fair Oaks Adult Activity Center"]
    edit_csv(ohana / "services.csv", {"id": "10"}, {"location_id": "10"})
    back = import_package(ohana, source="ohana")
    assert places() == home
    assert back.counts["service"]["updated"] == 1
