"""import_hsds on the other formats 211s and agencies have (issue 10, part B):
iCarol's CSV resources export, AIRS XML 3.0 (iCarol's XML export) and the Ohana
API's JSON, each recognised by its content. Counts are exact and derived from
the samples in ../shared/data (see the comments); variants of the samples are
written to tmp_path to exercise what the samples lack (sites, "do not refer",
separators, confidential flags)."""

import csv
import datetime as dt
import json
import re
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import timezone

from wagtail.models import Page, Revision

import pytest

from directory.hsds.formats import icarol
from directory.hsds.readers import read_package
from directory.models import (
    Location,
    OrganizationPage,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    SourceRecord,
)
from directory.models.pages import ServiceStatus

pytestmark = pytest.mark.django_db
OHANA_JSON = Path(__file__).parent / "fixtures" / "ohana-json"


@pytest.fixture(scope="session")
def shared():
    path = Path(__file__).parents[2].parent / "shared" / "data"
    if not path.is_dir():
        pytest.skip(f"the shared data folder {path} is absent")
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_hsds", str(path), *args, stdout=out)
    return out.getvalue()


def icarol_rows(shared):
    with open(shared / "icarol-sample" / "resources.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def write_csv(path, fieldnames, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def service(num):
    record = SourceRecord.objects.get(kind="service", source_id=str(num))
    return ServicePage.objects.get(uuid=record.object_uuid)


def organization(num):
    record = SourceRecord.objects.get(kind="organization", source_id=str(num))
    return OrganizationPage.objects.get(uuid=record.object_uuid)


# --- iCarol CSV ------------------------------------------------------------------


class TestICarol:
    def test_the_sample_lands_whole(self, home, shared):
        _, rows = icarol_rows(shared)
        output = run(shared / "icarol-sample")
        # 83 rows: 28 Agency, 55 Program (TaxonomyLevelName).
        assert OrganizationPage.objects.count() == 28
        assert ServicePage.objects.count() == 55
        # 28 agencies with an address, and 11 programs whose address is not
        # their agency's get a place of their own.
        assert Location.objects.count() == 39
        assert ServiceAtLocation.objects.count() == 55
        assert "organization   28 created" in output
        assert "service        55 created" in output
        # AgencyStatus Inactive (9 rows: 2 agencies, 7 programs; the 3 with
        # ExcludeFromWebsite Yes are among them) are not listed, nor are the
        # programs of unlisted agencies (all inactive themselves here).
        hidden = {
            r["ResourceAgencyNum"]
            for r in rows
            if r["AgencyStatus"].strip() == "Inactive" or r["ExcludeFromWebsite"] == "Yes"
        }
        assert len(hidden) == 9
        live = set(ServicePage.objects.live().values_list("uuid", flat=True)) | set(
            OrganizationPage.objects.live().values_list("uuid", flat=True)
        )
        not_listed = {
            r.source_id
            for r in SourceRecord.objects.filter(kind__in=("organization", "service"))
            if r.object_uuid not in live
        }
        programs_of_hidden_agencies = {
            r["ResourceAgencyNum"] for r in rows if r["ParentAgencyNum"] in hidden
        }
        assert not_listed == hidden | programs_of_hidden_agencies
        assert ServicePage.objects.live().count() == 48
        assert OrganizationPage.objects.live().count() == 26

    def test_inactive_records_are_retired_with_their_history(self, client, home, shared):
        _, rows = icarol_rows(shared)
        run(shared / "icarol-sample")
        inactive = [
            r
            for r in rows
            if r["AgencyStatus"].strip() == "Inactive" and r["TaxonomyLevelName"] == "Program"
        ]
        assert len(inactive) == 7
        for row in inactive:
            page = service(row["ResourceAgencyNum"])
            assert page.status == ServiceStatus.DEFUNCT
            assert not page.live
            assert Revision.objects.for_instance(page).exists()
            assert client.get(page.url_path.replace(home.url_path, "/", 1)).status_code == 404
        # Search never lists them.
        name = inactive[0]["PublicName"].strip()
        response = client.get("/search/", {"q": name})
        assert response.status_code == 200
        assert service(inactive[0]["ResourceAgencyNum"]).url_path not in response.text

    def test_named_and_typed_phones(self, home, shared):
        _, rows = icarol_rows(shared)
        run(shared / "icarol-sample")
        by_row = {r["ResourceAgencyNum"]: r for r in rows}
        tty = next(
            r
            for r in rows
            if r["TaxonomyLevelName"] == "Program" and "TTY" in r["Phone5Description"]
        )
        phones = {p.description: p for p in service(tty["ResourceAgencyNum"]).phones.all()}
        assert phones[tty["Phone5Description"].strip()].type == "textphone"
        assert phones[tty["Phone1Name"].strip()].type == "voice"
        fax = next(r for r in rows if r["TaxonomyLevelName"] == "Program" and r["PhoneFax"].strip())
        phones = {p.type: p for p in service(fax["ResourceAgencyNum"]).phones.all()}
        assert phones["fax"].description == ""  # "Fax" would only repeat the type
        # The sample's one toll-free number is an agency's: on the agency's place.
        toll = next(r for r in rows if r["PhoneTollFree"].strip())
        assert by_row[toll["ResourceAgencyNum"]]["TaxonomyLevelName"] == "Agency"
        record = SourceRecord.objects.get(
            kind="location", source_id=f"agency-{toll['ResourceAgencyNum']}"
        )
        place = Location.objects.get(uuid=record.object_uuid)
        phones = {p.description: p for p in place.phones.all()}
        assert phones["Toll-free"].number.replace("-", "").endswith("4748483")
        # Every phone a program names keeps its name.
        checked = 0
        for row in rows:
            if row["TaxonomyLevelName"] != "Program":
                continue
            have = {p.description for p in service(row["ResourceAgencyNum"]).phones.all()}
            for n in range(1, 4):
                name = row[f"Phone{n}Name"].strip()
                if name and row[f"Phone{n}Number"].strip() not in ("", "-1", "311"):
                    assert name in have, (row["ResourceAgencyNum"], name)
                    checked += 1
        assert checked == 67  # named Phone1-3 numbers on the 55 programs

    def test_languages_coverage_and_dates(self, home, shared):
        _, rows = icarol_rows(shared)
        run(shared / "icarol-sample")
        row = next(r for r in rows if r["LanguagesOffered"] == "English, Spanish, Portuguese")
        page = service(row["ResourceAgencyNum"])
        assert {lang.name for lang in page.languages.all()} == {"English", "Spanish", "Portuguese"}
        covered = next(
            r
            for r in rows
            if r["TaxonomyLevelName"] == "Program" and r["CoverageArea"] == "District of Columbia"
        )
        assert service(covered["ResourceAgencyNum"]).service_area == "District of Columbia"
        # LastVerifiedOn is the 211's own verification date: the listing's assured date.
        verified = next(r for r in rows if r["TaxonomyLevelName"] == "Program")
        record = SourceRecord.objects.get(kind="service", source_id=verified["ResourceAgencyNum"])
        month, day, year = verified["LastVerifiedOn"].split()[0].split("/")
        assert record.assured_date == dt.date(2000 + int(year), int(month), int(day))

    def test_semicolon_separated_languages_and_renamed_file(self, home, shared, tmp_path):
        fields, rows = icarol_rows(shared)
        row = next(r for r in rows if r["LanguagesOffered"] == "English, Spanish, Portuguese")
        row["LanguagesOffered"] = "English; Spanish; Portuguese"
        # Named like an HSDS table: the content decides, not the name.
        path = write_csv(tmp_path / "services.csv", fields, rows)
        run(path)
        page = service(row["ResourceAgencyNum"])
        assert {lang.name for lang in page.languages.all()} == {"English", "Spanish", "Portuguese"}
        assert read_package(path).format == "iCarol CSV resources export"

    def test_columns_are_read_by_name(self, home, shared, tmp_path):
        fields, rows = icarol_rows(shared)
        # Another 211's export: columns in another order, some missing, some added.
        dropped = {"Coverage", "Phone4Number", "Phone4Name", "SearchHints", "Hours"}
        new = ["AddressIsPrivate", "LanguagesOfferedList", *reversed(fields)]
        new = [c for c in new if c not in dropped]
        path = write_csv(tmp_path / "other-211.csv", new, rows)
        run(path)
        assert ServicePage.objects.count() == 55
        assert OrganizationPage.objects.count() == 28

    def test_sites_do_not_refer_and_alerts(self, client, home, shared, tmp_path):
        fields, rows = icarol_rows(shared)
        sample_messages = [
            (r["ResourceAgencyNum"], r["TemporaryMessage"].strip())
            for r in rows
            if r["TemporaryMessage"].strip() and r["TaxonomyLevelName"] == "Program"
        ]
        assert len(sample_messages) == 2
        agency = next(
            r for r in rows if r["TaxonomyLevelName"] == "Agency" and r["AgencyStatus"] == "Active"
        )
        programs = [
            r
            for r in rows
            if r["ParentAgencyNum"] == agency["ResourceAgencyNum"] and r["AgencyStatus"] == "Active"
        ]
        site = dict(agency)
        site.update(
            ResourceAgencyNum="999001",
            TaxonomyLevelName="Site",
            ParentAgencyNum=agency["ResourceAgencyNum"],
            PublicName="Annex on 14th Street",
            PhysicalAddress1="1400 14th Street NW",
        )
        first = programs[0]
        first["ConnectsToSiteNum"] = "999001"
        first["AgencyStatus"] = "Active, but do not refer"
        today = timezone.localdate()
        first["TemporaryMessage"] = "Moving to the annex this month."
        first["TemporaryMessageExpires"] = f"{today.month}/{today.day}/{today:%y} 0:00"
        others = [r for r in rows if r["TaxonomyLevelName"] == "Program" and r is not first]
        gone = next(
            r
            for r in others
            if r["AgencyStatus"] == "Active" and r["ParentAgencyNum"] not in ("", "0")
        )
        yesterday = today - dt.timedelta(days=1)
        gone["TemporaryMessage"] = "Closed for the holiday."
        gone["TemporaryMessageExpires"] = f"{yesterday:%m/%d/%y} 0:00"
        path = write_csv(tmp_path / "resources.csv", fields, [*rows, site])
        run(path)

        page = service(first["ResourceAgencyNum"])
        assert [link.location.name for link in page.service_at_locations.all()] == [
            "Annex on 14th Street"
        ]
        body = client.get(page.url).content.decode()
        assert "Caution:" in body and "do not refer" in body
        assert "Moving to the annex this month." in body  # shown on its last day
        assert page.alert_expires == today
        expired = service(gone["ResourceAgencyNum"])
        assert expired.alert == "Closed for the holiday."
        body = client.get(expired.url).content.decode()
        assert "Closed for the holiday." not in body  # not after its own date
        # The sample's own messages all expired years ago: none is shown.
        for num, message in sample_messages:
            listing = service(num)
            assert listing.alert and listing.alert_expires < today
            if listing.live:
                assert message[:40] not in client.get(listing.url).content.decode()

    def test_a_program_made_inactive_later_is_retired_not_lost(
        self, client, home, shared, tmp_path
    ):
        fields, rows = icarol_rows(shared)
        path = write_csv(tmp_path / "resources.csv", fields, rows)
        run(path, "--source", "dc211")
        row = next(
            r
            for r in rows
            if r["TaxonomyLevelName"] == "Program"
            and r["AgencyStatus"] == "Active"
            and r["ExcludeFromWebsite"] == "No"
        )
        page = service(row["ResourceAgencyNum"])
        assert page.live and client.get(page.url).status_code == 200
        url, revisions = page.url, Revision.objects.for_instance(page).count()
        row["AgencyStatus"] = "Inactive"
        write_csv(path, fields, rows)
        output = run(path, "--source", "dc211")
        assert "service        0 created, 1 updated, 54 unchanged" in output
        page = service(row["ResourceAgencyNum"])
        assert not page.live and page.status == ServiceStatus.DEFUNCT
        assert Revision.objects.for_instance(page).count() == revisions + 1
        assert client.get(url).status_code == 404

    def test_exclude_from_directory_is_honoured(self, home, shared, tmp_path):
        fields, rows = icarol_rows(shared)
        agency = next(
            r for r in rows if r["TaxonomyLevelName"] == "Agency" and r["AgencyStatus"] == "Active"
        )
        agency["ExcludeFromDirectory"] = "Yes"
        programs = [
            r["ResourceAgencyNum"]
            for r in rows
            if r["ParentAgencyNum"] == agency["ResourceAgencyNum"]
        ]
        assert programs
        run(write_csv(tmp_path / "resources.csv", fields, rows))
        assert not organization(agency["ResourceAgencyNum"]).live
        assert not any(service(num).live for num in programs)

    def test_reimport_changes_nothing(self, home, shared):
        run(shared / "icarol-sample")
        revisions = Revision.objects.count()
        output = run(shared / "icarol-sample")
        assert Revision.objects.count() == revisions
        assert "service        0 created, 0 updated, 55 unchanged" in output


# --- private 211 data ----------------------------------------------------------------


def private_values(shared):
    fields, rows = icarol_rows(shared)
    found = set()
    for row in rows:
        for column in icarol.PRIVATE_COLUMNS:
            value = (row.get(column) or "").strip()
            if len(value) > 3 and value != "-1":
                found.add(value)
    # The BC 211 XML's staff contacts (ResourceInfo/Contact).
    found |= {"Karla Fortin", "kfortin@langleycdc.com", "Facet string for BC211"}
    return found


def test_private_211_data_is_never_published_or_exported(client, home, shared, tmp_path):
    secrets = private_values(shared)
    assert {"Verifier Name", "verifier@example.org", "Staff Name"} <= secrets
    assert any(s.startswith("Internal note for 211 staff only") for s in secrets)
    run(shared / "icarol-sample")
    run(shared / "airs-xml-bc211" / "BC211_data_one_agency.xml")

    pages = [p.specific for p in Page.objects.live().type(ServicePage, OrganizationPage)]
    assert len(pages) == 48 + 26 + 2
    bodies = []
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        bodies.append(response.content.decode())
        history = client.get(f"/history/{page.pk}/")
        assert history.status_code == 200
        bodies.append(history.content.decode())
    for q in ("verifier", "staff", "internal note", "Karla", "example.org", "Fortin"):
        bodies.append(client.get("/search/", {"q": q}).content.decode())
    bodies.append(client.get("/").content.decode())
    out = tmp_path / "metadata.json"
    call_command("export_metadata", str(out), stdout=StringIO())
    call_command("export_metadata", str(tmp_path / "metadata.csv"), stdout=StringIO())
    bodies += [out.read_text(), (tmp_path / "metadata.csv").read_text()]
    # Nor anywhere in what the import stored (revisions feed every page and export).
    bodies += [json.dumps(r.content) for r in Revision.objects.all()]
    everything = "\n".join(bodies)
    for secret in secrets:
        assert secret not in everything, secret


# --- AIRS XML ---------------------------------------------------------------------------


class TestAIRS:
    def test_the_excerpt(self, home, shared):
        output = run(shared / "airs-xml-bc211" / "BC211_data_excerpt.xml")
        # 15 <Agency>, 39 <Site>, 39 <SiteService> (one per site).
        assert OrganizationPage.objects.count() == 15
        assert Location.objects.count() == 39
        assert ServicePage.objects.count() == 39
        # SourceEntity="BC 211 RecordOwner = 2252 - Vancouver, BC": the owner number
        # is iCarol's, not a name people know.
        assert "as source “BC 211 (Vancouver, BC)”" in output
        assert "RecordOwner" not in output
        langley = service("9487364")
        assert langley.get_parent().specific == organization("9487364")
        phones = {(p.description, p.type) for p in langley.phones.all()}
        assert phones == {("Main", "voice"), ("", "fax")}  # blank numbers left out
        record = SourceRecord.objects.get(kind="service", source_id="9487364")
        assert record.assured_date == dt.date(2016, 4, 14)  # ResourceInfo@DateLastVerified

    def test_categories_carried_as_bare_codes_get_readable_names(self, home, shared, client):
        # The XML gives each service's taxonomy <Code> without a name.
        run(shared / "airs-xml-bc211" / "BC211_data_excerpt.xml")
        page = next(p for p in ServicePage.objects.live() if p.categories.exists())
        html = client.get(page.url).content.decode()
        section = html[html.index('id="cat-h"') :]
        links = re.findall(r'<a href="/search/\?category=[^"]+">([^<]+)</a>', section)
        assert links
        for text in links:
            # "Education (HD-1800.6500)": a name, the code only in brackets.
            assert not re.fullmatch(r"[A-Z]{1,2}(-[\d.]+)*", text.strip()), text
        assert any(re.search(r"[a-z]{3,} \([A-Z]{1,2}-[\d.-]+\)$", t) for t in links), links

    def test_a_changed_agency_updates_it_and_only_it(self, home, shared):
        run(shared / "airs-xml-bc211" / "BC211_data_excerpt.xml")
        before = Counter(Revision.objects.values_list("object_id", flat=True))
        output = run(
            shared / "airs-xml-bc211" / "BC211_data_excerpt_with_one_changed_organization.xml"
        )
        after = Counter(Revision.objects.values_list("object_id", flat=True))
        changed = {k for k in after if after[k] != before.get(k)}
        assert changed == {str(organization("9487382").pk)}
        assert "organization   0 created, 1 updated, 14 unchanged" in output
        assert organization("9487382").description.startswith("This description has been updated.")

    def test_invalid_agencies_are_reported_and_the_good_ones_imported(self, home, shared):
        path = shared / "airs-xml-bc211" / "BC211_data_with_invalid_agencies.xml"
        output = run(path)
        assert sorted(OrganizationPage.objects.values_list("title", flat=True)) == [
            "Langley Youth and Family Services",
            "Stepping Stone Community Services Society",
        ]
        assert ServicePage.objects.count() == 4
        for line in (
            "BC211_data_with_invalid_agencies.xml row <Agency> 1 (Key INVALID_AGENCY): "
            "agency has no <Name>; not imported",
            "BC211_data_with_invalid_agencies.xml row <Agency> 4 (Key ANOTHER_INVALID_AGENCY): "
            "agency has no <Name>; not imported",
            "service “Mrs O's Swim Group” not imported: its agency is invalid",
        ):
            assert line in output
        assert "organization   2 created, 0 updated, 0 unchanged, 2 skipped" in output

    def test_a_service_at_two_sites(self, home, shared):
        run(shared / "airs-xml-bc211" / "BC211_data_service_53489235_at_two_sites.xml")
        page = service("53489235")
        places = sorted(link.location.name for link in page.service_at_locations.all())
        assert len(places) == 2
        # 26 <SiteService> elements; 53489235 and 9493390 each appear under two
        # sites: 24 services, 26 links.
        assert ServicePage.objects.count() == 24
        assert ServiceAtLocation.objects.count() == 26
        assert Location.objects.count() == 24

    def test_confidential_address_and_phone(self, client, home, shared, tmp_path):
        xml = (shared / "airs-xml-bc211" / "BC211_data_one_agency.xml").read_text(encoding="utf-8")
        site = xml.index("<Site ")
        head, tail = xml[:site], xml[site:]
        tail = tail.replace(
            '<PhysicalAddress Confidential="false">', '<PhysicalAddress Confidential="true">', 1
        )
        tail = re.sub(
            r'Confidential="false">(\s*<PhoneNumber>604-534-1814)', r'Confidential="true">\1', tail
        )
        path = tmp_path / "one.xml"
        path.write_text(head + tail, encoding="utf-8")
        run(path)
        location = Location.objects.get()
        assert not location.address_is_public
        assert location.latitude is None and location.longitude is None
        body = client.get(service("9487364").url).content.decode()
        assert "221A Street" not in body and "49.08" not in body
        # The fax was confidential at the site and the service: never public.
        assert "534-1814" not in body
        assert not ServicePhone.objects.filter(number__contains="534-1814").exists()

    def test_exclude_from_website_is_honoured(self, home, shared, tmp_path):
        xml = (shared / "airs-xml-bc211" / "BC211_data_one_agency.xml").read_text(encoding="utf-8")
        path = tmp_path / "one.xml"
        path.write_text(xml.replace('ExcludeFromWebsite="false"', 'ExcludeFromWebsite="true"', 1))
        run(path)
        assert OrganizationPage.objects.count() == ServicePage.objects.count() == 1
        assert not OrganizationPage.objects.live().exists()
        assert not ServicePage.objects.live().exists()

    def test_the_format_is_recognised_by_content(self, home, shared, tmp_path):
        path = tmp_path / "export.dat"
        shutil.copy(shared / "airs-xml-bc211" / "BC211_data_one_agency.xml", path)
        run(path)
        assert OrganizationPage.objects.count() == 1

    def test_an_xml_bomb_is_refused_and_nothing_written(self, home, tmp_path):
        bomb = (
            '<?xml version="1.0"?><!DOCTYPE Source [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<Source SchemaVersion="3.0"><Agency><Key>1</Key><Name>&b;</Name></Agency></Source>'
        )
        path = tmp_path / "bomb.xml"
        path.write_text(bomb)
        with pytest.raises(CommandError, match="not readable XML"):
            run(path)
        assert not SourceRecord.objects.exists()


# --- Ohana API JSON -----------------------------------------------------------------------


class TestOhanaJSON:
    @pytest.mark.parametrize("name", ["ohana-api.json", "ohana-api.ndjson"])
    def test_array_and_one_object_per_line(self, home, shared, name):
        output = run(OHANA_JSON / name)
        # The fixture is the Ohana CSV sample nested: 8 organizations, 22 locations, 23 services.
        assert OrganizationPage.objects.count() == 8
        assert Location.objects.count() == 22
        assert ServicePage.objects.count() == 23
        with open(shared / "ohana-sample" / "services.csv", encoding="utf-8") as f:
            names = {r["name"].strip() for r in csv.DictReader(f)}
        assert set(ServicePage.objects.values_list("title", flat=True)) <= names | {
            n.title() for n in names
        }
        assert "organization   8 created" in output
        assert read_package(OHANA_JSON / name).format.startswith("Ohana API JSON")

    def test_locations_with_their_organization_inside(self, home, tmp_path):
        data = json.loads((OHANA_JSON / "ohana-api.json").read_text(encoding="utf-8"))
        flat = []
        for org in data:
            for location in org.pop("locations"):
                flat.append({**location, "organization": org})
        path = tmp_path / "locations.json"
        path.write_text(json.dumps(flat))
        run(path)
        assert OrganizationPage.objects.count() == 8
        assert ServicePage.objects.count() == 23


# --- unknown formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content",
    [
        ("notes.xml", "<?xml version='1.0'?><Catalog><Book/></Catalog>"),
        ("people.csv", "first,last\nAda,Lovelace\n"),
        ("readme.txt", "hello"),
    ],
)
def test_an_unknown_format_is_refused_with_the_known_ones(home, tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        run(path)
    message = str(caught.value)
    for known in ("iCarol CSV resources export", "AIRS XML 3.0", "Ohana API JSON", "HSDS"):
        assert known in message
    assert not SourceRecord.objects.exists()
    assert not OrganizationPage.objects.exists()
