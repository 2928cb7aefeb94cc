"""Saving a plan: one organization per transaction, its locations and services
with it, so an organization lands whole or not at all.

Re-imports find their objects through SourceRecord (source, kind, source id ->
our UUID) and compare a digest of everything the import would write: an
unchanged object is not touched, a changed one gets a new revision, published.
"""

import datetime as dt
import uuid
from collections import defaultdict
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_save
from django.utils.text import slugify

from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

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
)

from . import bulk, mapping, values

PLACEHOLDER_KEY = "__placeholder__"
CHUNK = 500
# Organizations written in one transaction (then again one by one if one fails).
BATCH_SERVICES = 1000
BATCH_GROUPS = 100


class _Group:
    def __init__(self, key, org):
        self.key, self.org = key, org
        self.locations, self.services = [], []

    @property
    def title(self):
        return self.org["fields"]["title"]


class Writer:
    """Saves the plan, one organization per transaction."""

    def __init__(self, plan, report, *, now):
        self.plan, self.report, self.now = plan, report, now
        self.source = report.source
        self.records = _records(self.source, plan)
        self.pks = {"organization": {}, "location": {}, "service": {}}
        self.slugs = {}
        self.home = None
        # Source keys of the objects of organizations that failed (nothing saved).
        self.failed_keys = set()
        self.under_placeholder = set()

    # --- planning the groups -------------------------------------------------

    def groups(self):
        plan = self.plan
        groups = {key: _Group(key, org) for key, org in plan.orgs.items()}
        placeholder = _Group(PLACEHOLDER_KEY, self._placeholder_spec())
        location_group = {}
        for key, location in plan.locations.items():
            group_key = self._location_owner(location)
            location_group[key] = group_key
            groups.get(group_key, placeholder).locations.append(location)
        for service in plan.services.values():
            org = service["org_ref"]
            if org not in plan.orgs and not org and service["links"]:
                org = location_group.get(service["links"][0]["location"])
            groups.get(org, placeholder).services.append(service)
        ordered = list(groups.values())
        if placeholder.locations or placeholder.services:
            ordered.append(placeholder)
        # Which objects go under the placeholder (unchanged.py counts them on re-import).
        self.under_placeholder = {
            *(("location", spec["key"]) for spec in placeholder.locations),
            *(("service", spec["key"]) for spec in placeholder.services),
        }
        return _order_by_links(ordered, location_group)

    def _location_owner(self, location):
        """Its own organization; else that of the first service given there."""
        if location["org_ref"] in self.plan.orgs:
            return location["org_ref"]
        if not hasattr(self, "_service_orgs"):
            self._service_orgs = {}
            for service in self.plan.services.values():
                if service["org_ref"] in self.plan.orgs:
                    for link in service["links"]:
                        self._service_orgs.setdefault(link["location"], service["org_ref"])
        return self._service_orgs.get(location["key"], PLACEHOLDER_KEY)

    def placeholder_title(self):
        return self._placeholder_spec()["fields"]["title"]

    def _placeholder_spec(self):
        title = f"Unknown organization ({self.source})"
        return {
            "key": PLACEHOLDER_KEY,
            "row": {"_file": "", "_row": ""},
            "assured": None,
            "fields": {
                "title": values.one_line(title),
                "description": (
                    f"Made by the import of “{self.source}” for services and locations whose "
                    "organization was not in the data. Give the real organization's details, "
                    "or move the services to it, and untick “needs details”."
                ),
                "needs_details": True,
            },
        }

    # --- writing ------------------------------------------------------------------

    def write(self, *, progress):
        self._create_shared()
        groups = self.groups()
        self._load_existing()
        # Indexed in batches of saved objects (bulk.index_objects), not per save.
        self.to_index = []
        with _indexing_once():
            bar = progress(groups, desc="Importing")
            for batch in _batches(groups):
                self._write_batch(batch)
                if hasattr(bar, "update"):
                    bar.update(len(batch))
                if len(self.to_index) >= bulk.INDEX_BATCH:
                    self._flush_index()
            self._flush_index()
            if hasattr(bar, "close"):
                bar.close()

    def _flush_index(self):
        if self.to_index:
            with transaction.atomic():
                bulk.index_objects(self.to_index)
            self.to_index = []

    def _create_shared(self):
        """Categories and languages, shared by every organization, first."""
        try:
            with transaction.atomic():
                self.plan.taxonomy.write(self.records)
                for language in {id(v): v for v in self.plan.languages.values()}.values():
                    if language.pk is None:
                        language.save()
        except Exception as exc:  # noqa: BLE001 - listings still land, without categories
            self.report.skip("taxonomy_term", {}, f"categories and languages not imported: {exc}")
            self.plan.languages = {k: v for k, v in self.plan.languages.items() if v.pk}
            self.records = {k: r for k, r in self.records.items() if k[0] != "taxonomy_term"}
        self.terms = self.plan.taxonomy.terms_by_ref()

    def _load_existing(self):
        models = {"organization": OrganizationPage, "location": Location, "service": ServicePage}
        keys = {
            "organization": self.plan.orgs,
            "location": self.plan.locations,
            "service": self.plan.services,
        }
        for kind, model in models.items():
            uuids = [r.object_uuid for (k, _), r in self.records.items() if k == kind]
            # Source ids that are UUIDs may name objects another source brought.
            uuids += [u for u in map(values.as_uuid, keys[kind]) if u]
            for start in range(0, len(uuids), CHUNK):
                chunk = uuids[start : start + CHUNK]
                self.pks[kind].update(
                    model.objects.filter(uuid__in=chunk).values_list("uuid", "pk")
                )

    def _write_batch(self, groups):
        """Several organizations in one transaction, their new pages and rows
        written together; if any of them fails, each is written again alone (its
        own transaction), so that one organization's failure leaves the others."""
        if len(groups) > 1:
            slugs = {pk: set(used) for pk, used in self.slugs.items()}
            try:
                self._write_groups(groups)
                return
            except Exception:  # noqa: BLE001 - retried one by one below, to name the culprit
                self.slugs = slugs
        for group in groups:
            try:
                self._write_groups([group])
            except Exception as exc:  # noqa: BLE001 - one organization's failure must not stop the rest
                self._fail(group, exc)

    def _write_groups(self, groups):
        staged = {
            "records": {},
            "pks": defaultdict(dict),
            "saved": [],
            "new_orgs": [],
            "new_locations": [],
            "new_services": [],
            "new_records": [],
            "warnings": [],
            "org_pk": {},
        }
        self.staged = staged
        with transaction.atomic():
            self._org_pages = {}
            for group in groups:
                self._write_org(group)
            self._flush_new_orgs()
            for group in groups:
                org_pk = staged["org_pk"][group.key]
                for location in group.locations:
                    self._write_location(location, org_pk, group)
            self._flush_new_locations()
            for group in groups:
                org_pk = staged["org_pk"][group.key]
                for service in group.services:
                    self._write_service(service, org_pk, group)
            self._flush_new_services()
            self._flush_records()
        self.records.update(staged["records"])
        self.to_index.extend(staged["saved"])
        for kind, pks in staged["pks"].items():
            self.pks[kind].update(pks)
        for kind, n in self.pending_counts.items():
            for outcome, count in n.items():
                self.report.count(kind, outcome, count)
        for args in staged["warnings"]:
            self.report.warn(*args)
        for group in groups:
            if group.key == PLACEHOLDER_KEY:
                self.report.placeholder_organization = group.title
                self.report.services_under_placeholder = len(group.services)
                self.report.locations_under_placeholder = len(group.locations)
            self.report.approximate_coordinates += sum(
                1 for loc in group.locations if loc["fields"]["coordinates_approximate"]
            )

    def _fail(self, group, exc):
        reason = f"organization “{group.title}” not imported, nothing of it saved: {exc}"
        self.report.failed_organizations.append((group.title, str(exc)))
        self.failed_keys.add(group.key)
        self.failed_keys.update(spec["key"] for spec in (*group.locations, *group.services))
        self.report.skip("organization", group.org["row"], reason)
        for location in group.locations:
            self.report.skip("location", location["row"], reason)
        for service in group.services:
            self.report.skip("service", service["row"], reason)

    def _home_pk(self):
        from directory.home import home_page_model

        if not hasattr(self, "_home"):
            self._home = home_page_model().objects.values_list("pk", flat=True).first()
            if self._home is None:
                raise RuntimeError("the site has no home page to put organizations under")
        return self._home

    def _home_page(self):
        """The home page, read once (new organizations go under it)."""
        if getattr(self, "_home_obj", None) is None:
            self._home_obj = Page.objects.get(pk=self._home_pk())
        return self._home_obj

    @property
    def pending_counts(self):
        return self.staged.setdefault("counts", defaultdict(lambda: defaultdict(int)))

    def _count(self, kind, outcome, n=1):
        self.pending_counts[kind][outcome] += n

    # --- records --------------------------------------------------------------------

    def _lookup(self, kind, key):
        """(record or None, uuid, existing pk or None) for a source object."""
        record = self.records.get((kind, key))
        uid = record.object_uuid if record else (values.as_uuid(key) or uuid.uuid4())
        pk = self.pks[kind].get(uid) or self.staged["pks"][kind].get(uid)
        return record, uid, pk

    def _remember(
        self, kind, key, record, uid, saved, *, digest, assured, row, modified=None, stamped=False
    ):
        pk = saved.pk
        new = record is None
        if new:
            record = SourceRecord(source=self.source, kind=kind, source_id=key, object_uuid=uid)
        record.object_uuid, record.digest = uid, digest
        record.assured_date = assured
        record.last_modified = modified
        record.raw = _raw(row)
        when = modified or assured
        if when and hasattr(saved, "last_published_at") and not stamped:
            # The source's date, not the import's, says when the listing changed.
            stamp = _noon(when, self.now)
            Page.objects.filter(pk=pk).update(last_published_at=stamp)
            saved.last_published_at = stamp
        self.staged["saved"].append(saved)
        record.source_file = str(row.get("_file", ""))[:1024]
        if new:
            # Saved with the group's other new records, in one batch (with history).
            self.staged["new_records"].append(record)
        else:
            record.save()
        self.staged["records"][(kind, key)] = record
        self.staged["pks"][kind][uid] = pk

    def _flush_records(self):
        new = self.staged["new_records"]
        if new:
            bulk.create_with_history(new, SourceRecord, now=self.now)
            new.clear()

    def _unchanged(self, kind, key, record, pk, digest, assured, modified=None):
        if not (pk and record and record.digest == digest):
            return False
        if (record.assured_date, record.last_modified) != (assured, modified):
            record.assured_date, record.last_modified = assured, modified
            record.save(update_fields=["assured_date", "last_modified"])
        self._count(kind, "unchanged")
        return True

    # --- organizations -----------------------------------------------------------------

    def _write_org(self, group):
        """Saves (or, when new and listed, stages) the group's organization; its
        pk is in staged["org_pk"] once _flush_new_orgs has run."""
        spec = group.org
        record, uid, pk = self._lookup("organization", spec["key"])
        digest = mapping.digest({"fields": spec["fields"], **_unlisted(spec)})
        if self._unchanged(
            "organization", spec["key"], record, pk, digest, spec["assured"], spec.get("modified")
        ):
            self.staged["pks"]["organization"][uid] = pk
            self.staged["org_pk"][group.key] = pk
            return
        if pk:
            page = OrganizationPage.objects.get(pk=pk)
            _assign(page, spec["fields"])
            _publish(page, spec)
            self._count("organization", "updated")
        else:
            page = OrganizationPage(uuid=uid, live=False, **spec["fields"])
            home = self._home_page()
            page.slug = self._slug(home, spec["fields"]["title"])
            self._count("organization", "created")
            if spec.get("listed", True):
                # Created with the batch's other new organizations (bulk.py).
                self.staged["new_orgs"].append((group, page, record, uid, digest, home))
                return
            # Read afresh: treebeard places the child from the parent's numchild.
            Page.objects.get(pk=home.pk).specific.add_child(instance=page)
            _publish(page, spec)
        self._remember_org(group, page, record, uid, digest, stamped=False)

    def _remember_org(self, group, page, record, uid, digest, *, stamped):
        spec = group.org
        self._org_pages[page.pk] = page
        self.staged["org_pk"][group.key] = page.pk
        self._remember(
            "organization",
            spec["key"],
            record,
            uid,
            page,
            digest=digest,
            assured=spec["assured"],
            row=spec["row"],
            modified=spec.get("modified"),
            stamped=stamped,
        )

    def _flush_new_orgs(self):
        new = self.staged["new_orgs"]
        if not new:
            return
        entries = []
        for group, page, *_, home in new:
            when = group.org.get("modified") or group.org["assured"]
            entries.append((home, page, _noon(when, self.now) if when else None))
        bulk.create_children(entries, now=self.now)
        for group, page, record, uid, digest, _home in new:
            self._remember_org(group, page, record, uid, digest, stamped=True)
        new.clear()

    def _org(self, org_pk):
        if org_pk not in self._org_pages:
            self._org_pages[org_pk] = OrganizationPage.objects.get(pk=org_pk)
        return self._org_pages[org_pk]

    def _slug(self, parent, title):
        if parent.pk not in self.slugs:
            self.slugs[parent.pk] = set(parent.get_children().values_list("slug", flat=True))
        used = self.slugs[parent.pk]
        base = slugify(title)[:200] or "listing"
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        return slug

    # --- locations ------------------------------------------------------------------------

    def _write_location(self, spec, org_pk, group):
        record, uid, pk = self._lookup("location", spec["key"])
        payload = {
            "fields": spec["fields"],
            "org": group.key,
            "phones": spec["phones"],
            "hours": spec["hours"],
        }
        digest = mapping.digest(payload)
        count = {"phone": len(spec["phones"]), "schedule": len(spec["hours"])}
        if self._unchanged("location", spec["key"], record, pk, digest, None):
            self.staged["pks"]["location"][uid] = pk
            self._count_children(count, "unchanged")
            return
        if pk:
            location = Location.objects.get(pk=pk)
            _assign(location, spec["fields"])
            location.organization_id = org_pk
            outcome = "updated"
        else:
            location = Location(uuid=uid, organization_id=org_pk, **spec["fields"])
            outcome = "created"
        old = _child_uuids(location, ("phones", "hours")) if pk else {}
        location.phones = [LocationPhone(**_child(e, old)) for e in mapping.unique(spec["phones"])]
        location.hours = [LocationSchedule(**_child(e, old)) for e in mapping.unique(spec["hours"])]
        self._count("location", outcome)
        self._count_children(count, outcome)
        if not pk:
            # Saved with the group's other new locations (bulk.py), before its services.
            self.staged["new_locations"].append((location, spec, record, uid, digest))
            return
        location.save()
        location.save_revision()
        self._count_children(count, outcome)
        self._remember(
            "location",
            spec["key"],
            record,
            uid,
            location,
            digest=digest,
            assured=None,
            row=spec["row"],
        )

    def _flush_new_locations(self):
        new = self.staged["new_locations"]
        if not new:
            return
        bulk.create_locations([location for location, *_ in new], now=self.now)
        for location, spec, record, uid, digest in new:
            self._remember(
                "location",
                spec["key"],
                record,
                uid,
                location,
                digest=digest,
                assured=None,
                row=spec["row"],
            )
        new.clear()

    def _flush_new_services(self):
        new = self.staged["new_services"]
        if not new:
            return
        entries = []
        for page, spec, *_rest, org in new:
            when = spec.get("modified") or spec["assured"]
            entries.append((org, page, _noon(when, self.now) if when else None))
        bulk.create_children(entries, now=self.now)
        for page, spec, record, uid, digest, _org in new:
            self._remember(
                "service",
                spec["key"],
                record,
                uid,
                page,
                digest=digest,
                assured=spec["assured"],
                row=spec["row"],
                modified=spec.get("modified"),
                stamped=True,
            )
        new.clear()

    def _count_children(self, counts, outcome):
        for kind, n in counts.items():
            if n:
                self._count(kind, outcome, n)

    # --- services ---------------------------------------------------------------------------

    def _write_service(self, spec, org_pk, group):
        record, uid, pk = self._lookup("service", spec["key"])
        payload = {
            "fields": spec["fields"],
            "org": group.key,
            "phones": spec["phones"],
            "hours": spec["hours"],
            "links": spec["links"],
            "categories": sorted(str(t) for t in spec["categories"]),
            "languages": sorted(spec["languages"]),
            **_unlisted(spec),
        }
        if spec.get("urls"):
            payload["urls"] = spec["urls"]
        digest = mapping.digest(payload)
        count = {"phone": len(spec["phones"]), "schedule": len(spec["hours"])}
        if self._unchanged(
            "service", spec["key"], record, pk, digest, spec["assured"], spec.get("modified")
        ):
            self.staged["pks"]["service"][uid] = pk
            self._count_children(count, "unchanged")
            return
        org = self._org(org_pk)
        if pk:
            page = ServicePage.objects.get(pk=pk)
            if not page.path.startswith(org.path) or page.depth != org.depth + 1:
                page.move(org, pos="last-child")
                page = ServicePage.objects.get(pk=pk)
                page.slug = self._slug(org, page.slug)
            _assign(page, spec["fields"])
            outcome = "updated"
        else:
            page = ServicePage(uuid=uid, live=False, **spec["fields"])
            page.slug = self._slug(org, spec["fields"]["title"])
            outcome = "created"
        self._service_children(
            page, spec, old=_child_uuids(page, ("phones", "hours", "additional_urls")) if pk else {}
        )
        self._count("service", outcome)
        self._count_children(count, outcome)
        if not pk and spec.get("listed", True):
            # Created and published with the group's other new services (bulk.py).
            self.staged["new_services"].append((page, spec, record, uid, digest, org))
            return
        if not pk:
            org.add_child(instance=page)
        _publish(page, spec)
        self._remember(
            "service",
            spec["key"],
            record,
            uid,
            page,
            digest=digest,
            assured=spec["assured"],
            row=spec["row"],
            modified=spec.get("modified"),
        )

    def _service_children(self, page, spec, *, old):
        links = []
        for link in spec["links"]:
            location = self._location_pk(link["location"])
            if location is None:
                self.staged["warnings"].append(
                    ("service", spec["row"], f"location {link['location']} was not imported")
                )
                continue
            links.append(
                ServiceAtLocation(
                    location_id=location,
                    description=link["description"],
                    source_id=link["source_id"],
                    **_kept_uuid(old, link["source_id"]),
                )
            )
        page.service_at_locations = links
        page.phones = [ServicePhone(**self._at(e, old)) for e in mapping.unique(spec["phones"])]
        page.hours = [ServiceSchedule(**self._at(e, old)) for e in mapping.unique(spec["hours"])]
        page.additional_urls = [ServiceURL(**_child(e, old)) for e in spec.get("urls", [])]
        page.categories = [self.terms[t] for t in sorted(spec["categories"]) if t in self.terms]
        languages = {self.plan.languages.get(c) for c in spec["languages"]} - {None}
        page.languages = sorted(languages, key=lambda lang: lang.code)

    def _at(self, entry, old):
        fields = _child({k: v for k, v in entry.items() if k != "location"}, old)
        if entry.get("location"):
            fields["location_id"] = self._location_pk(entry["location"])
        return fields

    def _location_pk(self, key):
        record = self.staged["records"].get(("location", key)) or self.records.get(
            ("location", key)
        )
        if record is None:
            return None
        uid = record.object_uuid
        return self.staged["pks"]["location"].get(uid) or self.pks["location"].get(uid)


def _records(source, plan):
    """(kind, source id) -> SourceRecord: the planned objects' records (not those of
    units left out as unchanged), and every other kind's (categories)."""
    records = SourceRecord.objects.filter(source=source)
    found = {(r.kind, r.source_id): r for r in records.exclude(kind__in=_OBJECT_KINDS)}
    for kind, specs in (
        ("organization", {**plan.orgs, PLACEHOLDER_KEY: None}),
        ("location", plan.locations),
        ("service", plan.services),
    ):
        keys = list(specs)
        for start in range(0, len(keys), CHUNK):
            chunk = records.filter(kind=kind, source_id__in=keys[start : start + CHUNK])
            found.update(((r.kind, r.source_id), r) for r in chunk)
    return found


_OBJECT_KINDS = ("organization", "location", "service")


def _unlisted(spec):
    """Digest part for a record the source keeps off the public site (absent
    otherwise, so digests of listed records stay as they were)."""
    return {} if spec.get("listed", True) else {"listed": False}


def _publish(page, spec):
    """Publish the new revision; a record the source does not list (iCarol's
    inactive or excluded records) is then unpublished: kept, with its history,
    and visible to editors, but not on the public site."""
    page.save_revision().publish()
    if not spec.get("listed", True):
        fresh = type(page).objects.get(pk=page.pk)
        if fresh.live:
            UnpublishPageAction(fresh, log_action=True).execute(skip_permission_checks=True)
        page.live = False


@contextmanager
def _indexing_once():
    """Saving a page runs the search and reference indexers on every save (three
    per published page); pause them and index each object once at the end."""
    models = (OrganizationPage, ServicePage, Location)
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def _batches(groups):
    """Consecutive groups of about BATCH_SERVICES services (a large one alone)."""
    batch, size = [], 0
    for group in groups:
        weight = 1 + len(group.services) + len(group.locations)
        if batch and (size + weight > BATCH_SERVICES or len(batch) >= BATCH_GROUPS):
            yield batch
            batch, size = [], 0
        batch.append(group)
        size += weight
    if batch:
        yield batch


def _raw(row):
    """The source's row as it came (before cleaning), for SourceRecord.raw."""
    return {
        str(k): (v if isinstance(v, str | int | float | bool) or v is None else str(v))
        for k, v in (row or {}).items()
        if not str(k).startswith("_")
    }


def _noon(day, now):
    """Midday of a calendar date, in the site's zone, never after `now`."""
    from django.utils import timezone

    stamp = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    return min(stamp, now)


def _assign(obj, fields):
    for name, value in fields.items():
        setattr(obj, name, value)


def _child_uuids(obj, relations):
    """source_id -> uuid of the children an object has now, so an update keeps them."""
    found = {}
    for relation in relations:
        for child in getattr(obj, relation).all():
            if child.source_id:
                found[child.source_id] = child.uuid
    if hasattr(obj, "service_at_locations"):
        for link in obj.service_at_locations.all():
            if link.source_id:
                found[link.source_id] = link.uuid
    return found


def _kept_uuid(old, source_id):
    """The child's uuid: the one it had, else its source id when that is a UUID."""
    if source_id in old:
        return {"uuid": old[source_id]}
    own = values.as_uuid(source_id) if source_id else None
    return {"uuid": own} if own else {}


def _child(entry, old):
    return {**entry, **_kept_uuid(old, entry.get("source_id"))}


def _order_by_links(groups, location_group):
    """Groups whose services use other groups' locations go after those groups."""
    by_key = {g.key: g for g in groups}
    first, later = [], []
    for group in groups:
        others = {
            location_group.get(link["location"])
            for service in group.services
            for link in service["links"]
        } - {group.key, None}
        (later if others & set(by_key) else first).append(group)
    return first + later
