"""Our published listings as HSDS 3.0 objects (plain dicts), per the compiled schemas.

Used by `manage.py export_hsds` and by the HSDS API. What goes out:

- only listed services (live, public, not defunct: `ServicePage.objects.listed()`);
- ids are our UUIDs; child rows without a UUID of their own (languages, required
  documents, service areas, category attributes) get a stable uuid5 of their
  parent and content, so exporting twice gives the same ids;
- confidential locations carry no address and no coordinates (and ZIP-centroid
  coordinates, which are ours and not the place's, are not exported either);
- no private 211 columns (SourceRecord.raw), no people;
- Steward's facts that HSDS 3.0 has no field for (the caution for referrers, the
  alert's last day, a location's confidentiality, a dated exception's kind) are
  `attribute`s with link_type "steward_fact" (directory/hsds/facts.py), so a
  Steward-to-Steward round trip keeps them;
- HSDS 3.1's `service.additional_urls` (the `url` table) is served on services:
  HSDS 3.0's schemas allow extra fields (none sets additionalProperties), so the
  objects stay valid 3.0.

Freshness and verification dates are asked through the hook point
``steward_hsds_dates`` (review registers it): ``fn(services) -> {page.pk: Dates}``.
With no answer, a listing's dates come from its import record (the source's
`assured_date`). Field-level provenance is asked through ``steward_hsds_metadata``
(history registers it): ``fn(kind, objects) -> {uuid string: [metadata dicts]}``,
``kind`` one of "service", "organization", "location".

`ServiceBatch(services)` loads everything a page of services needs in a fixed
number of queries, whatever the page holds; the functions below read only from
it. `validate(kind, obj)` checks an object against the local compiled schemas.
"""

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from wagtail import hooks

from directory.hsds import facts
from directory.models import (
    Location,
    LocationPhone,
    LocationSchedule,
    OrganizationPage,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    ServiceSchedule,
    ServiceURL,
    SourceRecord,
    Taxonomy,
    TaxonomyTerm,
)

NAMESPACE = uuid.UUID("0b6c3f0e-5a7e-4d1e-9c55-6f3c1e8a2b17")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A location's fields that say where it is: never exported for a confidential place.
PLACE_FIELDS = {
    "address_1",
    "address_2",
    "city",
    "state_province",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "addresses",
}
KINDS = (
    "service",
    "organization",
    "service_at_location",
    "location",
    "taxonomy",
    "taxonomy_term",
    "metadata",
)


@dataclass(frozen=True)
class Dates:
    """What review knows of a listing's verification (all optional)."""

    assured_date: dt.date | None = None
    last_verified_at: dt.datetime | None = None
    score: float | None = None
    verifying_organizations: int = 0


def child_id(parent, *parts):
    """A stable UUID for a child row that has none of its own."""
    raw = ":".join(str(p) for p in (parent, *parts))
    return str(uuid.uuid5(NAMESPACE, raw))


def _put(obj, key, value):
    """Set `key` unless the value is empty: HSDS leaves unknown fields out."""
    if value is None or value == "" or value == []:
        return
    obj[key] = value


def _time(value):
    return value.strftime("%H:%M") if value else None


def _date(value):
    return value.isoformat() if value else None


def _datetime(value):
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat()


# --- loading a page of services in a fixed number of queries -------------------


def listed_services():
    """The services anyone may see, in a stable order."""
    return ServicePage.objects.listed().order_by("pk")


def prefetch_services(queryset):
    """The queryset with everything the serializer reads loaded in a fixed number
    of queries, however many services, phones or hours it holds."""
    location_qs = Location.objects.prefetch_related(
        Prefetch("phones", queryset=LocationPhone.objects.order_by("sort_order", "pk")),
        Prefetch("hours", queryset=LocationSchedule.objects.order_by("sort_order", "pk")),
    )
    return queryset.prefetch_related(
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.order_by("sort_order", "pk").prefetch_related(
                Prefetch("location", queryset=location_qs)
            ),
        ),
        Prefetch("phones", queryset=ServicePhone.objects.order_by("sort_order", "pk")),
        Prefetch("hours", queryset=ServiceSchedule.objects.order_by("sort_order", "pk")),
        Prefetch("additional_urls", queryset=ServiceURL.objects.order_by("sort_order", "pk")),
        "languages",
        Prefetch(
            "categories",
            queryset=TaxonomyTerm.objects.select_related("taxonomy", "parent"),
        ),
    )


class ServiceBatch:
    """One page of services and all they need: `ServiceBatch(services)`, then
    `batch.service(s)`. A fixed number of queries for the whole page."""

    def __init__(self, services, *, metadata=True):
        services = list(services)
        needs = [s for s in services if "phones" not in getattr(s, "_prefetched_objects_cache", {})]
        if needs:
            pks = {s.pk for s in needs}
            loaded = {s.pk: s for s in prefetch_services(ServicePage.objects.filter(pk__in=pks))}
            services = [loaded.get(s.pk, s) for s in services]
        self.services = services
        org_paths = {s.path[: s.steplen * (s.depth - 1)] for s in services}
        self.organizations = {
            o.pk: o for o in OrganizationPage.objects.filter(path__in=org_paths).order_by("pk")
        }
        self.org_by_path = {o.path: o for o in self.organizations.values()}
        self.dates = dates_for(services)
        self.metadata = {}
        if metadata:
            locations = {
                link.location.pk: link.location
                for s in services
                for link in s.service_at_locations.all()
            }
            hidden = {
                str(p.uuid)
                for p in locations.values()
                if not p.address_is_public or p.possible_confidential
            }
            for kind, objects in (
                ("service", services),
                ("organization", list(self.organizations.values())),
                ("location", list(locations.values())),
            ):
                for fn in hooks.get_hooks("steward_hsds_metadata"):
                    for key, records in (fn(kind, objects) or {}).items():
                        if kind == "location" and str(key) in hidden:
                            # A confidential place's address never goes out, not
                            # even as the history of its fields.
                            records = [
                                r for r in records if r.get("field_name") not in PLACE_FIELDS
                            ]
                        self.metadata.setdefault(str(key), []).extend(records)

    def organization_of(self, service):
        return self.org_by_path.get(service.path[: service.steplen * (service.depth - 1)])

    def service(self, obj, *, full=True):
        return service(obj, full=full, batch=self)

    def __iter__(self):
        return iter(self.services)


def dates_for(services):
    """{service pk: Dates}: review's answer through `steward_hsds_dates`, else the
    import record's `assured_date`."""
    services = list(services)
    found = {}
    for fn in hooks.get_hooks("steward_hsds_dates"):
        for pk, dates in (fn(services) or {}).items():
            found.setdefault(pk, dates)
    missing = {s.uuid: s.pk for s in services if s.pk not in found}
    if missing:
        records = SourceRecord.objects.filter(
            kind="service", object_uuid__in=list(missing), assured_date__isnull=False
        ).values_list("object_uuid", "assured_date")
        for object_uuid, assured in records:
            found.setdefault(missing[object_uuid], Dates(assured_date=assured))
    return found


# --- the objects ----------------------------------------------------------------


def service(obj, *, full=True, batch=None):
    """An HSDS 3.0 service. `full=False` leaves out the nested organization and
    the locations' details (the API's `minimal` listing)."""
    batch = batch or ServiceBatch([obj])
    sid = str(obj.uuid)
    organization_page = batch.organization_of(obj)
    dates = batch.dates.get(obj.pk) or Dates()
    data = {"id": sid}
    if organization_page is not None:
        data["organization_id"] = str(organization_page.uuid)
    data["name"] = obj.title
    _put(data, "alternate_name", obj.alternate_name)
    _put(data, "description", obj.description)
    _put(data, "url", obj.website)
    _put(data, "email", obj.email)
    data["status"] = obj.status
    for name in (
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "eligibility_description",
    ):
        _put(data, name, getattr(obj, name))
    _put(data, "minimum_age", obj.minimum_age)
    _put(data, "maximum_age", obj.maximum_age)
    assured = dates.assured_date
    if dates.last_verified_at and (assured is None or dates.last_verified_at.date() > assured):
        assured = dates.last_verified_at.date()
    _put(data, "assured_date", _date(assured))
    alert = obj.current_alert()
    _put(data, "alert", alert)
    _put(data, "last_modified", _datetime(obj.last_published_at))

    links = list(obj.service_at_locations.all())
    at_location = {link.location_id: link for link in links}
    data["phones"] = [
        phone(p, service_id=sid) for p in obj.phones.all() if p.location_id not in at_location
    ]
    data["schedules"] = [
        schedule(h, service_id=sid) for h in obj.hours.all() if h.location_id not in at_location
    ]
    data["additional_urls"] = [additional_url(u, service_id=sid) for u in obj.additional_urls.all()]
    data["service_areas"] = (
        [{"id": child_id(sid, "service_area"), "service_id": sid, "name": obj.service_area}]
        if obj.service_area
        else []
    )
    data["service_at_locations"] = [
        service_at_location(link, service_obj=obj, full=full, batch=batch) for link in links
    ]
    data["languages"] = [
        {"id": child_id(sid, "language", lang.code), "service_id": sid, "name": lang.name}
        | ({"code": lang.code} if lang.code else {})
        for lang in obj.languages.all()
    ]
    if full and organization_page is not None:
        data["organization"] = organization(organization_page, batch=batch, services=None)
    data["required_documents"] = [
        {"id": child_id(sid, "document", n, line), "service_id": sid, "document": line}
        for n, line in enumerate(
            line.strip() for line in obj.required_documents.splitlines() if line.strip()
        )
    ]
    data["attributes"] = [category_attribute(term, link_id=sid) for term in obj.categories.all()]
    if obj.caution:
        data["attributes"].append(facts.attribute("caution", sid, obj.caution))
    if alert and obj.alert_expires:
        data["attributes"].append(facts.attribute("alert_expires", sid, _date(obj.alert_expires)))
    data["metadata"] = batch.metadata.get(sid, []) + freshness_metadata(sid, dates)
    return data


def additional_url(obj, *, service_id):
    """An HSDS 3.1 `url` row of a service."""
    data = {"id": str(obj.uuid), "url": obj.url, "service_id": service_id}
    _put(data, "label", obj.label)
    return data


def category_attribute(term, *, link_id):
    return {
        "id": child_id(link_id, "category", term.uuid),
        "link_id": link_id,
        "taxonomy_term_id": str(term.uuid),
        "link_type": "service_category",
        "link_entity": "service",
        "taxonomy_term": taxonomy_term(term),
    }


def freshness_metadata(resource_id, dates):
    """Steward's verification as an HSDS `metadata` record (no person named)."""
    when = dates.last_verified_at.date() if dates.last_verified_at else dates.assured_date
    if when is None:
        return []
    if dates.last_verified_at:
        who = "Steward: verified by professionals"
        if dates.verifying_organizations:
            who = f"Steward: verified by {dates.verifying_organizations} organization(s)"
    else:
        who = "Steward: the import source's last verification"
    value = when.isoformat()
    if dates.score is not None:
        value += f" (freshness {dates.score:.2f})"
    return [
        {
            "id": child_id(resource_id, "verified", when.isoformat()),
            "resource_id": resource_id,
            "resource_type": "service",
            "last_action_date": when.isoformat(),
            "last_action_type": "verify",
            "field_name": "assured_date",
            "previous_value": "",
            "replacement_value": value,
            "updated_by": who,
        }
    ]


def phone(obj, *, service_id=None, location_id=None, service_at_location_id=None):
    pid = str(obj.uuid)
    data = {"id": pid}
    _put(data, "location_id", location_id)
    _put(data, "service_id", service_id)
    _put(data, "service_at_location_id", service_at_location_id)
    data["number"] = obj.number
    if obj.extension and obj.extension.isdigit():
        data["extension"] = int(obj.extension)
    _put(data, "type", obj.type)
    _put(data, "description", obj.description)
    data["languages"] = (
        [{"id": child_id(pid, "language", obj.language), "phone_id": pid, "name": obj.language}]
        if obj.language
        else []
    )
    return data


def schedule(obj, *, service_id=None, location_id=None, service_at_location_id=None):
    """An HSDS schedule: weekly rows as a weekly RRULE, rules as they are, dated
    exceptions by their dates, hours said in words by their description."""
    data = {"id": str(obj.uuid)}
    _put(data, "service_id", service_id)
    _put(data, "location_id", location_id)
    _put(data, "service_at_location_id", service_at_location_id)
    _put(data, "valid_from", _date(obj.valid_from))
    _put(data, "valid_to", _date(obj.valid_to))
    if obj.weekday:
        data["freq"] = "WEEKLY"
        data["byday"] = WEEKDAYS[obj.weekday - 1]
    elif obj.rule:
        parts = dict(p.split("=", 1) for p in obj.rule.split(";") if "=" in p)
        if parts.get("FREQ") in ("WEEKLY", "MONTHLY"):
            data["freq"] = parts["FREQ"]
            if parts.get("INTERVAL", "").isdigit():
                data["interval"] = int(parts["INTERVAL"])
            for key in ("BYDAY", "BYMONTHDAY", "BYWEEKNO", "BYYEARDAY"):
                _put(data, key.lower(), parts.get(key))
    description = obj.description
    if obj.is_exception and obj.valid_from and obj.closed:
        description = description or "Closed"
    if not obj.closed:
        opens, closes = obj.opens_at, obj.closes_at
        if opens is not None and opens == closes:
            # Open 24 hours: HSDS field guidance says 00:00 to 23:59.
            closes = (
                dt.datetime.combine(dt.date(2000, 1, 2), opens) - dt.timedelta(minutes=1)
            ).time()
        _put(data, "opens_at", _time(opens))
        _put(data, "closes_at", _time(closes))
    _put(data, "description", description)
    if obj.is_exception and obj.valid_from:
        kind = facts.CLOSED if obj.closed else facts.SPECIAL_HOURS
        data["attributes"] = [facts.attribute("exception", data["id"], kind)]
    return data


def service_at_location(obj, *, service_obj=None, full=True, batch=None):
    service_obj = service_obj or obj.service
    sid, lid = str(service_obj.uuid), str(obj.location.uuid)
    salid = str(obj.uuid)
    data = {"id": salid, "service_id": sid, "location_id": lid}
    _put(data, "description", obj.description)
    data["phones"] = [
        phone(p, service_id=sid, service_at_location_id=salid)
        for p in service_obj.phones.all()
        if p.location_id == obj.location_id
    ]
    data["schedules"] = [
        schedule(h, service_id=sid, service_at_location_id=salid)
        for h in service_obj.hours.all()
        if h.location_id == obj.location_id
    ]
    data["location"] = location(obj.location, full=full, batch=batch)
    return data


def location(obj, *, full=True, batch=None):
    """An HSDS location. A confidential one has no address and no coordinates."""
    lid = str(obj.uuid)
    data = {"id": lid, "location_type": "physical"}
    data["organization_id"] = str(obj.organization.uuid) if batch is None else None
    if batch is not None:
        org = batch.organizations.get(obj.organization_id)
        data["organization_id"] = str(org.uuid) if org else None
    if data["organization_id"] is None:
        del data["organization_id"]
    data["name"] = obj.name
    _put(data, "alternate_name", obj.alternate_name)
    _put(data, "description", obj.description)
    _put(data, "transportation", obj.transportation)
    public = obj.address_is_public and not obj.possible_confidential
    if public and obj.has_coordinates and not obj.coordinates_approximate:
        data["latitude"] = obj.latitude
        data["longitude"] = obj.longitude
    data["addresses"] = []
    if public and (obj.address_1 or obj.city or obj.postal_code):
        data["addresses"].append(
            {
                "id": child_id(lid, "address"),
                "location_id": lid,
                "address_1": obj.address_1,
                **({"address_2": obj.address_2} if obj.address_2 else {}),
                "city": obj.city,
                "state_province": obj.state_province,
                "postal_code": obj.postal_code,
                "country": obj.country,
                "address_type": "physical",
            }
        )
    data["accessibility"] = [
        {"id": child_id(lid, "accessibility", n), "location_id": lid, "description": line}
        for n, line in enumerate(
            line.strip() for line in obj.accessibility.splitlines() if line.strip()
        )
    ]
    data["phones"] = [phone(p, location_id=lid) for p in obj.phones.all()]
    data["schedules"] = [schedule(h, location_id=lid) for h in obj.hours.all()]
    if not obj.address_is_public or obj.possible_confidential:
        said = facts.CONFIDENTIAL if not obj.address_is_public else facts.POSSIBLY_CONFIDENTIAL
        data["attributes"] = [facts.attribute("confidential", lid, said)]
    if batch is not None:
        data["metadata"] = batch.metadata.get(lid, [])
    return data


def organization(obj, *, full_service=False, batch=None, services=()):
    """An HSDS organization. `services` (default: its listed services) are nested
    as full services with `full_service`, else without their organization."""
    oid = str(obj.uuid)
    data = {"id": oid, "name": obj.title, "description": obj.description or ""}
    _put(data, "alternate_name", obj.alternate_name)
    _put(data, "email", obj.email)
    _put(data, "website", obj.website)
    _put(data, "year_incorporated", obj.year_incorporated)
    _put(data, "legal_status", obj.legal_status)
    if services is not None:
        if services == ():
            services = listed_services().child_of(obj)
        inner = ServiceBatch(services) if batch is None else batch
        data["services"] = [
            service(s, full=full_service, batch=inner)
            for s in inner
            if inner.organization_of(s) == obj
        ]
        if full_service:
            for s in data["services"]:
                s.pop("organization", None)
    if batch is not None:
        data["metadata"] = batch.metadata.get(oid, [])
    return data


def taxonomy(obj):
    data = {"id": str(obj.uuid), "name": obj.name, "description": obj.description or ""}
    _put(data, "uri", obj.uri)
    _put(data, "version", obj.version)
    return data


def taxonomy_term(obj):
    data = {"id": str(obj.uuid)}
    _put(data, "code", obj.code)
    data["name"] = obj.name
    data["description"] = obj.description or ""
    if obj.parent_id:
        data["parent_id"] = str(obj.parent.uuid)
    data["taxonomy"] = obj.taxonomy.name
    data["taxonomy_detail"] = taxonomy(obj.taxonomy)
    data["taxonomy_id"] = str(obj.taxonomy.uuid)
    return data


def taxonomies():
    return Taxonomy.objects.order_by("pk")


def taxonomy_terms():
    return TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("pk")


# --- validation -------------------------------------------------------------------


# The HSDS 3.0 schema files this project validates against and serves, shipped in
# the repository (directory/hsds/schema/, copied unchanged from the Open Referral
# specification 3.0; tests/directory/test_hsds_schema_copy.py catches drift from
# ../shared). The one-table files reference one another by file name; the nested
# objects (service, organization, service_at_location) are validated through those
# references, which is what the 2-3 MB compiled files inline. settings.HSDS_SCHEMA_DIR
# may point at another copy laid out the same way.
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


def schema_dir():
    return Path(getattr(settings, "HSDS_SCHEMA_DIR", None) or SCHEMA_DIR)


@cache
def _registry():
    """The local schema files, under their file names and under the https
    addresses that the HSDS files use for one another."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = []
    base = schema_dir()
    for path in [*base.glob("*.json"), *(base / "compiled").glob("*.json")]:
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        rel = path.relative_to(base).as_posix()
        for uri in (
            rel,
            f"https://openreferral.org/imports/hsds/schema/{rel}",
            f"https://raw.githubusercontent.com/openreferral/specification/3.0/schema/{rel}",
            path.as_uri(),
        ):
            resources.append((uri, resource))
    return Registry().with_resources(resources)


def _schema_for(kind):
    base = schema_dir()
    compiled = base / "compiled" / f"{kind}.json"
    path = compiled if compiled.exists() else base / f"{kind}.json"
    return json.loads(path.read_text(encoding="utf-8")), path


@cache
def validator(kind):
    from jsonschema import Draft202012Validator, FormatChecker

    if kind not in KINDS:
        raise ValueError(f"Unknown HSDS kind {kind!r}; use one of {KINDS}.")
    schema, path = _schema_for(kind)
    schema = {**schema, "$id": path.as_uri()}
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def validate(kind, obj):
    """The schema errors of `obj` as an HSDS `kind`, as readable strings ([] if valid)."""
    errors = sorted(validator(kind).iter_errors(obj), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(object)'}: {e.message}" for e in errors
    ]
