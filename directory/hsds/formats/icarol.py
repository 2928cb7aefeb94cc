"""iCarol's CSV "resources" export: one row per agency, site or program.

`TaxonomyLevelName` says which: agencies become organizations, sites locations,
programs services (`ParentAgencyNum` names the agency, `ConnectsToSiteNum` the
site a program is given at). Columns are read by name; a missing column is no
value. The 211's private columns (internal notes, staff, contacts, verifiers,
FEIN) are never read, so they reach no table, page or export.
"""

import csv
import io
import re

from .common import clean, phone_label, phone_type_for, split, yes

TAXONOMY = "AIRS/211 Taxonomy"
REQUIRED = ("resourceagencynum", "taxonomylevelname")
DO_NOT_REFER = "Active, but do not refer: this program is not taking referrals now."

# Never read (listed so the mapping document and a test can name them).
PRIVATE_COLUMNS = (
    "InternalNotes",
    "InternalNotesForEditorsAndViewers",
    "SeniorWorkerName",
    "SeniorWorkerTitle",
    "SeniorWorkerEmailAddress",
    "SeniorWorkerPhoneNumber",
    "MainContactName",
    "MainContactTitle",
    "MainContactEmailAddress",
    "MainContactPhoneNumber",
    "MainContactType",
    "LastVerifiedByName",
    "LastVerifiedByTitle",
    "LastVerifiedByPhoneNumber",
    "LastVerifiedByEmailAddress",
    "LastVerificationApprovedBy",
    "FEIN",
)
# Named phones: (number column, name column, default name).
NAMED_PHONES = tuple(
    (f"phone{n}number", (f"phone{n}name", f"phone{n}description"), "") for n in range(1, 6)
)
TYPED_PHONES = (
    ("phonefax", "Fax"),
    ("phonetty", "TTY"),
    ("phonetollfree", "Toll-free"),
    ("phonenumberhotline", "Hotline"),
    ("phonenumberbusinessline", "Business line"),
    ("phonenumberoutofarea", "Out of area"),
    ("phonenumberafterhours", "After hours"),
)


def _decode(raw):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def claims(name, head):
    if not name.lower().endswith(".csv"):
        return False
    first = _decode(head).splitlines()[0] if head else ""
    columns = {c.strip().strip('"').lower() for c in first.split(",")}
    return all(c in columns for c in REQUIRED)


def read(package, files):
    for name, read_bytes in files:
        reader = csv.DictReader(io.StringIO(_decode(read_bytes()), newline=""))
        rows = []
        for index, record in enumerate(reader):
            row = {(k or "").strip().lower(): (v or "") for k, v in record.items() if k}
            row["_file"], row["_row"] = name.rsplit("/", 1)[-1], index + 2
            rows.append(row)
        _Reader(package, rows).run()
        package.files.append(name)


def _g(row, *names):
    for name in names:
        value = clean(row.get(name.lower()))
        if value:
            return value
    return ""


class _Reader:
    def __init__(self, package, rows):
        self.package, self.rows = package, rows
        self.agencies = {}
        self.agency_location = {}

    def add(self, table, values, origin):
        values = {k: v for k, v in values.items() if v not in ("", None)}
        values["_file"], values["_row"] = origin["_file"], origin["_row"]
        self.package.tables.setdefault(table, []).append(values)

    def skip(self, kind, row, reason):
        self.package.skipped.append((kind, row, reason))

    def run(self):
        by_level = {"agency": [], "site": [], "program": []}
        for row in self.rows:
            level = _g(row, "TaxonomyLevelName").lower()
            if not _g(row, "ResourceAgencyNum"):
                if any(clean(v) for k, v in row.items() if not k.startswith("_")):
                    self.skip("service", row, "no ResourceAgencyNum")
                continue
            if level not in by_level:
                self.skip(
                    "service", row, f"TaxonomyLevelName “{level}” is not Agency, Site or Program"
                )
                continue
            by_level[level].append(row)
        for row in by_level["agency"]:
            self.agency(row)
        for row in by_level["site"]:
            self.site(row)
        for row in by_level["program"]:
            self.program(row)

    # --- records --------------------------------------------------------------

    def _listed(self, row, parent=None):
        status = _g(row, "AgencyStatus").lower()
        hidden = (
            status == "inactive"
            or yes(row.get("excludefromwebsite"))
            or yes(row.get("excludefromdirectory"))
        )
        if parent is not None and not self.agencies.get(parent, {}).get("listed", True):
            hidden = True
        return not hidden

    def agency(self, row):
        num = _g(row, "ResourceAgencyNum")
        listed = self._listed(row)
        self.agencies[num] = {"listed": listed, "row": row}
        self.add(
            "organizations",
            {
                "id": num,
                "name": _g(row, "PublicName", "OfficialName"),
                "alternate_name": _g(row, "AlternateName"),
                "description": _g(row, "AgencyDescription"),
                "website": _g(row, "WebsiteAddress"),
                "email": _g(row, "EmailAddressMain"),
                "legal_status": _g(row, "LegalStatus"),
                "year_incorporated": _g(row, "YearIncorporated"),
                "last_verified_on": _g(row, "LastVerifiedOn"),
                "last_modified": _g(row, "UpdatedOn"),
                "listed": "" if listed else "false",
            },
            row,
        )
        if _g(row, "PhysicalAddress1", "PhysicalCity"):
            key = f"agency-{num}"
            self.location(key, num, row)
            self.agency_location[num] = (key, _address_key(row))

    def site(self, row):
        num = _g(row, "ResourceAgencyNum")
        self.location(f"site-{num}", _g(row, "ParentAgencyNum"), row)

    def location(self, key, org, row):
        self.add(
            "locations",
            {
                "id": key,
                "organization_id": org,
                "name": _g(row, "PublicName") if key.startswith("site-") else "",
                "description": _g(row, "PhysicalLocationDescription"),
                "transportation": _g(row, "BusServiceAccess", "PublicAccessTransportation"),
                "latitude": _g(row, "Latitude"),
                "longitude": _g(row, "Longitude"),
                "address_private": "true" if yes(row.get("addressisprivate")) else "",
            },
            row,
        )
        self.add(
            "addresses",
            {
                "id": f"{key}-physical",
                "location_id": key,
                "address_type": "physical",
                "address_1": _g(row, "PhysicalAddress1"),
                "address_2": _g(row, "PhysicalAddress2"),
                "city": _g(row, "PhysicalCity"),
                "state_province": _g(row, "PhysicalStateProvince"),
                "postal_code": _g(row, "PhysicalPostalCode"),
                "country": _g(row, "PhysicalCountry"),
            },
            row,
        )
        self.phones(row, {"location_id": key})

    def program(self, row):
        num = _g(row, "ResourceAgencyNum")
        agency = _g(row, "ParentAgencyNum")
        status = _g(row, "AgencyStatus").lower()
        listed = self._listed(row, agency)
        self.add(
            "services",
            {
                "id": num,
                "organization_id": agency,
                "name": _g(row, "PublicName", "OfficialName"),
                "alternate_name": _g(row, "AlternateName"),
                "description": _g(row, "AgencyDescription"),
                # Inactive programs are kept, retired (defunct and not listed).
                "status": "defunct" if status == "inactive" else "active",
                "caution": DO_NOT_REFER if "do not refer" in status else "",
                "alert": _g(row, "TemporaryMessage"),
                "alert_expires": _g(row, "TemporaryMessageExpires")
                if _g(row, "TemporaryMessage")
                else "",
                "url": _g(row, "WebsiteAddress"),
                "email": _g(row, "EmailAddressMain"),
                "eligibility_description": _g(row, "Eligibility"),
                "fees_description": _g(row, "FeeStructureSource"),
                "application_process": _g(row, "ApplicationProcess"),
                "required_documents": _g(row, "DocumentsRequired"),
                "accessibility": _g(row, "DisabilitiesAccess"),
                "hours_of_operation": _g(row, "HoursOfOperation", "Hours"),
                "last_verified_on": _g(row, "LastVerifiedOn"),
                "last_modified": _g(row, "UpdatedOn"),
                "listed": "" if listed else "false",
            },
            row,
        )
        self.program_location(num, agency, row)
        self.phones(row, {"service_id": num})
        languages = _g(row, "LanguagesOfferedList", "LanguagesOffered")
        for language in split(languages):
            # "American Sign Language available." names the language.
            language = re.sub(r"\s+(?:is\s+)?available\.?$|\.$", "", language, flags=re.I)
            self.add("languages", {"service_id": num, "name": language}, row)
        area = _g(row, "CoverageArea", "CoverageAreaText") or "; ".join(
            split(row.get("coverage"), commas=False)
        )
        if area:
            self.add("service_areas", {"service_id": num, "name": area}, row)
        self.taxonomy(num, row)

    def program_location(self, num, agency, row):
        site = _g(row, "ConnectsToSiteNum")
        if site:
            self.add("service_at_location", {"service_id": num, "location_id": f"site-{site}"}, row)
            return
        own = _address_key(row)
        at_agency = self.agency_location.get(agency)
        if at_agency and (not own or own == at_agency[1]):
            self.add("service_at_location", {"service_id": num, "location_id": at_agency[0]}, row)
        elif own:
            self.location(f"program-{num}", agency, row)
            self.add(
                "service_at_location", {"service_id": num, "location_id": f"program-{num}"}, row
            )

    def phones(self, row, parent):
        n = 0
        for index, (number_column, name_columns, default) in enumerate(NAMED_PHONES, 1):
            number = _g(row, number_column)
            if number and not yes(row.get(f"phone{index}isprivate")):
                n += 1
                name = _g(row, *name_columns) or default
                self._phone(parent, n, number, name, row)
        for column, name in TYPED_PHONES:
            number = _g(row, column)
            if number and not yes(row.get(f"{column}isprivate")):
                n += 1
                self._phone(parent, n, number, name, row)

    def _phone(self, parent, n, number, name, row):
        self.add(
            "phones",
            {
                **parent,
                "id": f"{next(iter(parent.values()))}-phone-{n}",
                "number": number,
                "type": phone_type_for(name),
                "description": phone_label(name, phone_type_for(name)),
            },
            row,
        )

    def taxonomy(self, num, row):
        codes = split(row.get("taxonomycodes"), commas=False)
        names = split(row.get("taxonomyterm"), commas=False)
        for index, code in enumerate(codes):
            name = names[index] if index < len(codes) and index < len(names) else code
            self.add(
                "taxonomy_terms",
                {"id": code, "code": code, "name": name, "taxonomy": TAXONOMY},
                row,
            )
            self.add("service_taxonomy", {"service_id": num, "taxonomy_term_id": code}, row)
        # The 211's own category names ("Food-Groceries; Clothing"): the browse
        # categories the crosswalk finds by name (Clothing: Goods); not a term tree.
        from directory.hsds.taxonomy import browse_codes

        for name in split(row.get("categories"), commas=False):
            if browse_codes("", name):
                self.add("service_taxonomy", {"service_id": num, "name": name}, row)


_ABBREVIATIONS = {"street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd"}


def _address_key(row):
    """The street address and city, spelled loosely, to see two rows name one place."""
    parts = (_g(row, "PhysicalAddress1"), _g(row, "PhysicalCity"))
    if not parts[0]:
        return ""
    words = " ".join(parts).lower().replace(".", " ").replace(",", " ").split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)
