"""AIRS XML 3.0, as iCarol exports it: <Source><Agency><Site><SiteService>.

Agencies become organizations, sites locations, site services services (one
service listed under several sites is one service given at each). Parsed with
defusedxml. A `Confidential="true"` address makes a confidential location; a
confidential phone is left out. Contacts (`ResourceInfo/Contact`: names,
titles, emails, phones of staff and verifiers) are private and never read.

An agency that cannot stand (no key or no name) is reported with its file,
element and reason, with its sites and services; the other agencies are read.
"""

import re

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ..readers import PackageError
from ..taxonomy import term_name
from .common import clean, phone_label, phone_type_for, yes

TAXONOMY = "AIRS/211 Taxonomy"
_CODE_RE = re.compile(r"^[A-Z]{1,2}(?:-\d{4}(?:\.\d{4}(?:-\d{3}(?:\.\d{2})?)?)?)?$")
_HEAD_RE = re.compile(rb"<Source\b[^>]*>\s*(?:<!--.*?-->\s*)*<Agency\b|AIRS_XSD", re.S)


def claims(name, head):
    return bool(head.lstrip().startswith((b"<?xml", b"<Source", b"\xef\xbb\xbf<"))) and bool(
        _HEAD_RE.search(head)
    )


def read(package, files):
    for name, read_bytes in files:
        try:
            root = ElementTree.fromstring(read_bytes())
        except (ElementTree.ParseError, DefusedXmlException) as exc:
            raise PackageError(f"{name} is not readable XML: {exc}") from exc
        if _tag(root) != "Source":
            raise PackageError(f"{name}: the root element is <{_tag(root)}>, not AIRS <Source>")
        entity = source_name(clean(root.get("SourceEntity")))
        if entity and package.name != entity:
            # Every file a 211 exports names it: re-imports of newer files update
            # what earlier ones created, whatever the files are called.
            package.name = entity
        _Reader(package, name.rsplit("/", 1)[-1]).source(root)
        package.files.append(name)


# iCarol writes its internal owner number into SourceEntity:
# "BC 211 RecordOwner = 2252 - Vancouver, BC". Listings show the source's name.
_RECORD_OWNER = re.compile(r"^(?P<name>.+?)\s+RecordOwner\s*=\s*[^-]*?(?:-\s*(?P<place>.+))?$")


def source_name(entity):
    """The 211's name as people know it: "BC 211 (Vancouver, BC)"."""
    match = _RECORD_OWNER.match(entity or "")
    if not match:
        return entity
    place = (match.group("place") or "").strip()
    return f"{match.group('name')} ({place})" if place else match.group("name")


def _tag(element):
    return element.tag.rsplit("}", 1)[-1]


def _kids(element, tag):
    return [e for e in element if _tag(e) == tag]


def _text(element, path):
    for part in path.split("/"):
        if element is None:
            return ""
        found = _kids(element, part)
        element = found[0] if found else None
    return clean(element.text) if element is not None and element.text else ""


class _Reader:
    def __init__(self, package, file):
        self.package, self.file = package, file
        self.seen_services = set()

    def origin(self, where):
        return {"_file": self.file, "_row": where}

    def add(self, table, values, where):
        values = {k: v for k, v in values.items() if v not in ("", None)}
        self.package.tables.setdefault(table, []).append({**values, **self.origin(where)})

    def source(self, root):
        for index, agency in enumerate(_kids(root, "Agency"), 1):
            self.agency(agency, index)

    def agency(self, agency, index):
        key, name = _text(agency, "Key"), _text(agency, "Name")
        where = f"<Agency> {index}" + (f" (Key {key})" if key else "")
        problem = "agency has no <Key>" if not key else ("agency has no <Name>" if not name else "")
        if problem:
            origin = self.origin(where)
            self.package.skipped.append(("organization", origin, f"{problem}; not imported"))
            for site in _kids(agency, "Site"):
                for service in _kids(site, "SiteService"):
                    label = _text(service, "Name") or _text(service, "Key")
                    reason = f"service “{label}” not imported: its agency is invalid ({problem})"
                    self.package.skipped.append(("service", origin, reason))
            return
        listed = not (
            yes(agency.get("ExcludeFromWebsite")) or yes(agency.get("ExcludeFromDirectory"))
        )
        verified = _resource_info(agency)
        self.add(
            "organizations",
            {
                "id": key,
                "name": name,
                "alternate_name": _text(agency, "AKA/Name"),
                "description": _text(agency, "AgencyDescription"),
                "website": _text(agency, "URL/Address"),
                "email": _text(agency, "Email/Address"),
                "legal_status": clean(agency.get("LegalStatus")).replace("None or unknown", ""),
                "last_verified_on": verified.get("DateLastVerified", ""),
                "last_modified": verified.get("DateOfLastAction", ""),
                "listed": "" if listed else "false",
            },
            where,
        )
        self.agency_text = _text(agency, "AgencyDescription")
        for site_index, site in enumerate(_kids(agency, "Site"), 1):
            self.site(site, key, listed, f"{where} <Site> {site_index}")

    def site(self, site, agency_key, listed, where):
        key = _text(site, "Key")
        if not key:
            self.package.skipped.append(("location", self.origin(where), "site has no <Key>"))
            return
        location_id = f"site-{key}"
        physical = _kids(site, "PhysicalAddress")
        mailing = _kids(site, "MailingAddress")
        confidential = any(yes(a.get("Confidential")) for a in physical + mailing)
        self.add(
            "locations",
            {
                "id": location_id,
                "organization_id": agency_key,
                "name": _text(site, "Name"),
                "alternate_name": _text(site, "AKA/Name"),
                "description": _own_description(site, self.agency_text),
                "latitude": _text(site, "SpatialLocation/Latitude"),
                "longitude": _text(site, "SpatialLocation/Longitude"),
                "address_private": "true" if confidential else "",
            },
            where,
        )
        for kind, addresses in (("physical", physical), ("postal", mailing)):
            for address in addresses[:1]:
                self.add(
                    "addresses",
                    {
                        "id": f"{location_id}-{kind}",
                        "location_id": location_id,
                        "address_type": kind,
                        "address_1": _text(address, "Line1"),
                        "address_2": _text(address, "Line2"),
                        "city": _text(address, "City"),
                        "state_province": _text(address, "State"),
                        "postal_code": _text(address, "ZipCode"),
                        "country": _country(_text(address, "Country")),
                    },
                    where,
                )
        self.phones(site, {"location_id": location_id}, where)
        for service_index, service in enumerate(_kids(site, "SiteService"), 1):
            self.service(
                service, agency_key, location_id, listed, f"{where} <SiteService> {service_index}"
            )

    def service(self, service, agency_key, location_id, listed, where):
        key = _text(service, "Key")
        if not key:
            self.package.skipped.append(("service", self.origin(where), "service has no <Key>"))
            return
        self.add(
            "service_at_location",
            {"id": f"{key}@{location_id}", "service_id": key, "location_id": location_id},
            where,
        )
        if key in self.seen_services:
            return  # the same service at another site: one service, one more place
        self.seen_services.add(key)
        verified = _resource_info(service)
        area = ", ".join(
            p
            for p in (
                _text(service, "GeographicAreaServed/City"),
                _text(service, "GeographicAreaServed/County"),
                _text(service, "GeographicAreaServed/State"),
                _text(service, "GeographicAreaServed/Country"),
            )
            if p
        )
        self.add(
            "services",
            {
                "id": key,
                "organization_id": agency_key,
                "name": _text(service, "Name"),
                "alternate_name": _text(service, "AKA/Name"),
                "description": _text(service, "Description"),
                "url": _text(service, "URL/Address"),
                "email": _text(service, "Email/Address"),
                "eligibility_description": _text(service, "Eligibility"),
                "fees_description": _text(service, "FeeStructure"),
                "application_process": _text(service, "ApplicationProcess"),
                "required_documents": _text(service, "DocumentsRequired"),
                "hours_of_operation": _text(service, "TimeOpen/Notes")
                or _text(service, "TimeOpen"),
                "last_verified_on": verified.get("DateLastVerified", ""),
                "last_modified": verified.get("DateOfLastAction", ""),
                "listed": "" if listed else "false",
            },
            where,
        )
        if area:
            self.add("service_areas", {"service_id": key, "name": area}, where)
        self.phones(service, {"service_id": key}, where)
        for language in _kids(service, "Languages"):
            for name in _kids(language, "Name"):
                text = clean(name.text)
                if text and not text.lower().startswith("interpretation"):
                    self.add("languages", {"service_id": key, "name": text}, where)
                elif text:
                    self.package.tables.setdefault("services", [])[-1].setdefault(
                        "interpretation_services", text
                    )
        for taxonomy in _kids(service, "Taxonomy"):
            code = _text(taxonomy, "Code")
            if not _CODE_RE.match(code):
                continue  # iCarol's facet strings ({what:'…'}) are not codes
            self.add(
                "taxonomy_terms",
                {
                    "id": code,
                    "code": code,
                    "name": _text(taxonomy, "Name") or term_name(code),
                    "taxonomy": TAXONOMY,
                },
                where,
            )
            self.add("service_taxonomy", {"service_id": key, "taxonomy_term_id": code}, where)

    def phones(self, element, parent, where):
        owner = next(iter(parent.values()))
        for index, phone in enumerate(_kids(element, "Phone"), 1):
            number = _text(phone, "PhoneNumber")
            if not number or yes(phone.get("Confidential")):
                continue
            label = _text(phone, "Type") or _text(phone, "Description")
            if label.lower() == "phone1":
                label = "Main"
            elif re.fullmatch(r"phone\d", label.lower()):
                label = ""
            if yes(phone.get("TollFree")):
                label = f"{label} (toll-free)".strip() if label else "Toll-free"
            self.add(
                "phones",
                {
                    **parent,
                    "id": f"{owner}-phone-{index}",
                    "number": number,
                    "type": phone_type_for(label),
                    "description": phone_label(label, phone_type_for(label)),
                },
                where,
            )


def _own_description(site, agency_text):
    """The site's description, unless it only repeats its agency's or its
    service's (iCarol copies one text into all three)."""
    text = _text(site, "SiteDescription")
    repeats = {agency_text, *(_text(s, "Description") for s in _kids(site, "SiteService"))}
    return "" if text in repeats else text


def _resource_info(element):
    info = _kids(element, "ResourceInfo")
    return {k: clean(v) for k, v in info[0].attrib.items()} if info else {}


_COUNTRIES = {"canada": "CA", "united states": "US", "usa": "US"}


def _country(value):
    return _COUNTRIES.get(value.lower(), value)
