"""import_hsds on real packages: ILAO's legal aid export (HSDS 1.x), the Ohana API
sample, the HSDS 3.0 examples (CSV and JSON) and a small fixture made to exercise
validation. Counts are exact; each was derived from the files themselves (see
the comments)."""

import csv
import datetime as dt
import re
import shutil
import uuid
import zipfile
from collections import Counter
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Revision

import pytest

from directory.hsds import writer
from directory.hsds.importer import import_package
from directory.models import (
    Location,
    LocationPhone,
    LocationSchedule,
    OrganizationPage,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    ServiceSchedule,
    SourceRecord,
    TaxonomyTerm,
)

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture(scope="session")
def shared():
    path = Path(__file__).parents[2].parent / "shared"
    if not path.is_dir():
        pytest.skip(f"the shared data folder {path} is absent")
    return path


def state():
    """Everything an import writes, counted, to show a re-import changed nothing."""
    return {
        "pages": OrganizationPage.objects.count() + ServicePage.objects.count(),
        "locations": Location.objects.count(),
        "revisions": Revision.objects.count(),
        "records": SourceRecord.objects.count(),
        "phones": LocationPhone.objects.count() + ServicePhone.objects.count(),
        "hours": LocationSchedule.objects.count() + ServiceSchedule.objects.count(),
        "terms": TaxonomyTerm.objects.count(),
    }


def outcomes(report, kind):
    c = report.counts[kind]
    return (c["created"], c["updated"], c["unchanged"], c["skipped"])


@pytest.mark.django_db
class TestIlaoLegalAid:
    """430 service rows (one blank, at row 431), 341 of them pointing at
    organizations not in organizations.csv (the blank row is one), 520 locations
    without coordinates or addresses (448 of them of missing organizations), hours
    only on locations, phones as free text."""

    def test_imports_every_usable_row_and_a_second_run_changes_nothing(self, shared):
        report = import_package(shared / "data" / "ilao-legal-aid")

        # 33 organizations + the one placeholder.
        assert outcomes(report, "organization") == (34, 0, 0, 0)
        assert outcomes(report, "service") == (429, 0, 0, 1)
        assert outcomes(report, "location") == (520, 0, 0, 0)
        # 982 phone rows: 33 of organizations and 27 without a number are skipped;
        # 922 parse, two of them hold two numbers ("; " and " or "), one holds two
        # after "; " at a location too: 922 + 3 = 925.
        assert outcomes(report, "phone") == (925, 0, 0, 60)
        # 2492 weekday rows, 665 of them blank (closed that day).
        assert outcomes(report, "schedule") == (1827, 0, 0, 0)

        assert report.skipped_reasons() == Counter(
            {
                "address of an organization, not a location: Steward keeps addresses "
                "on locations": 33,
                "organization-wide phones and hours are not imported: Steward keeps them "
                "on services and locations": 33,
                "the phone number is blank": 19,
                "“no phone” is not a phone number": 8,
                "blank row (no id and no name)": 1,
            }
        )
        blank = next(i for i in report.skipped if i.reason.startswith("blank row"))
        assert (blank.file, blank.row) == ("services.csv", 431)
        # "10:00-4:00" and the like: 21 closing times on a 12-hour clock.
        hours = [w for w in report.warnings if "read as" in str(w)]
        assert len(hours) == 21
        # And one place whose name says it is a women's shelter (issue 10).
        others = [str(w) for w in report.warnings if w not in hours]
        assert others == [
            "locations.csv row 450: possible confidential address (a shelter for survivors?): "
            "imported with its address hidden, for a moderator to decide"
        ]

        placeholder = OrganizationPage.objects.get(needs_details=True)
        assert placeholder.title == "Unknown organization (ilao-legal-aid)"
        assert report.services_under_placeholder == 340
        assert report.locations_under_placeholder == 448
        assert ServicePage.objects.child_of(placeholder).count() == 340
        assert Location.objects.filter(organization=placeholder).count() == 448
        assert OrganizationPage.objects.filter(needs_details=False).count() == 33
        # No service_at_location table: the 102 services whose organization has one
        # location are given there; 327 of organizations with several are not guessed.
        assert ServiceAtLocation.objects.count() == 102
        assert any("102 services linked" in note for note in report.notes)
        linked = ServiceAtLocation.objects.select_related("service", "location").first()
        assert linked.location.organization_id == linked.service.get_parent().pk

        assert ServicePage.objects.live().count() == 429
        assert Location.objects.count() == 520
        assert Location.objects.with_coordinates().count() == 0
        assert report.approximate_coordinates == 0
        assert LocationSchedule.objects.count() == 1827
        assert ServiceSchedule.objects.count() == 0
        assert LocationPhone.objects.count() == 520 - 24 + 1
        assert ServicePhone.objects.count() == 429 - 3 + 2
        # Every page published through one revision, so its history starts there.
        assert Revision.page_revisions.filter(object_id__in=_page_ids()).count() == 34 + 429
        assert Revision.objects.for_instance(Location.objects.first()).count() == 1
        assert all(p.live and p.latest_revision_id for p in ServicePage.objects.all()[:20])
        assert Counter(SourceRecord.objects.values_list("kind", flat=True)) == Counter(
            {"organization": 34, "location": 520, "service": 429}
        )

        before = state()
        again = import_package(shared / "data" / "ilao-legal-aid")
        assert state() == before
        assert outcomes(again, "organization") == (0, 0, 34, 0)
        assert outcomes(again, "service") == (0, 0, 429, 1)
        assert outcomes(again, "location") == (0, 0, 520, 0)


def _page_ids():
    ids = list(OrganizationPage.objects.values_list("pk", flat=True))
    ids += list(ServicePage.objects.values_list("pk", flat=True))
    return [str(pk) for pk in ids]


@pytest.mark.django_db
class TestOhanaSample:
    def test_imports_the_ohana_dialect(self, shared):
        report = import_package(shared / "data" / "ohana-sample")

        assert outcomes(report, "organization") == (8, 0, 0, 0)
        assert outcomes(report, "location") == (22, 0, 0, 0)
        assert outcomes(report, "service") == (23, 0, 0, 0)
        # 54 phones: one of organization 8 and two of its CEO's contact are skipped.
        assert outcomes(report, "phone") == (51, 0, 0, 3)
        # 11 weekly rows and one real holiday; three holidays dated "January 01, 0001"
        # or "June 01, 0001" (Ohana's "no date") are skipped.
        assert outcomes(report, "schedule") == (12, 0, 0, 3)
        # taxonomy.csv is Open Eligibility: all 290 codes match the shipped tree.
        assert outcomes(report, "taxonomy_term") == (0, 0, 290, 0)
        assert not report.placeholder_organization
        assert report.skipped_reasons("schedule") == {"holiday or exception without a real date": 3}

        # services carry location_id instead of a service_at_location table.
        passport = ServicePage.objects.get(title="Passport Photos")
        assert passport.get_parent().title == "Example Agency"
        assert [link.location.name for link in passport.service_at_locations.all()] == [
            "Example Location"
        ]
        assert sorted(t.code for t in passport.categories.all()) == [
            "105",
            "108",
            "108-05",
            "108-05-01",
            "111",
            "111-05",
        ]
        # Its own language plus those spoken at its location.
        assert sorted(lang.code for lang in passport.languages.all()) == [
            "es",
            "nan",
            "ru",
            "tl",
            "yue",
        ]
        assert passport.fees_description.endswith("Accepted payments: Cash, Check, Credit Card")
        assert ServicePhone.objects.filter(service=passport).count() == 4
        assert sorted(
            (h.weekday, str(h.opens_at), str(h.closes_at)) for h in passport.hours.all()
        ) == [(1, "08:00:00", "12:00:00"), (1, "14:00:00", "16:00:00"), (3, "10:00:00", "15:00:00")]
        statuses = dict(ServicePage.objects.values_list("title", "status"))
        assert statuses["Service with blank fields"] == "defunct"
        assert statuses["Service for Admin Test Location"] == "inactive"

        example = Location.objects.get(name="Example Location")
        assert (example.address_1, example.postal_code) == ("2013 Avenue of the fellows", "94103")
        assert example.timezone == "America/Los_Angeles"
        assert example.phones.count() == 7
        holiday = example.hours.get(weekday__isnull=True)
        assert (str(holiday.valid_from), str(holiday.valid_to), holiday.closed) == (
            "2015-12-24",
            "2015-12-24",
            False,
        )
        # Location 20 is virtual, with only a mailing address: no address, no pin.
        virtual = Location.objects.get(name="Location with no phone")
        assert (virtual.address_1, virtual.latitude) == ("", None)
        assert Location.objects.with_coordinates().count() == 21
        assert Location.objects.filter(coordinates_approximate=True).count() == 0
        assert OrganizationPage.objects.get(title="Example Agency").year_incorporated == 1970

    def test_reads_a_zip_as_the_folder(self, shared, tmp_path):
        archive = tmp_path / "ohana.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for path in (shared / "data" / "ohana-sample").iterdir():
                zf.write(path, f"ohana-sample/{path.name}")
        report = import_package(archive)
        assert report.source == "ohana"
        assert outcomes(report, "service") == (23, 0, 0, 0)
        assert outcomes(report, "phone") == (51, 0, 0, 3)


def _copy(src, dst):
    shutil.copytree(src, dst)
    return dst


def _edit_csv(path, match, changes):
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0])
    for row in rows:
        if all(row[k] == v for k, v in match.items()):
            row.update(changes)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.django_db
class TestReimport:
    def test_a_changed_copy_updates_by_source_id_with_one_new_revision(self, shared, tmp_path):
        package = _copy(shared / "data" / "ohana-sample", tmp_path / "ohana")
        import_package(package, source="ohana")
        service = ServicePage.objects.get(title="Main Library")
        revisions = Revision.objects.count()
        locations = Location.objects.count()

        _edit_csv(package / "services.csv", {"id": "10"}, {"name": "Main Library (downtown)"})
        _edit_csv(package / "phones.csv", {"id": "19"}, {"number": "650 780-7000"})
        report = import_package(package, source="ohana")

        assert outcomes(report, "service") == (0, 1, 22, 0)
        assert outcomes(report, "location") == (0, 1, 21, 0)
        assert outcomes(report, "organization") == (0, 0, 8, 0)
        renamed = ServicePage.objects.get(pk=service.pk)
        assert renamed.title == "Main Library (downtown)"
        assert renamed.uuid == service.uuid
        assert Revision.objects.count() == revisions + 2
        assert Location.objects.count() == locations
        assert (
            Location.objects.get(name="Main Library")
            .phones.filter(number="(650) 780-7000")
            .exists()
        )

    def test_the_same_json_twice_writes_nothing_new(self, shared):
        path = shared / "hsds-3.0" / "examples" / "service_full.json"
        import_package(path)
        before = state()
        report = import_package(path)
        assert state() == before
        assert outcomes(report, "service") == (0, 0, 1, 0)

    def test_assured_date_is_kept_for_the_trust_engine(self, shared):
        import_package(shared / "hsds-3.0" / "examples" / "service_full.json")
        record = SourceRecord.objects.get(kind="service")
        assert str(record.assured_date) == "2005-01-01"

    def test_an_assured_date_in_the_future_is_dropped(self, shared):
        now = dt.datetime(2004, 6, 1, tzinfo=dt.UTC)
        report = import_package(shared / "hsds-3.0" / "examples" / "service_full.json", now=now)
        assert SourceRecord.objects.get(kind="service").assured_date is None
        assert "assured date 2005-01-01 is in the future; dropped" in [
            i.reason for i in report.warnings
        ]


@pytest.mark.django_db
class TestHsds3Examples:
    def test_imports_the_csv_datapackage(self, shared):
        report = import_package(shared / "hsds-3.0" / "examples" / "csv")
        assert outcomes(report, "organization") == (1, 0, 0, 0)
        assert outcomes(report, "service") == (1, 0, 0, 0)
        assert outcomes(report, "location") == (1, 0, 0, 0)
        assert outcomes(report, "phone") == (1, 0, 0, 0)
        # One weekly schedule on Thursdays and Fridays.
        assert outcomes(report, "schedule") == (2, 0, 0, 0)
        assert outcomes(report, "taxonomy_term") == (1, 0, 0, 0)
        # The attribute links to "link_entity" f28dd44b..., which is nothing here.
        assert report.skipped_reasons() == {
            "links a category to something other than a known service": 1
        }
        service = ServicePage.objects.get()
        # UUID source ids are kept as ours.
        assert service.uuid == uuid.UUID("ac148810-d857-441c-9679-408f346de14b")
        assert service.get_parent().specific.uuid == uuid.UUID(
            "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
        )
        assert (service.minimum_age, service.maximum_age) == (12, 100)
        assert service.languages.get().code == "ur"
        # The location's organization (985e4a42...) is not in the package: it goes
        # with the organization of the service given there, not to a placeholder.
        location = Location.objects.get()
        assert location.organization.uuid == service.get_parent().specific.uuid
        assert not report.placeholder_organization
        # Latitude 100 is off the map, so both coordinates are dropped; "ABC 1234"
        # is no US ZIP code, so there is no centroid either.
        assert location.latitude is None
        assert location.accessibility.startswith("The building is equipped with induction")
        phone = service.phones.get()
        assert (phone.number, phone.extension, phone.location_id) == (
            "+44 1234 234567",
            "100",
            location.pk,
        )

    def test_imports_json_service_objects(self, shared):
        report = import_package(shared / "hsds-3.0" / "examples" / "service_full.json")
        assert outcomes(report, "service") == (1, 0, 0, 0)
        assert outcomes(report, "location") == (1, 0, 0, 0)
        assert outcomes(report, "organization") == (1, 0, 0, 0)
        # The same phone and schedule are repeated under the service, its location,
        # its contact and its organization: kept once, on the service.
        assert outcomes(report, "phone") == (1, 0, 0, 0)
        service = ServicePage.objects.get()
        assert service.categories.get().name == "name"
        assert [h.weekday for h in service.hours.all()] == [4, 5]

    def test_imports_a_paged_api_list(self, shared):
        report = import_package(shared / "hsds-3.0" / "examples" / "service_list.json")
        assert outcomes(report, "service") == (1, 0, 0, 0)
        assert outcomes(report, "organization") == (1, 0, 0, 0)
        assert ServicePage.objects.get().get_parent().title == "Example Organization Inc."

    def test_imports_organizations_with_nested_services(self, shared):
        report = import_package(shared / "hsds-3.0" / "examples" / "organization_full.json")
        assert outcomes(report, "organization") == (1, 0, 0, 0)
        assert outcomes(report, "service") == (1, 0, 0, 0)
        assert outcomes(report, "location") == (1, 0, 0, 0)


@pytest.mark.django_db
class TestValidationFixture:
    """tests/directory/fixtures/import/northside: file names that only
    datapackage.json explains, and a bad value of every kind."""

    def test_finds_tables_through_datapackage_json_and_cleans_values(self):
        report = import_package(FIXTURES / "northside")

        assert outcomes(report, "organization") == (3, 0, 0, 0)  # o1, o2, placeholder
        assert outcomes(report, "service") == (3, 0, 0, 1)
        assert "1 repeated rows in services collapsed into one." in report.notes
        assert outcomes(report, "location") == (3, 0, 0, 0)
        assert outcomes(report, "phone") == (3, 0, 0, 1)
        assert outcomes(report, "schedule") == (3, 0, 0, 1)
        assert outcomes(report, "taxonomy_term") == (2, 0, 0, 0)
        assert [str(i) for i in report.skipped] == [
            "svc-2024.csv row 6: service has no name",
            "links.csv row 5: refers to service s9, which is not in the package",
            "numbers.csv row 3: “no phone” is not a phone number",
            "opening.csv row 3: bad time: “25:99–17:00” is not a time range.",
            "langs.csv row 4: unknown language “Klingon”",
            "svc-categories.csv row 3: unknown category t404",
        ]

        food_bank = OrganizationPage.objects.get(title="Northside Food Bank")
        assert (food_bank.website, food_bank.email, food_bank.year_incorporated) == ("", "", 2001)
        pantry = ServicePage.objects.get(title="Food pantry")
        assert (pantry.website, pantry.email) == ("", "")
        assert (pantry.minimum_age, pantry.maximum_age) == (None, None)
        assert pantry.status == "temporarily closed"
        assert sorted(lang.code for lang in pantry.languages.all()) == ["es"]
        term = pantry.categories.get(taxonomy__name="Northside categories")
        assert (term.name, term.parent.name, term.taxonomy.name) == (
            "Food pantry",
            "Food",
            "Northside categories",
        )
        # The crosswalk also files it under Steward's own browse category (issue 10).
        browse = pantry.categories.exclude(pk=term.pk).get()
        assert browse.name == "Food" and browse.taxonomy.name != "Northside categories"
        assert pantry.phones.get().extension == "4"
        assert ServicePage.objects.get(title="Legal clinic").status == "inactive"
        assert SourceRecord.objects.get(kind="service", source_id="s1").assured_date.year == 2024

        site = Location.objects.get(name="Northside pantry")
        assert site.coordinates_approximate
        assert (round(site.latitude, 1), round(site.longitude, 1)) == (41.9, -87.6)
        assert site.timezone == "America/Chicago"
        # Monday as given, Saturday from the free-text description; Wednesday blank.
        assert sorted((h.weekday, str(h.opens_at)) for h in site.hours.all()) == [
            (1, "09:00:00"),
            (6, "10:00:00"),
        ]
        clinic = Location.objects.get(name="Clinic office")
        assert (clinic.coordinates_approximate, clinic.timezone) == (False, "America/Los_Angeles")
        assert report.approximate_coordinates == 1

        placeholder = OrganizationPage.objects.get(needs_details=True)
        assert placeholder.title == "Unknown organization (northside)"
        assert ServicePage.objects.get(title="Orphan service").get_parent().pk == placeholder.pk
        assert Location.objects.get(name="Orphan office").organization_id == placeholder.pk

    def test_a_service_moves_out_of_the_placeholder_when_its_organization_arrives(self, tmp_path):
        package = _copy(FIXTURES / "northside", tmp_path / "northside")
        import_package(package)
        orphan = ServicePage.objects.get(title="Orphan service")
        with (package / "orgs-2024.csv").open("a", encoding="utf-8") as f:
            f.write("o9,Late Arrivals,,Now in the file.,,,\n")
        report = import_package(package)

        # The placeholder, now empty, is left for a moderator to remove.
        assert outcomes(report, "organization") == (1, 0, 2, 0)
        assert outcomes(report, "service") == (0, 1, 2, 1)
        moved = ServicePage.objects.get(pk=orphan.pk)
        assert moved.get_parent().title == "Late Arrivals"
        assert moved.uuid == orphan.uuid
        assert Location.objects.get(name="Orphan office").organization.title == "Late Arrivals"

    def test_a_second_source_gets_its_own_placeholder(self):
        import_package(FIXTURES / "northside")
        import_package(FIXTURES / "northside", source="northside-2")
        assert OrganizationPage.objects.filter(needs_details=True).count() == 2


@pytest.mark.django_db
class TestAtomicity:
    def test_a_failing_organization_leaves_nothing_while_the_others_land(self, shared, monkeypatch):
        original = writer.Writer._write_service

        def failing(self, spec, org_pk, group):
            if spec["fields"]["title"] == "Example Service Name":
                raise RuntimeError("disk full")
            return original(self, spec, org_pk, group)

        monkeypatch.setattr(writer.Writer, "_write_service", failing)
        report = import_package(shared / "data" / "ohana-sample")

        # Example Agency (org 8), its location 22 and its services 22 and 23 were
        # written before the failure in 23; all of it was rolled back.
        assert not OrganizationPage.objects.filter(title="Example Agency").exists()
        assert not Location.objects.filter(name="Example Location").exists()
        assert not ServicePage.objects.filter(title="Passport Photos").exists()
        assert not SourceRecord.objects.filter(kind="location", source_id="22").exists()
        assert OrganizationPage.objects.count() == 7
        assert ServicePage.objects.count() == 21
        assert Location.objects.count() == 21
        assert report.failed_organizations == [("Example Agency", "disk full")]
        assert outcomes(report, "service") == (21, 0, 0, 2)
        assert all("disk full" in i.reason for i in report.skipped if i.kind == "service")

        monkeypatch.setattr(writer.Writer, "_write_service", original)
        again = import_package(shared / "data" / "ohana-sample")
        assert outcomes(again, "organization") == (1, 0, 7, 0)
        assert outcomes(again, "service") == (2, 0, 21, 0)


@pytest.mark.django_db
class TestCommand:
    def test_prints_a_summary_without_a_progress_bar_when_not_a_terminal(self):
        out = StringIO()
        call_command("import_hsds", str(FIXTURES / "northside"), "--source", "ns", stdout=out)
        text = out.getvalue()
        assert "as source “ns”" in text
        assert re.search(r"\n  service +3 created, 0 updated, 0 unchanged, 1 skipped\n", text)
        assert re.search(r"\n  language +0 created, 0 updated, 0 unchanged, 1 skipped\n", text)
        assert "numbers.csv row 3: “no phone” is not a phone number" in text
        assert "it/s" not in text
        assert SourceRecord.objects.filter(source="ns").exists()

    def test_a_missing_path_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="No such file or folder"):
            call_command("import_hsds", str(tmp_path / "nope"), stdout=StringIO())

    def test_a_folder_without_tables_is_a_clear_error(self, tmp_path):
        (tmp_path / "notes.txt").write_text("hello")
        with pytest.raises(CommandError, match="No HSDS tables found"):
            call_command("import_hsds", str(tmp_path), stdout=StringIO())

    def test_broken_json_and_zip_are_clear_errors(self, tmp_path):
        (tmp_path / "bad.json").write_text("{not json")
        with pytest.raises(CommandError, match="not valid JSON"):
            call_command("import_hsds", str(tmp_path / "bad.json"), stdout=StringIO())
        (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
        with pytest.raises(CommandError):
            call_command("import_hsds", str(tmp_path / "bad.zip"), stdout=StringIO())

    def test_fails_only_when_nothing_could_be_imported(self, tmp_path):
        (tmp_path / "services.csv").write_text("id,name\n,\n1,\n")
        out = StringIO()
        with pytest.raises(CommandError, match="Nothing could be imported"):
            call_command("import_hsds", str(tmp_path), stdout=out)
        assert "services.csv row 2: blank row (no id and no name)" in out.getvalue()
        assert "services.csv row 3: service has no name" in out.getvalue()


@pytest.mark.django_db
def test_values_of_the_wrong_type_are_reported_never_raised():
    """odd-values.json: numbers for names, a string for a list, a monthly rule,
    null ids, a javascript: URL, ages "ten" and -3."""
    report = import_package(FIXTURES / "odd-values.json")

    assert outcomes(report, "service") == (1, 0, 0, 1)
    assert outcomes(report, "location") == (1, 0, 0, 1)
    # "Mon-Fri 9-5" in a schedule's description gives five rows.
    assert outcomes(report, "schedule") == (5, 0, 0, 2)
    service = ServicePage.objects.get()
    assert (service.title, service.website, service.minimum_age, service.status) == (
        "7",
        "",
        None,
        "active",
    )
    hall = Location.objects.get()
    assert (hall.coordinates_approximate, hall.postal_code, hall.country) == (True, "60601", "US")
    assert len(report.warnings) == 8


@pytest.mark.django_db
def test_an_hsds2_taxonomy_of_open_eligibility_codes_lands_on_the_shipped_tree(tmp_path):
    (tmp_path / "organizations.csv").write_text("id,name\no1,Pantry Org\n")
    (tmp_path / "services.csv").write_text("id,organization_id,name\ns1,o1,Pantry\n")
    (tmp_path / "taxonomy.csv").write_text(
        "id,name,parent_id,parent_name,vocabulary\n"
        "102,Food,,,Open Eligibility\n"
        "102-04,Food Pantry,102,Food,Open Eligibility\n"
    )
    (tmp_path / "services_taxonomy.csv").write_text("id,service_id,taxonomy_id\n,s1,102-04\n")
    terms = TaxonomyTerm.objects.count()

    report = import_package(tmp_path)

    assert outcomes(report, "taxonomy_term") == (0, 0, 2, 0)
    assert TaxonomyTerm.objects.count() == terms
    category = ServicePage.objects.get(title="Pantry").categories.get()
    assert (category.code, category.taxonomy.name) == ("102-04", "Open Eligibility")
