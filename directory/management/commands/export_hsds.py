"""`manage.py export_hsds OUT [--format csv|json|ndjson]`: the listed services as HSDS 3.0.

- csv (default): OUT is a folder holding datapackage.json and the HSDS tables;
- json: OUT is one file, an array of fully nested services;
- ndjson: OUT is one file, one nested service per line.

Services are read a page at a time (directory.hsds.serialize.ServiceBatch), so
memory stays flat however many there are. Every object is validated against the
local HSDS 3.0 compiled schemas; the first invalid one stops the export with the
object's id and the reason. Everything is written to a temporary sibling of OUT
and renamed onto OUT only at the end, so a failed export leaves nothing behind.

Field-level provenance (`metadata`) comes from history through the hook point
`steward_hsds_metadata`, which serialize asks: directory imports no other app.
"""

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.hsds import serialize

PAGE = 200
# Tables whose rows several services share: each id is written once. Other rows
# belong to one service, so no set of their ids is kept (memory stays flat).
SHARED = {"organization", "location", "taxonomy", "taxonomy_term"}
# HSDS 3.0's datapackage.json (its examples/csv), shipped with the schemas.
TEMPLATE = "datapackage.json"
# HSDS 3.1's `url` table (backward compatible: a 3.0 reader ignores the extra file).
URL_RESOURCE = {
    "name": "url",
    "path": "urls.csv",
    "description": "HSDS 3.1: other web addresses of a service (service.additional_urls).",
    "format": "csv",
    "mediatype": "text/csv",
    "profile": "tabular-data-resource",
    "schema": {
        "primaryKey": "id",
        "fields": [
            {"name": "id", "type": "string", "format": "uuid", "constraints": {"required": True}},
            {"name": "label", "type": "string"},
            {"name": "url", "type": "string", "format": "uri", "constraints": {"required": True}},
            {"name": "organization_id", "type": "string", "format": "uuid"},
            {"name": "service_id", "type": "string", "format": "uuid"},
        ],
    },
}


class InvalidObject(Exception):
    pass


def checked(kind, obj):
    errors = serialize.validate(kind, obj)
    if errors:
        raise InvalidObject(
            f"{kind} {obj.get('id', '?')} ({obj.get('name', '')}) breaks the HSDS 3.0 "
            f"schema: {'; '.join(errors[:5])}"
        )
    return obj


def services():
    """Nested HSDS services, validated, a page of listings at a time (keyset paging
    on the primary key, so memory stays flat however many there are)."""
    last = 0
    while True:
        page = list(
            serialize.prefetch_services(serialize.listed_services().filter(pk__gt=last)[:PAGE])
        )
        if not page:
            return
        batch = serialize.ServiceBatch(page)
        for service in batch:
            yield checked("service", batch.service(service, full=True))
        last = page[-1].pk


def datapackage_template():
    path = serialize.schema_dir() / TEMPLATE
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"].append(URL_RESOURCE)
    return package


class Tables:
    """The tabular form: one CSV writer per HSDS table, each id written once."""

    def __init__(self, folder):
        self.package = datapackage_template()
        self.folder = folder
        self.handles, self.writers, self.columns, self.seen = {}, {}, {}, {}
        self.counts = {}
        for resource in self.package["resources"]:
            name = resource["name"]
            columns = [f["name"] for f in resource["schema"]["fields"]]
            handle = (folder / resource["path"]).open("w", encoding="utf-8", newline="")
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            self.handles[name], self.writers[name], self.columns[name] = handle, writer, columns
            self.seen[name] = set()
            self.counts[name] = 0

    def add(self, table, row, **links):
        row = {**row, **links}
        if table in SHARED:
            if row["id"] in self.seen[table]:
                return False
            self.seen[table].add(row["id"])
        self.writers[table].writerow(
            {k: v for k, v in row.items() if not isinstance(v, dict | list) and v is not None}
        )
        self.counts[table] += 1
        return True

    def close(self):
        for handle in self.handles.values():
            handle.close()
        self.package["name"] = "steward"
        self.package["title"] = "Steward: the directory's listed services, as HSDS 3.0"
        (self.folder / "datapackage.json").write_text(
            json.dumps(self.package, indent=2) + "\n", encoding="utf-8"
        )

    # --- nested service -> rows -------------------------------------------------

    def service(self, data):
        self.add("service", data)
        organization = data.get("organization")
        if organization and self.add("organization", organization):
            for record in organization.get("metadata", []):
                self.add("metadata", record)
        for phone in data.get("phones", []):
            self.phone(phone)
        for schedule in data.get("schedules", []):
            self.schedule(schedule)
        for item in data.get("additional_urls", []):
            self.add("url", item)
        for item in data.get("service_areas", []):
            self.add("service_area", item)
        for item in data.get("required_documents", []):
            self.add("required_document", item)
        for language in data.get("languages", []):
            self.add("language", language)
        self.attributes(data)
        for sal in data.get("service_at_locations", []):
            self.add("service_at_location", sal)
            for phone in sal.get("phones", []):
                self.phone(phone)
            for schedule in sal.get("schedules", []):
                self.schedule(schedule)
            if sal.get("location"):
                self.location(sal["location"])
        for record in data.get("metadata", []):
            self.add("metadata", record)

    def attributes(self, data):
        """Categories and Steward's facts (directory/hsds/facts.py), with their terms."""
        for attribute in data.get("attributes", []):
            self.add("attribute", attribute)
            term = attribute.get("taxonomy_term")
            if term:
                self.add("taxonomy_term", term)
                if term.get("taxonomy_detail"):
                    self.add("taxonomy", term["taxonomy_detail"])

    def schedule(self, schedule):
        self.add("schedule", schedule)
        self.attributes(schedule)

    def phone(self, phone):
        if self.add("phone", phone):
            for language in phone.get("languages", []):
                self.add("language", language)

    def location(self, location):
        if not self.add("location", location):
            return
        for address in location.get("addresses", []):
            self.add("address", address)
        for item in location.get("accessibility", []):
            self.add("accessibility", item)
        for phone in location.get("phones", []):
            self.phone(phone)
        for schedule in location.get("schedules", []):
            self.schedule(schedule)
        self.attributes(location)
        for record in location.get("metadata", []):
            self.add("metadata", record)


def write_csv(tmp):
    tmp.mkdir()
    tables = Tables(tmp)
    try:
        for data in services():
            organization = data.get("organization")
            if organization and organization["id"] not in tables.seen["organization"]:
                checked("organization", organization)
            tables.service(data)
    finally:
        tables.close()
    return tables.counts["service"]


def write_json(tmp, *, lines):
    count = 0
    with tmp.open("w", encoding="utf-8") as handle:
        if not lines:
            handle.write("[")
        for data in services():
            if lines:
                handle.write(json.dumps(data, ensure_ascii=False) + "\n")
            else:
                handle.write(("," if count else "") + "\n" + json.dumps(data, ensure_ascii=False))
            count += 1
        if not lines:
            handle.write("\n]\n")
    return count


WRITERS = {
    "csv": write_csv,
    "json": lambda tmp: write_json(tmp, lines=False),
    "ndjson": lambda tmp: write_json(tmp, lines=True),
}


class Command(BaseCommand):
    help = (
        "Export the listed services as HSDS 3.0: a CSV datapackage folder (default), "
        "a JSON array of nested services, or NDJSON. Every object is validated first."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="a folder for csv; a file for json and ndjson")
        parser.add_argument("--format", choices=["csv", "json", "ndjson"], default="csv")

    def handle(self, *args, out, format, **options):
        target = Path(out)
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise CommandError(f"The folder {parent} does not exist.")
        if format == "csv" and target.exists() and not target.is_dir():
            raise CommandError(f"{target} is a file; a CSV datapackage needs a folder.")
        if format != "csv" and target.is_dir():
            raise CommandError(f"{target} is a folder; --format {format} writes one file.")
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
        tmp = work / "out"
        try:
            writer = WRITERS[format]
            count = writer(tmp)
            self._replace(tmp, target)
        except InvalidObject as exc:
            raise CommandError(f"Nothing was written. {exc}") from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
        what = "datapackage" if format == "csv" else format.upper()
        self.stdout.write(f"Wrote {count} services to {target} ({what}), all valid HSDS 3.0.")

    def _replace(self, tmp, target):
        if target.is_dir():
            old = tmp.parent / "old"
            os.replace(target, old)
            os.replace(tmp, target)
        else:
            os.replace(tmp, target)
