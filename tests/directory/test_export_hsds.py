"""`manage.py export_hsds OUT`: HSDS 3.0 as a CSV datapackage, JSON and NDJSON.

Every exported object is checked here with jsonschema against the compiled HSDS
3.0 schema files themselves (read by the test, not through the code under test);
the round trip imports the export into an emptied database and compares values.
"""

import csv
import io
import json
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from directory.models import Location, OrganizationPage, ServicePage, SourceRecord

SHARED = Path(__file__).parents[2].parent / "shared"
COMPILED = SHARED / "hsds-3.0" / "schema" / "compiled"
ILAO = SHARED / "data" / "ilao-legal-aid"

pytestmark = pytest.mark.django_db


def schema_check(kind):
    schema = json.loads((COMPILED / f"{kind}.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def export(out, *args):
    stdout = io.StringIO()
    call_command("export_hsds", str(out), *args, stdout=stdout)
    return stdout.getvalue()


def assert_all_valid(services):
    check = schema_check("service")
    org_check = schema_check("organization")
    assert services
    for service in services:
        errors = [e.message for e in check.iter_errors(service)]
        assert not errors, (service["id"], errors[:3])
        org = dict(service["organization"])
        assert not list(org_check.iter_errors(org)), org["id"]


def assert_confidential_hidden(text):
    hidden = Location.objects.filter(address_is_public=False)
    for place in hidden:
        for value in (place.address_1, place.postal_code):
            if value:
                assert value not in text, f"{place.name}: {value} leaked"
        if place.latitude is not None:
            assert repr(place.latitude) not in text


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_exports_in_every_format_and_every_object_is_valid_hsds(tmp_path):
    seed()
    listed = set(ServicePage.objects.listed().values_list("uuid", flat=True))
    assert Location.objects.filter(address_is_public=False).exists()

    export(tmp_path / "all.json", "--format", "json")
    text = (tmp_path / "all.json").read_text()
    services = json.loads(text)
    assert {s["id"] for s in services} == {str(u) for u in listed}
    assert_all_valid(services)
    assert_confidential_hidden(text)

    export(tmp_path / "all.ndjson", "--format", "ndjson")
    lines = (tmp_path / "all.ndjson").read_text().splitlines()
    assert [json.loads(line) for line in lines] == services

    export(tmp_path / "pkg")
    package = json.loads((tmp_path / "pkg" / "datapackage.json").read_text())
    assert package["profile"] == "tabular-data-package"
    for resource in package["resources"]:
        with (tmp_path / "pkg" / resource["path"]).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    with (tmp_path / "pkg" / "services.csv").open(encoding="utf-8") as handle:
        assert {row["id"] for row in csv.DictReader(handle)} == {str(u) for u in listed}
    for path in (tmp_path / "pkg").iterdir():
        assert_confidential_hidden(path.read_text(encoding="utf-8"))
    # Steward's verification dates and field-level provenance travel in metadata.
    assert any(s["metadata"] for s in services)
    with (tmp_path / "pkg" / "metadata.csv").open(encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) >= sum(len(s["metadata"]) for s in services)

    # The serializer the API uses: organizations with full services, the other kinds.
    from directory.hsds import serialize
    from directory.models import ServiceAtLocation, TaxonomyTerm

    for org in OrganizationPage.objects.live():
        for full in (True, False):
            data = serialize.organization(org, full_service=full)
            assert not list(schema_check("organization").iter_errors(data)), org.title
            assert {s["id"] for s in data["services"]} <= {str(u) for u in listed}
    for link in ServiceAtLocation.objects.filter(service__uuid__in=listed):
        data = serialize.service_at_location(link)
        assert not list(schema_check("service_at_location").iter_errors(data))
        if not link.location.address_is_public:
            assert "latitude" not in data["location"] and not data["location"]["addresses"]
    term = TaxonomyTerm.objects.exclude(parent=None).first()
    assert serialize.validate("taxonomy_term", serialize.taxonomy_term(term)) == []
    assert serialize.validate("service", {"id": "x"})  # the validator does find errors


def test_an_unlisted_service_is_not_exported(tmp_path):
    seed()
    gone = ServicePage.objects.listed().first()
    gone.unpublish()
    export(tmp_path / "all.json", "--format", "json")
    ids = {s["id"] for s in json.loads((tmp_path / "all.json").read_text())}
    assert str(gone.uuid) not in ids
    assert ids


def test_an_invalid_object_stops_the_export_and_nothing_is_left(tmp_path):
    seed()
    bad = ServicePage.objects.listed().order_by("pk").last()
    ServicePage.objects.filter(pk=bad.pk).update(status="closed-ish")
    folder = tmp_path / "out"
    folder.mkdir()
    for args in (["--format", "json"], ["--format", "ndjson"], []):
        target = folder / ("pkg" if not args else f"all.{args[1]}")
        with pytest.raises(CommandError) as caught:
            export(target, *args)
        assert str(bad.uuid) in str(caught.value)
        assert "status" in str(caught.value)
        assert list(folder.iterdir()) == []


def test_the_ilao_import_exports_as_valid_hsds(tmp_path, home):
    call_command("import_hsds", str(ILAO), stdout=io.StringIO())
    export(tmp_path / "ilao.json", "--format", "json")
    services = json.loads((tmp_path / "ilao.json").read_text())
    assert len(services) == ServicePage.objects.listed().count()
    assert_all_valid(services)
    assert_confidential_hidden((tmp_path / "ilao.json").read_text())


# --- round trip ---------------------------------------------------------------------


def snapshot():
    """What the export must carry, by UUID, for every listed service."""
    found = {}
    services = ServicePage.objects.listed().prefetch_related(
        "phones", "hours", "languages", "categories", "service_at_locations__location"
    )
    for s in services:
        org = s.get_parent().specific
        links = list(s.service_at_locations.all())
        found[str(s.uuid)] = {
            "fields": {
                name: getattr(s, name)
                for name in (
                    "title",
                    "alternate_name",
                    "description",
                    "status",
                    "website",
                    "email",
                    "eligibility_description",
                    "minimum_age",
                    "maximum_age",
                    "application_process",
                    "required_documents",
                    "fees_description",
                    "wait_time",
                    "interpretation_services",
                    "service_area",
                    "caution",
                    "alert",
                    "alert_expires",
                )
            },
            "urls": [(u.label, u.url, str(u.uuid)) for u in s.additional_urls.all()],
            "organization": (
                str(org.uuid),
                org.title,
                org.description,
                org.website,
                org.email,
                org.legal_status,
                org.year_incorporated,
            ),
            "phones": sorted(
                (p.number, p.extension, p.type, p.description, p.location_id is not None)
                for p in s.phones.all()
            ),
            "schedules": sorted(  # key=repr: dates and weekdays may be None
                [
                    (
                        h.weekday,
                        h.opens_at,
                        h.closes_at,
                        h.valid_from,
                        h.valid_to,
                        h.rule,
                        h.closed,
                        h.location_id is not None,
                    )
                    for h in s.hours.all()
                    if not h.closed or h.valid_from
                ],
                key=repr,
            ),
            "languages": sorted(lang.code for lang in s.languages.all()),
            "categories": sorted(str(t.uuid) for t in s.categories.all()),
            "locations": sorted(location_values(link.location) for link in links),
        }
    return found


def location_values(place):
    """A location as the export promises it: a confidential one by its name only
    (no address, no coordinates; HSDS 3.0 has no field for the flag itself)."""
    public = place.address_is_public and not place.possible_confidential
    address = (
        (place.address_1, place.city, place.state_province, place.postal_code)
        if public
        else ("", "", "", "")
    )
    exact = public and not place.coordinates_approximate
    return (
        str(place.uuid),
        place.name,
        place.address_is_public,
        place.possible_confidential,
        *address,
        place.latitude if exact else None,
        place.longitude if exact else None,
        sorted((p.number, p.extension, p.type) for p in place.phones.all()),
        sorted(
            [
                (h.weekday, h.opens_at, h.closes_at, h.valid_from, h.valid_to, h.closed)
                for h in place.hours.all()
                if not h.closed or h.valid_from
            ],
            key=repr,
        ),
    )


def empty_the_directory():
    for service in ServicePage.objects.all():
        service.delete()
    Location.objects.all().delete()
    for organization in OrganizationPage.objects.all():
        organization.delete()
    SourceRecord.objects.all().delete()
    assert not ServicePage.objects.exists()


def add_what_hsds_has_no_field_for():
    """Steward's facts the round trip must keep: a caution, an alert with its last
    day, dated closures and special hours, confidential places, other web addresses."""
    import datetime as dt

    from directory.models import LocationSchedule, ServiceSchedule, ServiceURL

    today = dt.date.today()
    services = list(ServicePage.objects.listed().order_by("pk"))
    first, second = services[0], services[1]
    ServicePage.objects.filter(pk=first.pk).update(
        caution="Active, but do not refer",
        alert="Closed on Monday for training.",
        alert_expires=today + dt.timedelta(days=30),
    )
    ServicePage.objects.filter(pk=second.pk).update(caution="Call before sending anyone")
    ServiceSchedule.objects.create(
        service=first, valid_from=today, valid_to=today + dt.timedelta(days=2), closed=True
    )
    ServiceSchedule.objects.create(
        service=first,
        valid_from=today + dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=10),
        opens_at="10:00",
        closes_at="14:00",
    )
    ServiceURL.objects.create(service=first, label="Apply online", url="https://apply.example.org/")
    ServiceURL.objects.create(service=first, url="https://example.org/es/", sort_order=1)
    linked = Location.objects.filter(service_links__service__in=services).distinct()
    hidden = linked.filter(address_is_public=False).first()
    assert hidden is not None  # the demo has a confidential place in use
    maybe = linked.filter(address_is_public=True).order_by("pk").last()
    Location.objects.filter(pk=maybe.pk).update(possible_confidential=True)
    LocationSchedule.objects.create(
        location=hidden,
        valid_from=today + dt.timedelta(days=5),
        valid_to=today + dt.timedelta(days=5),
        closed=True,
    )
    return first, hidden, maybe


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_into_an_empty_database_gives_back_the_same_listings(tmp_path, fmt):
    seed()
    first, hidden, maybe = add_what_hsds_has_no_field_for()
    before = snapshot()
    facts = before[str(first.uuid)]
    assert facts["fields"]["caution"] and facts["fields"]["alert_expires"]
    assert len(facts["urls"]) == 2
    assert any(h[7] for h in facts["schedules"]) and any(h[3] for h in facts["schedules"])
    assert before
    target = tmp_path / ("pkg" if fmt == "csv" else "all.json")
    export(target, "--format", fmt)
    empty_the_directory()
    call_command("import_hsds", str(target), stdout=io.StringIO())
    after = snapshot()
    assert after.keys() == before.keys()
    for key, value in before.items():
        assert after[key] == value, key
    # The confidential places came back confidential, and the export never held
    # their addresses or coordinates.
    assert Location.objects.get(uuid=hidden.uuid).address_is_public is False
    assert Location.objects.get(uuid=maybe.uuid).possible_confidential is True
    for path in [target] if target.is_file() else list(target.iterdir()):
        text = path.read_text(encoding="utf-8")
        for place in (hidden, maybe):
            for value in (place.address_1, place.postal_code):
                assert not value or value not in text, (place.name, value)
    # Steward's facts are not imported as categories.
    from directory.hsds import facts as steward_facts
    from directory.models import Taxonomy

    assert not Taxonomy.objects.filter(uuid=steward_facts.TAXONOMY_ID).exists()


# --- a fixed number of queries ----------------------------------------------------------


def export_queries(tmp_path, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        export(tmp_path / name, "--format", "json")
    return len(queries)


def test_the_export_costs_the_same_queries_however_much_a_page_of_services_holds(tmp_path):
    from django.contrib.auth import get_user_model

    from directory.models import Language, ServicePhone, ServiceSchedule, TaxonomyTerm

    seed()
    editor = get_user_model().objects.get(username="orgadmin")

    def copy(service, n):
        service.copy(
            to=service.get_parent(),
            user=editor,
            update_attrs={"title": f"{service.title} (copy)", "slug": f"copy-{n}"},
            keep_live=True,
        )

    services = list(ServicePage.objects.listed())
    copy(services[0], 0)  # one listing the freshness store has not seen yet, in both runs
    few = export_queries(tmp_path, "few.json")
    spanish, _ = Language.objects.get_or_create(code="es", defaults={"name": "Spanish"})
    terms = list(TaxonomyTerm.objects.all()[:3])
    for n, service in enumerate(services):
        for k in range(3):
            ServicePhone.objects.create(service=service, number=f"312555{n:02d}{k:02d}")
            ServiceSchedule.objects.create(
                service=service, weekday=k + 1, opens_at="09:00", closes_at="17:00"
            )
        service.languages.add(spanish)
        service.categories.add(*terms)
    for n, service in enumerate(services[1:5], start=1):
        copy(service, n)
    assert ServicePage.objects.listed().count() == len(services) + 5
    many = export_queries(tmp_path, "many.json")
    assert many == few


def test_a_verification_here_is_the_exported_assured_date_and_a_metadata_record(tmp_path):
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from review.trust.actions import verify_service

    seed()
    service = ServicePage.objects.listed().order_by("pk").first()
    when = timezone.now() - dt.timedelta(days=3)
    user = get_user_model().objects.get(username="professional")
    verify_service(service=service, user=user, now=when)
    export(tmp_path / "all.json", "--format", "json")
    exported = next(
        s for s in json.loads((tmp_path / "all.json").read_text()) if s["id"] == str(service.uuid)
    )
    assert exported["assured_date"] == when.date().isoformat()
    verify = [m for m in exported["metadata"] if m["last_action_type"] == "verify"]
    assert verify and verify[0]["last_action_date"] == when.date().isoformat()
    text = json.dumps(exported)
    assert user.email not in text
    assert f'"{user.username}"' not in text
    assert exported["last_modified"].startswith(str(service.last_published_at.date()))


def test_an_out_path_that_cannot_be_written_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        export(tmp_path / "nowhere" / "all.json", "--format", "json")
    (tmp_path / "a-file").write_text("keep me")
    with pytest.raises(CommandError, match="needs a folder"):
        export(tmp_path / "a-file")
    assert (tmp_path / "a-file").read_text() == "keep me"
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(CommandError, match="writes one file"):
        export(tmp_path / "a-folder", "--format", "ndjson")
