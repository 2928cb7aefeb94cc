"""Issue 10, part A: real 211 data imported faithfully. Repeated ids keep their
rows, debris is cleaned (raw kept), hours in words are kept, 211 codes land on the
browse categories, the source's dates drive the badges, bad rows are reported and
an organization lands whole or not at all. Through the import_hsds command and the
public pages, on the samples in ../shared/data."""

import csv
import datetime as dt
import random
import re
import shutil
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from directory.hsds import writer
from directory.models import (
    Location,
    LocationSchedule,
    OrganizationPage,
    ServicePage,
    ServiceSchedule,
    SourceRecord,
)
from directory.selectors import CATEGORY_SHORTCUTS

SHARED = Path(__file__).parents[2].parent / "shared" / "data"
ILAO = SHARED / "ilao-legal-aid"
OHANA = SHARED / "ohana-sample"
ICAROL = SHARED / "icarol-sample" / "resources.csv"


@pytest.fixture(autouse=True)
def _shared():
    if not SHARED.is_dir():
        pytest.skip(f"the shared data folder {SHARED} is absent")


def run(path, *args):
    out = StringIO()
    call_command("import_hsds", str(path), *args, stdout=out)
    return out.getvalue()


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(path, rows, fields=None):
    fields = fields or list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=fields)
        out.writeheader()
        out.writerows(rows)


def ilao_copy(tmp_path, name="ilao"):
    folder = tmp_path / name
    shutil.copytree(ILAO, folder)
    return folder


def service_for(source_id):
    record = SourceRecord.objects.get(kind="service", source_id=source_id)
    return ServicePage.objects.get(uuid=record.object_uuid)


def named_services(folder):
    return [r for r in read(folder / "services.csv") if r["id"] and r["name"].strip()]


# --- 1. repeated ids ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_languages_table_that_reuses_the_service_id_keeps_every_row(home, tmp_path):
    """As ILAO's full export does: each language row's id is its service's id, so a
    service with Spanish and Haitian Creole has two rows with one id."""
    folder = ilao_copy(tmp_path)
    services = named_services(folder)[:60]
    rows = []
    for n, service in enumerate(services):
        rows.append({"id": service["id"], "service_id": service["id"], "language": "Spanish"})
        if n < 40:
            rows.append(
                {"id": service["id"], "service_id": service["id"], "language": "Haitian Creole"}
            )
    write(folder / "languages.csv", rows)

    output = run(folder)

    def speaking(code):
        return ServicePage.objects.filter(languages__code=code).distinct().count()

    assert (speaking("es"), speaking("ht")) == (60, 40)
    assert "40 ids in languages are used by more than one row" in output
    assert output.count("used by more than one row") == 1
    # Idempotent: the same file again changes nothing.
    revisions = ServicePage.objects.first().revisions.count()
    again = run(folder)
    assert (speaking("es"), speaking("ht")) == (60, 40)
    assert "429 unchanged" in again
    assert ServicePage.objects.first().revisions.count() == revisions


@pytest.mark.django_db
def test_repeated_service_ids_keep_both_services(home, tmp_path):
    folder = ilao_copy(tmp_path)
    rows = read(folder / "services.csv")
    first = next(r for r in rows if r["id"] and r["name"].strip())
    rows.append({**first, "name": "Second service under a reused id"})
    write(folder / "services.csv", rows)
    run(folder)
    assert ServicePage.objects.filter(title=first["name"]).exists()
    assert ServicePage.objects.filter(title="Second service under a reused id").exists()


# --- 2. cleaning -----------------------------------------------------------------------

DEBRIS = (
    r"Free legal help for tenants.\nWhat to bring:\n* A photo ID\n* Your lease"
    r"\n###MON### Walk in on Mondays. Bring your DriverGÇÖs License."
)


def debris_package(tmp_path):
    folder = ilao_copy(tmp_path, "debris")
    rows = read(folder / "services.csv")
    target = next(r for r in rows if r["id"] and r["name"].strip())
    target.update(
        name="NORTH SHORE YMCA LEGAL CLINIC FOR SNAP AND WIC",
        description=DEBRIS,
        application_process="None",
        interpretation_services="&amp;lt;b&amp;gt;Spanish&amp;lt;/b&amp;gt; and Polish",
        wait_time="N/A",
        fees="-1",
    )
    write(folder / "services.csv", rows)
    return folder, target


@pytest.mark.django_db
def test_debris_is_cleaned_on_the_page_and_the_raw_row_is_kept(home, client, tmp_path):
    folder, target = debris_package(tmp_path)
    output = run(folder)
    page = ServicePage.objects.get(title="North Shore YMCA Legal Clinic for SNAP and WIC")
    assert page.description == (
        "Free legal help for tenants.\nWhat to bring:\n\n• A photo ID\n• Your lease\n\n"
        "Walk in on Mondays. Bring your Driver's License."
    )
    assert page.interpretation_services == "Spanish and Polish"
    assert (page.application_process, page.wait_time, page.fees_description) == ("", "", "")

    html = client.get(page.url).content.decode()
    for debris in (
        r"\n",
        "###",
        "GÇÖ",
        "&lt;b",
        "&amp;lt;",
        "&amp;amp;",
        "* A photo",
        "None",
        "N/A",
    ):
        assert debris not in html, debris
    assert "<li>A photo ID</li>" in html
    assert "How to get it" not in html or "None" not in html

    record = SourceRecord.objects.get(kind="service", source_id=target["id"])
    assert record.raw["description"] == DEBRIS
    assert record.raw["name"] == target["name"]
    # The summary counts what was cleaned, per kind.
    line = next(x for x in output.splitlines() if "Cleaned values" in x)
    for kind in ("escape sequence", "marker", "bullets", "mojibake", "html", "placeholder"):
        assert re.search(rf"\d+ {kind}", line), kind
    assert re.search(r"\d+ all caps", line)


def test_names_in_capitals_keep_their_acronyms():
    from directory.hsds import cleaning

    assert cleaning.name("LIFE SPAN CENTER FOR LEGAL SERVICES") == (
        "Life Span Center for Legal Services"
    )
    assert cleaning.name("APNA GHAR, INC. HIV/AIDS LGBTQ USA LLC") == (
        "Apna Ghar, Inc. HIV/AIDS LGBTQ USA LLC"
    )
    assert cleaning.name("Legal Aid Chicago") == "Legal Aid Chicago"


# --- 3. hours ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hours_in_words_are_kept_and_shown(home, client, tmp_path):
    folder = ilao_copy(tmp_path, "hours")
    services = named_services(folder)[:3]
    crisis, clinic, seasonal = services
    rows = [
        {"id": "", "service_id": crisis["id"], "weekday": "", "opens_at": "", "closes_at": "",
         "description": "Mobile crisis team answers 24/7, every day of the year"},
        {"id": "", "service_id": clinic["id"], "weekday": "", "opens_at": "", "closes_at": "",
         "description": "2nd and 4th Tuesday of the month, 9am-noon"},
        {"id": "", "service_id": seasonal["id"], "weekday": "Saturday", "opens_at": "10:00",
         "closes_at": "14:00", "description": "", "valid_from": "2026-06-01",
         "valid_to": "2026-09-30"},
    ]  # fmt: skip
    schedules = read(folder / "regular_schedules.csv")
    fields = [*schedules[0], "description", "valid_from", "valid_to"]
    write(folder / "regular_schedules.csv", schedules + rows, fields)
    write(
        folder / "holiday_schedules.csv",
        [{"id": "h1", "service_id": seasonal["id"], "start_date": "2026-12-24",
          "end_date": "2026-12-26", "closed": "true", "opens_at": "", "closes_at": ""}],
    )  # fmt: skip

    run(folder)

    page = service_for(crisis["id"])
    html = client.get(page.url).content.decode()
    assert "Mobile crisis team answers 24/7, every day of the year" in html
    assert "Call for hours" not in html

    page = service_for(clinic["id"])
    row = ServiceSchedule.objects.get(service=page)
    assert row.rule == "FREQ=MONTHLY;BYDAY=2TU,4TU"
    assert (row.opens_at, row.closes_at) == (dt.time(9), dt.time(12))
    html = client.get(page.url).content.decode()
    assert "2nd and 4th Tuesday of the month, 9am–noon" in html.replace("9:00 am", "9am")

    page = service_for(seasonal["id"])
    rows = ServiceSchedule.objects.filter(service=page)
    weekly = rows.get(weekday=6)
    assert (weekly.valid_from, weekly.valid_to) == (dt.date(2026, 6, 1), dt.date(2026, 9, 30))
    closure = rows.get(weekday=None)
    assert (closure.valid_from, closure.valid_to, closure.closed) == (
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 26),
        True,
    )


@pytest.mark.django_db
def test_an_hsds3_monthly_schedule_is_imported_and_said_in_words(home, client, tmp_path):
    folder = ilao_copy(tmp_path, "rrule")
    service = named_services(folder)[0]
    write(
        folder / "schedules.csv",
        [{"id": "m1", "service_id": service["id"], "freq": "MONTHLY", "byday": "-1FR",
          "opens_at": "13:00", "closes_at": "15:00", "description": "Food distribution"}],
    )  # fmt: skip
    (folder / "regular_schedules.csv").unlink()
    run(folder)
    page = service_for(service["id"])
    assert ServiceSchedule.objects.get(service=page).rule == "FREQ=MONTHLY;BYDAY=-1FR"
    html = client.get(page.url).content.decode()
    assert "Last Friday of the month" in html
    assert "Food distribution" in html


# --- 4. crosswalk ---------------------------------------------------------------------------


def icarol_as_hsds(tmp_path):
    """The iCarol sample's real AIRS codes and terms, as an HSDS 1.x package
    (services, taxonomy, services_taxonomy): the HSDS path they take."""
    folder = tmp_path / "airs"
    folder.mkdir()
    rows = read(ICAROL)
    services, terms, links = [], {}, []
    for row in rows:
        num = row.get("ResourceAgencyNum") or row.get("UniqueIDPriorSystem")
        name = (row.get("PublicName") or row.get("AgencyNamePublic") or "").strip()
        if not num or not name:
            continue
        codes = [c.strip() for c in re.split(r";", row.get("TaxonomyCodes", "")) if c.strip()]
        names = [n.strip() for n in re.split(r";", row.get("TaxonomyTerms", "")) if n.strip()]
        if not codes and not names:
            continue
        services.append({"id": num, "organization_id": "", "name": name, "description": ""})
        for n, code in enumerate(codes or names):
            term_name = names[n] if n < len(names) else code
            key = code if codes else f"name-{term_name}"
            terms[key] = {"id": key, "name": term_name.split(" - ")[-1][:200],
                          "taxonomy": "AIRS", "code": code if codes else ""}  # fmt: skip
            links.append({"id": f"{num}-{n}", "service_id": num, "taxonomy_id": key})
    write(folder / "services.csv", services)
    write(folder / "taxonomy.csv", list(terms.values()))
    write(folder / "services_taxonomy.csv", links)
    return folder, len(services)


AIRS_XML = SHARED / "airs-xml-bc211" / "BC211_data_excerpt.xml"
GOODS = "104"


def _sample_terms():
    """(code, name) of every taxonomy term the real samples give their services."""
    terms = []
    for row in read(ICAROL):
        codes = [c.strip() for c in row.get("TaxonomyCodes", "").split(";")]
        names = [n.strip() for n in row.get("TaxonomyTerms", "").split(";")]
        terms += [(c, names[n] if n < len(names) else "") for n, c in enumerate(codes) if c]
        terms += [("", name) for name in names if name]
        # The 211's own category names ("Food-Groceries; Clothing; Food*").
        terms += [
            ("", n.strip()) for n in re.split(r"[;*]", row.get("Categories", "")) if n.strip()
        ]
    xml = AIRS_XML.read_text(encoding="utf-8")
    terms += [(c, "") for c in re.findall(r"<Code>\s*([A-Z][^<\s]*)", xml)]
    terms += [("", n) for n in re.findall(r"<Term>\s*([^<]+?)\s*</Term>", xml)]
    ohana = {r["taxonomy_id"]: r for r in read(OHANA / "taxonomy.csv")}
    for row in read(OHANA / "services.csv"):
        for key in re.split(r"[,; ]+", row.get("taxonomy_ids", "")):
            if key:
                terms.append((key, ohana.get(key, {}).get("name", "")))
    return terms


@pytest.mark.django_db
def test_after_importing_real_211_files_every_home_category_finds_services(home, client, tmp_path):
    from directory.hsds.taxonomy import browse_codes

    airs, _ = icarol_as_hsds(tmp_path)
    for path in (airs, ICAROL, AIRS_XML, ILAO, OHANA):
        run(path)
    empty = []
    for label, code, _ in CATEGORY_SHORTCUTS:
        html = client.get(f"/search/?category={code}").content.decode()
        if not re.search(r'class="card result"', html):
            empty.append(label)
    # Goods comes from a name: iCarol's Categories column gives program 373637
    # "Clothing", which the crosswalk's names put under Goods (no sample has a
    # material-goods code, AIRS "BM" or Open Eligibility "104", on a service).
    reached = set()
    for code, name in _sample_terms():
        reached |= browse_codes(code, name) | (
            {code.split("-")[0]} if code[:1].isdigit() else set()
        )
    assert GOODS in reached
    assert empty == []
    goods = client.get(f"/search/?category={GOODS}").content.decode()
    assert "Father McKenna" in goods
    # "Crisis help" in the header.
    html = client.get("/search/?category=101").content.decode()
    assert re.search(r'class="card result"', html)


def test_the_crosswalk_maps_codes_by_prefix_and_names_by_words():
    from directory.hsds.taxonomy import browse_codes

    assert browse_codes("BD-1800.2000") == {"102"}
    assert browse_codes("BH-1800.8500") == {"101", "103"}
    assert browse_codes("RP-1500.1400-800") == {"101", "106"}
    assert browse_codes("RX-8250") == {"106"}
    assert browse_codes("", "Food Pantries") == {"102"}
    assert "111" in browse_codes("", "Legal Counseling")
    assert browse_codes("YB-8000") == set()


@pytest.mark.django_db
def test_categories_on_a_listing_are_links(home, client):
    run(OHANA)
    page = next(p for p in ServicePage.objects.live() if p.categories.exists())
    html = client.get(page.url).content.decode()
    term = page.categories.first()
    assert f'href="/search/?category={term.code or term.slug}"' in html


# --- 5. dates --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sources_dates_drive_the_badges(home, client, tmp_path):
    folder = ilao_copy(tmp_path, "dated")
    rows = read(folder / "services.csv")
    fields = [*rows[0], "assured_date", "last_modified"]
    target = next(r for r in rows if r["id"] and r["name"].strip())
    for row in rows:
        row["assured_date"], row["last_modified"] = "", ""
    target["assured_date"], target["last_modified"] = "2019-03-04", "2019-05-06"
    write(folder / "services.csv", rows, fields)
    run(folder)
    page = service_for(target["id"])
    html = client.get(page.url).content.decode()
    assert "Updated today" not in html
    assert "Updated over" in html and "years ago" in html
    assert "verified by the source on" in html and "2019" in html
    record = SourceRecord.objects.get(kind="service", source_id=target["id"])
    assert (record.assured_date, record.last_modified) == (dt.date(2019, 3, 4), dt.date(2019, 5, 6))
    assert page.last_published_at.date() == dt.date(2019, 5, 6)
    # A re-import leaves the date alone.
    run(folder)
    page.refresh_from_db()
    assert page.last_published_at.date() == dt.date(2019, 5, 6)


# --- 7. bad input --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_failing_at_write_time_leaves_nothing_of_its_organization(
    home, tmp_path, monkeypatch
):
    folder = ilao_copy(tmp_path, "failing")
    used = {r["organization_id"] for r in named_services(folder)}
    org = next(r for r in read(folder / "organizations.csv") if r["id"] in used)
    victim = org["name"].strip()
    original = writer.Writer._write_service

    def failing(self, spec, org_pk, group):
        if group.title == victim and spec is group.services[-1]:
            raise ValueError("the database refused the row")
        return original(self, spec, org_pk, group)

    monkeypatch.setattr(writer.Writer, "_write_service", failing)
    output = run(folder)
    assert not OrganizationPage.objects.filter(title=victim).exists()
    assert not SourceRecord.objects.filter(kind="organization", source_id=org["id"]).exists()
    assert f"organization “{victim}” not imported, nothing of it saved" in output
    assert OrganizationPage.objects.count() == 34 - 1
    assert "Skipped, by kind and reason:" in output


@pytest.mark.django_db
def test_malformed_rows_are_reported_with_file_row_and_reason(home, tmp_path):
    folder = ilao_copy(tmp_path, "malformed")
    rows = read(folder / "regular_schedules.csv")
    rows[1]["opens_at"] = "25:99"
    write(folder / "regular_schedules.csv", rows)
    output = run(folder, "--show", "500")
    assert "regular_schedules.csv row 3: bad time: “25:99–22:00” is not a time range." in output


@pytest.mark.django_db
def test_the_command_fails_only_when_nothing_could_be_imported(home, tmp_path):
    folder = tmp_path / "nothing"
    folder.mkdir()
    write(folder / "services.csv", [{"id": "1", "name": ""}, {"id": "2", "name": "None"}])
    with pytest.raises(CommandError, match="Nothing could be imported"):
        run(folder)
    assert ServicePage.objects.count() == 0


# --- 8. property: shuffled rows and renumbered ids give the same listings ---------------------


def listings():
    found = []
    for page in ServicePage.objects.order_by("title"):
        hours = sorted(
            (h.weekday or 0, str(h.opens_at), str(h.closes_at), h.description, h.rule)
            for h in page.hours.all()
        )
        phones = sorted((p.number, p.extension, p.type) for p in page.phones.all())
        places = sorted(link.location.name for link in page.service_at_locations.all())
        found.append(
            (
                page.get_parent().title,
                page.title,
                page.description,
                tuple(hours),
                tuple(phones),
                tuple(places),
            )
        )
    for loc in Location.objects.order_by("name", "address_1"):
        hours = sorted((h.weekday or 0, str(h.opens_at), str(h.closes_at)) for h in loc.hours.all())
        found.append((loc.organization.title, loc.name, loc.city, tuple(hours)))
    return found


def shuffled_ohana(tmp_path, seed):
    """Ohana's sample with every table's rows shuffled and every id renumbered."""
    rng = random.Random(seed)
    folder = tmp_path / f"ohana-{seed}"
    folder.mkdir()
    tables = {p.name: read(p) for p in OHANA.glob("*.csv")}
    id_tables = {
        "organization_id": "organizations.csv",
        "location_id": "locations.csv",
        "service_id": "services.csv",
        "contact_id": "contacts.csv",
        "program_id": "programs.csv",
    }
    renumber = {}
    for name, rows in tables.items():
        ids = [r["id"] for r in rows if r.get("id")]
        new = [str(n) for n in rng.sample(range(1000, 9999), len(ids))]
        renumber[name] = dict(zip(ids, new, strict=True))
    for name, rows in tables.items():
        for row in rows:
            if row.get("id"):
                row["id"] = renumber[name][row["id"]]
            for column, table in id_tables.items():
                if row.get(column):
                    row[column] = renumber[table].get(row[column], row[column])
        rng.shuffle(rows)
        write(folder / name, rows, list(read(OHANA / name)[0]) if rows else None)
    return folder


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_shuffled_rows_and_renumbered_ids_give_the_same_listings(home, tmp_path, seed):
    run(OHANA, "--source", "ohana")
    expected = listings()
    ServicePage.objects.all().delete()
    Location.objects.all().delete()
    OrganizationPage.objects.all().delete()
    SourceRecord.objects.all().delete()
    LocationSchedule.objects.all().delete()
    run(shuffled_ohana(tmp_path, seed), "--source", "ohana")
    assert listings() == expected
