"""The Ohana API's JSON: organizations with their locations, each location with
its address, phones, hours and services; or locations with their organization
inside. A JSON array, one object, or one object per line (NDJSON).

Told apart from HSDS 3.0 JSON by its shape: Ohana nests services in locations
and gives a location one `address` object, where HSDS gives `addresses`.
"""

import json
import re

from ..readers import PackageError
from .common import clean

OPEN_ELIGIBILITY = "Open Eligibility"
SUFFIXES = (".json", ".ndjson", ".jsonl")


def claims(name, head):
    if not name.lower().endswith(SUFFIXES):
        return False
    text = head.decode("utf-8-sig", errors="replace")
    # Enough of the first object to see its shape, without reading the file.
    # Organizations holding locations, or locations holding their organization,
    # each location with one "address" object and its services.
    nested = _KEY("locations", "[").search(text) or (
        _KEY("organization", "{").search(text) and _KEY("services", "[").search(text)
    )
    ohana_location = _KEY("address", "{").search(text) or _KEY("regular_schedules", "[").search(
        text
    )
    hsds = _KEY("addresses", "[").search(text) or _KEY("service_at_locations", "[").search(text)
    return bool(nested and ohana_location and not hsds)


def _KEY(name, opener):  # noqa: N802 - reads as a pattern
    """A JSON key holding an object ("{") or a list ("[")."""
    return re.compile(rf'"{name}"\s*:\s*{re.escape(opener)}')


def _objects(name, raw):
    text = raw.decode("utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                data.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise PackageError(f"{name} line {number} is not valid JSON: {exc}") from exc
        return [(obj, n) for n, obj in enumerate(data, 1)]
    items = data if isinstance(data, list) else [data]
    return [(obj, n) for n, obj in enumerate(items, 1)]


def read(package, files):
    for name, read_bytes in files:
        reader = _Reader(package, name.rsplit("/", 1)[-1])
        for obj, number in _objects(name, read_bytes()):
            if not isinstance(obj, dict):
                package.skipped.append(
                    ("organization", {"_file": reader.file, "_row": number}, "not a JSON object")
                )
                continue
            if isinstance(obj.get("organization"), dict) and "locations" not in obj:
                organization = dict(obj["organization"])
                organization["locations"] = [obj]
                reader.organization(organization, number)
            else:
                reader.organization(obj, number)
        package.files.append(name)


def _list(obj, key):
    found = obj.get(key)
    return found if isinstance(found, list) else []


def _s(value):
    return clean(value) if not isinstance(value, (dict, list)) and value is not None else ""


class _Reader:
    def __init__(self, package, file):
        self.package, self.file = package, file
        self.seen = set()

    def add(self, table, values, number):
        values = {k: v for k, v in values.items() if v not in ("", None)}
        values["_file"], values["_row"] = self.file, number
        self.package.tables.setdefault(table, []).append(values)

    def organization(self, obj, number):
        oid = _s(obj.get("id"))
        if ("organization", oid) not in self.seen:
            self.seen.add(("organization", oid))
            self.add(
                "organizations",
                {
                    "id": oid,
                    "name": _s(obj.get("name")),
                    "alternate_name": _s(obj.get("alternate_name")),
                    "description": _s(obj.get("description")),
                    "website": _s(obj.get("website")),
                    "email": _s(obj.get("email")),
                    "legal_status": _s(obj.get("legal_status")),
                    "year_incorporated": _s(obj.get("date_incorporated")),
                },
                number,
            )
        for location in _list(obj, "locations"):
            if isinstance(location, dict):
                self.location(location, oid, number)

    def location(self, obj, oid, number):
        lid = _s(obj.get("id"))
        self.add(
            "locations",
            {
                "id": lid,
                "organization_id": oid,
                "name": _s(obj.get("name")),
                "alternate_name": _s(obj.get("alternate_name")),
                "description": _s(obj.get("description")) or _s(obj.get("short_desc")),
                "transportation": _s(obj.get("transportation")),
                "latitude": _s(obj.get("latitude")),
                "longitude": _s(obj.get("longitude")),
                "virtual": "true" if obj.get("virtual") else "",
            },
            number,
        )
        for kind, key in (("physical", "address"), ("postal", "mail_address")):
            address = obj.get(key)
            if isinstance(address, dict):
                self.add(
                    "addresses",
                    {
                        "location_id": lid,
                        "address_type": kind,
                        **{
                            k: _s(address.get(k))
                            for k in (
                                "address_1",
                                "address_2",
                                "city",
                                "state_province",
                                "postal_code",
                                "country",
                            )
                        },
                    },
                    number,
                )
        labels = [_s(a) for a in _list(obj, "accessibility") if _s(a)]
        if labels:
            from ..readers import OHANA_ACCESSIBILITY

            text = ", ".join(OHANA_ACCESSIBILITY.get(code, code) for code in labels)
            self.add("accessibility", {"location_id": lid, "description": text}, number)
        for language in _list(obj, "languages"):
            self.add("languages", {"location_id": lid, "name": _s(language)}, number)
        self.phones(obj, {"location_id": lid}, number)
        self.hours(obj, {"location_id": lid}, number)
        for service in _list(obj, "services"):
            if isinstance(service, dict):
                self.service(service, oid, lid, number)

    def service(self, obj, oid, lid, number):
        sid = _s(obj.get("id"))
        if lid:
            self.add("service_at_location", {"service_id": sid, "location_id": lid}, number)
        if ("service", sid) in self.seen:
            return
        self.seen.add(("service", sid))
        self.add(
            "services",
            {
                "id": sid,
                "organization_id": oid,
                "name": _s(obj.get("name")),
                "alternate_name": _s(obj.get("alternate_name")),
                "description": _s(obj.get("description")),
                "status": _s(obj.get("status")),
                "url": _s(obj.get("website")),
                "email": _s(obj.get("email")),
                "eligibility_description": "\n".join(
                    p for p in (_s(obj.get("audience")), _s(obj.get("eligibility"))) if p
                ),
                "fees_description": _s(obj.get("fees")),
                "application_process": _s(obj.get("application_process")),
                "interpretation_services": _s(obj.get("interpretation_services")),
                "wait_time": _s(obj.get("wait_time")),
                "required_documents": "\n".join(
                    _s(d) for d in _list(obj, "required_documents") if _s(d)
                ),
            },
            number,
        )
        for area in _list(obj, "service_areas"):
            self.add("service_areas", {"service_id": sid, "name": _s(area)}, number)
        for language in _list(obj, "languages"):
            self.add("languages", {"service_id": sid, "name": _s(language)}, number)
        for category in _list(obj, "categories"):
            code = _s(category.get("taxonomy_id")) if isinstance(category, dict) else ""
            if code:
                self.add(
                    "service_taxonomy",
                    {"service_id": sid, "code": code, "taxonomy": OPEN_ELIGIBILITY},
                    number,
                )
        self.phones(obj, {"service_id": sid}, number)
        self.hours(obj, {"service_id": sid}, number)

    def phones(self, obj, parent, number):
        for phone in _list(obj, "phones"):
            if isinstance(phone, dict):
                self.add(
                    "phones",
                    {
                        **parent,
                        "number": _s(phone.get("number")),
                        "type": _s(phone.get("number_type")),
                        "extension": _s(phone.get("extension")),
                        "description": _s(phone.get("department")),
                    },
                    number,
                )

    def hours(self, obj, parent, number):
        for row in _list(obj, "regular_schedules"):
            if isinstance(row, dict):
                self.add(
                    "schedules",
                    {
                        **parent,
                        "weekday": _s(row.get("weekday")),
                        "opens_at": _s(row.get("opens_at")),
                        "closes_at": _s(row.get("closes_at")),
                    },
                    number,
                )
        for row in _list(obj, "holiday_schedules"):
            if isinstance(row, dict):
                self.add(
                    "schedules",
                    {
                        **parent,
                        "_holiday": "1",
                        "closed": "true" if row.get("closed") else "",
                        "valid_from": _s(row.get("start_date")),
                        "valid_to": _s(row.get("end_date")),
                        "opens_at": _s(row.get("opens_at")),
                        "closes_at": _s(row.get("closes_at")),
                    },
                    number,
                )
