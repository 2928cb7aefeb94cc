"""Finding the tables of an HSDS package, whatever its shape, and giving them one
spelling.

A package is a folder or a .zip of CSV files (found through datapackage.json when
there is one, else by file name, in the HSDS 1.x, 2.x or 3.x spellings or the
Ohana API's dialect), or an HSDS 3.0 JSON file: one service, a list, a paged API
answer (`contents`), organizations with their services, or the tabular example.

`read_package` returns canonical tables named as HSDS 3.0 names them (services,
locations, service_at_location, phones, schedules, addresses, ...). Each row is a
dict of the source's columns, with `_file` and `_row` (the row number a
spreadsheet shows, header = 1) so a report can point at it.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from directory.hsds import facts

csv.field_size_limit(16 * 1024 * 1024)

# Source table name -> (canonical table, columns every row of it gets).
TABLES = {
    "organization": ("organizations", {}),
    "organizations": ("organizations", {}),
    "service": ("services", {}),
    "services": ("services", {}),
    "location": ("locations", {}),
    "locations": ("locations", {}),
    "service_at_location": ("service_at_location", {}),
    "service_at_locations": ("service_at_location", {}),
    "services_at_location": ("service_at_location", {}),
    "services_at_locations": ("service_at_location", {}),
    "phone": ("phones", {}),
    "phones": ("phones", {}),
    "address": ("addresses", {}),
    "addresses": ("addresses", {}),
    "physical_address": ("addresses", {"address_type": "physical"}),
    "physical_addresses": ("addresses", {"address_type": "physical"}),
    "postal_address": ("addresses", {"address_type": "postal"}),
    "postal_addresses": ("addresses", {"address_type": "postal"}),
    "mail_address": ("addresses", {"address_type": "postal"}),
    "mail_addresses": ("addresses", {"address_type": "postal"}),
    "schedule": ("schedules", {}),
    "schedules": ("schedules", {}),
    "regular_schedule": ("schedules", {}),
    "regular_schedules": ("schedules", {}),
    "holiday_schedule": ("schedules", {"_holiday": "1"}),
    "holiday_schedules": ("schedules", {"_holiday": "1"}),
    "services_taxonomy": ("service_taxonomy", {}),
    "service_taxonomy": ("service_taxonomy", {}),
    "taxonomy": ("taxonomy_terms", {}),
    "taxonomy_term": ("taxonomy_terms", {}),
    "taxonomy_terms": ("taxonomy_terms", {}),
    "taxonomies": ("taxonomies", {}),
    "attribute": ("attributes", {}),
    "attributes": ("attributes", {}),
    "language": ("languages", {}),
    "languages": ("languages", {}),
    "eligibility": ("eligibility", {}),
    "contact": ("contacts", {}),
    "contacts": ("contacts", {}),
    "accessibility": ("accessibility", {}),
    "accessibility_for_disabilities": ("accessibility", {}),
    "required_document": ("required_documents", {}),
    "required_documents": ("required_documents", {}),
    "service_area": ("service_areas", {}),
    "service_areas": ("service_areas", {}),
    # HSDS 3.1: a service's other web addresses (service.additional_urls).
    "url": ("urls", {}),
    "urls": ("urls", {}),
}

# Columns that older versions and dialects spell differently: canonical <- others.
COLUMNS = {
    "organizations": {"website": ("url",), "year_incorporated": ("date_incorporated",)},
    "services": {
        "url": ("website",),
        "fees_description": ("fees",),
        "eligibility_description": ("eligibility",),
    },
    "locations": {},
    "phones": {"type": ("number_type", "phone_type"), "description": ("department",)},
    "schedules": {
        "valid_from": ("start_date",),
        "valid_to": ("end_date",),
        "weekday": ("day", "days_of_week"),
    },
    "languages": {"name": ("language",)},
    "accessibility": {"description": ("accessibility",)},
    "service_areas": {"name": ("service_area",)},
    "service_taxonomy": {"taxonomy_term_id": ("taxonomy_id",)},
    "taxonomy_terms": {"taxonomy": ("vocabulary",)},
    "eligibility": {"eligibility_description": ("eligibility",)},
}

# Ohana's accessibility codes, as its admin shows them.
OHANA_ACCESSIBILITY = {
    "cd": "Information on CD",
    "deaf_interpreter": "Deaf interpreter",
    "disabled_parking": "Disabled parking",
    "elevator": "Elevator",
    "ramp": "Ramp",
    "restroom": "Accessible restroom",
    "tape_braille": "Information on tape or in Braille",
    "tty": "TTY",
    "wheelchair": "Wheelchair accessible",
    "wheelchair_van": "Wheelchair-accessible van",
}
OPEN_ELIGIBILITY = "Open Eligibility"


class PackageError(Exception):
    """The path is not a package we can read; the message says why."""


@dataclass
class Package:
    name: str
    path: Path
    tables: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    unused_files: list = field(default_factory=list)
    # (kind, origin row, reason) for records a format reader could not use.
    skipped: list = field(default_factory=list)
    format: str = "HSDS"

    def rows(self, table):
        return self.tables.get(table, [])


def read_package(path):
    path = Path(path)
    if not path.exists():
        raise PackageError(f"No such file or folder: {path}")
    from .formats import detect

    found = detect(path)
    if found is not None:
        fmt, claimed = found
        package = Package(name=path.stem if path.is_file() else path.name, path=path)
        package.format = fmt.name
        fmt.read(package, claimed)
        return _finish(package)
    if path.is_dir():
        files = _folder_files(path)
    elif zipfile.is_zipfile(path):
        files = _zip_files(path)
    elif path.suffix.lower() == ".json":
        package = Package(name=path.stem, path=path)
        _read_json(package, path.name, _load_json(path.name, path.read_bytes()))
        return _finish(package)
    elif path.suffix.lower() == ".csv":
        files = {path.name: path.read_bytes}
    else:
        raise PackageError(f"{path} is not in a format we know. {_known()}")
    package = Package(name=path.stem if path.is_file() else path.name, path=path)
    for name, (table, extra) in _discover(files).items():
        _read_csv(package, name, files[name](), table, extra)
    if not package.files:
        raise PackageError(
            f"No HSDS tables found in {path}: expected organizations.csv, services.csv, "
            f"locations.csv ... or a datapackage.json listing them. {_known()}"
        )
    package.unused_files = sorted(
        n for n in files if n not in package.files and Path(n).name != "datapackage.json"
    )
    return _finish(package)


def _known():
    from .formats import known_formats

    return f"Known formats: {known_formats()}."


def _folder_files(path):
    found = {}
    for child in sorted(path.rglob("*")):
        if child.is_file() and child.suffix.lower() in (".csv", ".json"):
            found.setdefault(str(child.relative_to(path)), child.read_bytes)
    return found


def _zip_files(path):
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{path} is not a readable zip file: {exc}") from exc
    found = {}
    for info in archive.infolist():
        name = info.filename
        if info.is_dir() or "__MACOSX" in name or Path(name).name.startswith("."):
            continue
        if Path(name).suffix.lower() in (".csv", ".json"):
            found[name] = lambda name=name: archive.read(name)
    return found


def _discover(files):
    """file name -> (canonical table, extra columns), through datapackage.json if any."""
    descriptors = sorted((n for n in files if Path(n).name == "datapackage.json"), key=len)
    if descriptors:
        chosen = {}
        descriptor = descriptors[0]
        base = str(Path(descriptor).parent)
        data = _load_json(descriptor, files[descriptor]())
        for resource in data.get("resources", []) if isinstance(data, dict) else []:
            rel = resource.get("path")
            if isinstance(rel, list):
                rel = rel[0] if rel else None
            if not isinstance(rel, str):
                continue
            name = rel if base == "." else f"{base}/{rel}"
            table = _table_for(Path(rel).stem) or _table_for(resource.get("name") or "")
            if table and name in files:
                chosen[name] = table
        if chosen:
            return chosen
    return {
        name: _table_for(Path(name).stem)
        for name in files
        if name.lower().endswith(".csv") and _table_for(Path(name).stem)
    }


def _table_for(name):
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return TABLES.get(key)


def _decode(raw):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _load_json(name, raw):
    try:
        return json.loads(_decode(raw))
    except json.JSONDecodeError as exc:
        raise PackageError(f"{name} is not valid JSON: {exc}") from exc


def _read_csv(package, name, raw, table, extra):
    reader = csv.DictReader(io.StringIO(_decode(raw), newline=""))
    rows = package.tables.setdefault(table, [])
    for index, record in enumerate(reader):
        row = {
            (k or "").strip().lower(): (v if v is not None else "")
            for k, v in record.items()
            if k is not None
        }
        row.update(extra)
        row["_file"], row["_row"] = Path(name).name, index + 2
        rows.append(row)
    package.files.append(name)


# --- JSON -----------------------------------------------------------------------


def _read_json(package, name, data):
    package.files.append(name)
    if isinstance(data, dict) and any(str(k).endswith(".csv") for k in data):
        for key, rows in data.items():
            spec = _table_for(Path(str(key)).stem)
            if spec and isinstance(rows, list):
                for index, row in enumerate(rows):
                    if isinstance(row, dict):
                        _add(package, spec[0], {**row, **spec[1]}, name, index + 1)
        return
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        raise PackageError(f"{name} holds no HSDS objects.")
    for index, item in enumerate(items):
        if isinstance(item, dict):
            _flatten(package, item, name, index + 1)


def _kind(obj):
    if "service" in obj and "location" in obj:
        return "service_at_location"
    if "services" in obj or "year_incorporated" in obj or "legal_status" in obj:
        return "organization"
    if "location_type" in obj or "addresses" in obj or "latitude" in obj:
        return "location"
    if "code" in obj and ("taxonomy" in obj or "taxonomy_detail" in obj):
        return "taxonomy_term"
    return "service"


def _flatten(package, obj, name, index):
    kind = _kind(obj)
    if kind == "organization":
        _flat_organization(package, obj, name, index)
    elif kind == "location":
        _flat_location(package, obj, name, index, {})
    elif kind == "service_at_location":
        service = dict(obj["service"]) if isinstance(obj.get("service"), dict) else {}
        service["service_at_locations"] = _items(service, "service_at_locations")
        sal = {k: v for k, v in obj.items() if k != "service"}
        service["service_at_locations"] = [sal, *service["service_at_locations"]]
        _flat_service(package, service, name, index, {})
    elif kind == "taxonomy_term":
        _flat_term(package, obj, name, index)
    else:
        _flat_service(package, obj, name, index, {})


def _items(obj, key):
    """The objects listed under `key`; anything else there is ignored."""
    found = obj.get(key)
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def _scalars(obj):
    return {k: v for k, v in obj.items() if not isinstance(v, dict | list)}


def _add(package, table, row, name, index):
    row = {str(k).lower(): v for k, v in row.items()}
    row["_file"], row["_row"] = name, index
    package.tables.setdefault(table, []).append(row)


def _flat_organization(package, obj, name, index):
    _add(package, "organizations", _scalars(obj), name, index)
    context = {"organization_id": obj.get("id")}
    for service in _items(obj, "services"):
        _flat_service(package, service, name, index, context)
    for location in _items(obj, "locations"):
        _flat_location(package, location, name, index, context)
    for phone in _items(obj, "phones"):
        _flat_phone(package, phone, name, index, context)


def _flat_service(package, obj, name, index, context):
    # The service's own phones and schedules come first: JSON repeats one phone
    # (same id) under the service, its locations and its organization, and the
    # first one read is the one kept.
    service = {**_scalars(obj), **{k: v for k, v in context.items() if v}}
    organization = obj.get("organization")
    if isinstance(organization, dict) and organization.get("id"):
        service["organization_id"] = organization["id"]
    _add(package, "services", service, name, index)
    sid = obj.get("id")
    for phone in _items(obj, "phones"):
        _flat_phone(package, phone, name, index, {"service_id": sid})
    for schedule in _items(obj, "schedules"):
        _add(package, "schedules", {**_scalars(schedule), "service_id": sid}, name, index)
        _steward_attributes(package, schedule, name, index)
    for url in _items(obj, "additional_urls"):
        _add(package, "urls", {**_scalars(url), "service_id": sid}, name, index)
    for language in _items(obj, "languages"):
        _add(package, "languages", {**_scalars(language), "service_id": sid}, name, index)
    for table in ("service_areas", "required_documents"):
        for item in _items(obj, table):
            _add(package, table, {**_scalars(item), "service_id": sid}, name, index)
    for attribute in _items(obj, "attributes"):
        term = attribute.get("taxonomy_term")
        term = term if isinstance(term, dict) else {}
        if term:
            _flat_term(package, term, name, index)
        row = {**_scalars(attribute), "link_id": sid, "link_entity": "service"}
        row["taxonomy_term_id"] = term.get("id") or attribute.get("taxonomy_term_id")
        _add(package, "attributes", row, name, index)
    for sal in _items(obj, "service_at_locations"):
        location = sal.get("location") if isinstance(sal.get("location"), dict) else {}
        org_id = service.get("organization_id")
        if location:
            _flat_location(package, location, name, index, {"organization_id": org_id})
        row = {**_scalars(sal), "service_id": sid, "location_id": location.get("id")}
        _add(package, "service_at_location", row, name, index)
        for phone in _items(sal, "phones"):
            _flat_phone(package, phone, name, index, {"service_at_location_id": sal.get("id")})
        for schedule in _items(sal, "schedules"):
            row = {**_scalars(schedule), "service_at_location_id": sal.get("id")}
            _add(package, "schedules", row, name, index)
            _steward_attributes(package, schedule, name, index)
    if isinstance(organization, dict) and organization.get("id"):
        _flat_organization(package, organization, name, index)


def _flat_location(package, obj, name, index, context):
    location = {**{k: v for k, v in context.items() if v}, **_scalars(obj)}
    _add(package, "locations", location, name, index)
    lid = obj.get("id")
    for address in _items(obj, "addresses"):
        _add(package, "addresses", {**_scalars(address), "location_id": lid}, name, index)
    for phone in _items(obj, "phones"):
        _flat_phone(package, phone, name, index, {"location_id": lid})
    for schedule in _items(obj, "schedules"):
        _add(package, "schedules", {**_scalars(schedule), "location_id": lid}, name, index)
        _steward_attributes(package, schedule, name, index)
    _steward_attributes(package, obj, name, index)
    for item in _items(obj, "accessibility"):
        _add(package, "accessibility", {**_scalars(item), "location_id": lid}, name, index)
    for language in _items(obj, "languages"):
        _add(package, "languages", {**_scalars(language), "location_id": lid}, name, index)


def _steward_attributes(package, obj, name, index):
    """A location's or a schedule's Steward facts (facts.py); their other attributes
    are not read, as before."""
    for attribute in _items(obj, "attributes"):
        if facts.code_of(attribute):
            row = {**_scalars(attribute), "link_id": obj.get("id")}
            _add(package, "attributes", row, name, index)


def _flat_phone(package, obj, name, index, context):
    _add(package, "phones", {**_scalars(obj), **context}, name, index)
    for language in _items(obj, "languages"):
        row = {**_scalars(language), "phone_id": obj.get("id")}
        _add(package, "languages", row, name, index)


def _flat_term(package, obj, name, index):
    term = _scalars(obj)
    detail = obj.get("taxonomy_detail")
    detail = detail if isinstance(detail, dict) else {}
    if detail:
        term["taxonomy_id"] = detail.get("id")
        _add(package, "taxonomies", _scalars(detail), name, index)
    _add(package, "taxonomy_terms", term, name, index)


# --- one spelling ------------------------------------------------------------------


def _finish(package):
    for table, aliases in COLUMNS.items():
        for row in package.tables.get(table, []):
            for canonical, others in aliases.items():
                if _blank(row.get(canonical)):
                    for other in others:
                        if not _blank(row.get(other)):
                            row[canonical] = row[other]
                            break
    _ohana_taxonomy(package)
    _steward_facts(package)
    _services_with_location_ids(package)
    _inline_lists(package)
    return package


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# A Steward fact (facts.py) -> (table, column, {value: column value}); None: as is.
FACT_COLUMNS = {
    "caution": ("services", "caution", None),
    "alert_expires": ("services", "alert_expires", None),
    "confidential": (
        "locations",
        None,
        {
            facts.CONFIDENTIAL: {"address_private": "true"},
            facts.POSSIBLY_CONFIDENTIAL: {"possible_confidential": "true"},
        },
    ),
    "exception": (
        "schedules",
        None,
        {facts.CLOSED: {"closed": "true"}, facts.SPECIAL_HOURS: {"closed": "false"}},
    ),
}


def _steward_facts(package):
    """Steward's own facts, exported as attributes of its facts taxonomy, back into
    the columns they came from; that taxonomy is not imported as categories."""
    attributes = package.tables.get("attributes", [])
    found = [(facts.code_of(row), row) for row in attributes]
    if not any(code for code, _row in found):
        return
    package.tables["attributes"] = [row for code, row in found if not code]
    by_id = {}
    for code, row in found:
        if not code:
            continue
        table, column, values_of = FACT_COLUMNS[code]
        if table not in by_id:
            by_id[table] = {}
            for target in package.tables.get(table, []):
                by_id[table].setdefault(str(target.get("id") or ""), []).append(target)
        value = str(row.get("value") or "").strip()
        columns = {column: value} if column else (values_of or {}).get(value, {})
        for target in by_id[table].get(str(row.get("link_id") or ""), []):
            target.update(columns)
    for table, key in (("taxonomy_terms", "taxonomy_id"), ("taxonomies", "id")):
        if table in package.tables:
            package.tables[table] = [
                row
                for row in package.tables[table]
                if str(row.get(key) or "") != facts.TAXONOMY_ID
                and str(row.get("id") or "") not in facts.CODES_BY_TERM_ID
            ]


def _ohana_taxonomy(package):
    """Ohana's taxonomy.csv keys terms by their Open Eligibility code (taxonomy_id)."""
    for row in package.tables.get("taxonomy_terms", []):
        if "id" not in row and not _blank(row.get("taxonomy_id")):
            row["id"] = row["code"] = row.pop("taxonomy_id")
            row.setdefault("taxonomy", OPEN_ELIGIBILITY)


def _services_with_location_ids(package):
    """Ohana (and some 1.x exports) give each service one location_id instead of a
    service_at_location table."""
    links = package.tables.setdefault("service_at_location", [])
    have = {(r.get("service_id"), r.get("location_id")) for r in links}
    for row in package.tables.get("services", []):
        sid, lid = row.get("id"), row.get("location_id")
        if not _blank(lid) and not _blank(sid) and (sid, lid) not in have:
            links.append({"service_id": sid, "location_id": lid, **_origin(row)})
            have.add((sid, lid))


def _origin(row):
    return {"_file": row["_file"], "_row": row["_row"]}


def _inline_lists(package):
    """Columns holding lists (Ohana): taxonomy_ids and languages on services and
    locations, accessibility codes on locations."""
    for row in package.tables.get("services", []):
        for code in _split(row.get("taxonomy_ids")):
            package.tables.setdefault("service_taxonomy", []).append(
                {"service_id": row.get("id"), "code": code, "taxonomy": OPEN_ELIGIBILITY}
                | _origin(row)
            )
        for name in _split(row.get("languages")):
            package.tables.setdefault("languages", []).append(
                {"service_id": row.get("id"), "name": name} | _origin(row)
            )
    for row in package.tables.get("locations", []):
        if isinstance(row.get("languages"), str):
            for name in _split(row.get("languages")):
                package.tables.setdefault("languages", []).append(
                    {"location_id": row.get("id"), "name": name} | _origin(row)
                )
        if isinstance(row.get("accessibility"), str) and row["accessibility"].strip():
            labels = [OHANA_ACCESSIBILITY.get(c, c) for c in _split(row["accessibility"])]
            package.tables.setdefault("accessibility", []).append(
                {"location_id": row.get("id"), "description": ", ".join(labels)} | _origin(row)
            )


def _split(value):
    if not isinstance(value, str):
        return []
    return [part.strip() for part in re.split(r"\s*[,;|]\s*", value) if part.strip()]
