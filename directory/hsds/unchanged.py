"""Unchanged source records are skipped before any planning.

The rows of a package are split into *units*: the organizations, services and
locations that point at one another (a service and its organization, a place and
the services given there, their phones, hours, languages, categories, ...), with
every row that points at one of them. A unit is what one organization's listings
are made of; units that share a row (a service given at another organization's
place) are one unit.

Each unit has a content hash: its rows, normalized (file and row numbers left
out, rows sorted, so a shuffled file hashes alike), the shared tables (the
taxonomy) and the importer's own code and crosswalk (a new cleaning rule plans
everything again). The hash is kept in a `SourceRowsDigest`, one per unit, whose
`contents` names the unit's members and objects. On the next import of the
same source, a unit whose hash is the same, and whose objects are all still there,
is left out of the package before planning and counted as unchanged; every other
unit goes the full path (plan, per-object digests, revisions).

A unit's record is written only when all of it landed, and is dropped when any of
it failed or when the unit's membership changed (records sharing a member are
deleted), so a stale hash never hides a change.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.db import transaction

from . import bulk
from .report import Issue

# Tables shared by every unit: a change in them plans every unit again.
SHARED = ("taxonomy_terms", "taxonomies")
# Tables whose rows are objects, and the node each row's id names.
OWNERS = {"organizations": "org", "services": "service", "locations": "location"}
# Columns that point at a row of another table, and the node they name.
REFS = {
    "organization_id": "org",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "sal",
    "contact_id": "contact",
    "phone_id": "phone",
}
# HSDS attributes' link_entity -> node.
ENTITIES = {"organization": "org", "service": "service", "location": "location"}
# Rows of these tables are named by their own id too (other rows point at them).
NAMED = {"service_at_location": "sal", "contacts": "contact", "phones": "phone"}
LEFT_OUT = ("_file", "_row", "_source_id")
CHUNK = 500


@cache
def importer_version():
    """A hash of the importer's code and data: what turns rows into listings."""
    here = Path(__file__).resolve().parent
    files = sorted(here.glob("*.py")) + sorted(here.glob("formats/*.py"))
    files += sorted((here.parent / "data").glob("*.json"))
    h = hashlib.sha256()
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _key(value):
    return str(value).strip()[:255]


class _Units:
    """Union-find over nodes ("org", id), ("service", id), ..."""

    def __init__(self):
        self.parent = {}

    def find(self, node):
        parent = self.parent.setdefault(node, node)
        while parent != node:
            grand = self.parent[parent]
            self.parent[node] = grand
            node, parent = parent, grand
        return node

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _normal(table, row):
    """One line per row: its table and its columns, in order, file position left out
    (the unit's lines are sorted: a shuffled file gives the same hash)."""
    parts = [f"{k}\x1f{v}" for k, v in row.items() if k not in LEFT_OUT]
    parts.sort()
    return table + "\x1e" + "\x1e".join(parts)


class UnitHashes:
    """The package's units and their hashes (computed from the rows as read)."""

    def __init__(self, package):
        self.package = package
        units = _Units()
        placed = []  # (table, row, nodes)
        orphans = []
        for table, rows in package.tables.items():
            if table in SHARED:
                continue
            for row in rows:
                nodes = []
                own = OWNERS.get(table) or NAMED.get(table)
                if own and not _blank(row.get("id")):
                    nodes.append((own, _key(row["id"])))
                # (An object without an id has a natural key from its content and
                # parent: it is part of its parent's unit.)
                for column, kind in REFS.items():
                    if not _blank(row.get(column)):
                        nodes.append((kind, _key(row[column])))
                if table == "attributes" and not _blank(row.get("link_id")):
                    entity = str(row.get("link_entity") or "").strip().lower() or "service"
                    nodes.append((ENTITIES.get(entity, entity), _key(row["link_id"])))
                if not nodes:
                    orphans.append((table, row))
                    continue
                for node in nodes[1:]:
                    units.union(nodes[0], node)
                placed.append((table, row, nodes[0]))
        self.unit_of_row = {}
        members = {}
        lines = {}
        for table, row, node in placed:
            root = units.find(node)
            self.unit_of_row[id(row)] = root
            lines.setdefault(root, []).append(_normal(table, row))
        for node in units.parent:
            if node[0] in ("org", "service", "location"):
                members.setdefault(units.find(node), set()).add(f"{node[0]}:{node[1]}")
        shared = hashlib.sha256(importer_version().encode())
        for table in SHARED:
            for line in sorted(_normal(table, r) for r in package.rows(table)):
                shared.update(line.encode())
        self.orphans = orphans
        self.under_placeholder = {}  # kind -> n, of the units left out (skip_unchanged)
        self.members = {root: sorted(m) for root, m in members.items()}
        self.hashes = {}
        for root, found in lines.items():
            h = shared.copy()
            for line in sorted(found):
                h.update(b"\n")
                h.update(line.encode())
            self.hashes[root] = h.hexdigest()

    def key(self, root):
        """The unit's record id: its first member (the source's own id)."""
        names = self.members.get(root)
        return names[0] if names else None


def skip_unchanged(package, source, report):
    """(package without its unchanged units, UnitHashes, keys of the skipped units).

    The package is left as it is when the source has no unit records (a first
    import) or when every unit changed."""
    from directory.models import (
        Location,
        OrganizationPage,
        ServicePage,
        SourceRecord,
        SourceRowsDigest,
    )

    hashes = UnitHashes(package)
    stored = {r.key: r for r in SourceRowsDigest.objects.filter(source=source)}
    hashes.stored = stored
    if not stored:
        return package, hashes, set()
    candidates = {}
    for root, digest in hashes.hashes.items():
        key = hashes.key(root)
        record = stored.get(key)
        if (
            record is not None
            and record.digest == digest
            and record.contents.get("members") == (hashes.members[root])
        ):
            candidates[root] = record
    if not candidates:
        return package, hashes, set()
    # Their objects must all still be there (a superuser may have deleted one).
    objects = {}
    records = {
        (kind, key): uid
        for kind, key, uid in SourceRecord.objects.filter(
            source=source, kind__in=("organization", "service", "location")
        ).values_list("kind", "source_id", "object_uuid")
    }
    for root, record in candidates.items():
        for kind, keys in record.contents.get("objects", {}).items():
            for key in keys:
                objects[(root, kind, key)] = records.get((kind, key))
    models = {"organization": OrganizationPage, "service": ServicePage, "location": Location}
    present = set()
    for kind, model in models.items():
        wanted = [u for (_, k, _), u in objects.items() if k == kind and u]
        for start in range(0, len(wanted), CHUNK):
            present.update(
                model.objects.filter(uuid__in=wanted[start : start + CHUNK]).values_list(
                    "uuid", flat=True
                )
            )
    missing = {root for (root, _, _), u in objects.items() if u not in present}
    skipped = set(candidates) - missing
    if not skipped:
        return package, hashes, set()
    kept = {}
    for table, rows in package.tables.items():
        if table in SHARED:
            kept[table] = rows
        else:
            kept[table] = [r for r in rows if hashes.unit_of_row.get(id(r)) not in skipped]
    from dataclasses import replace

    totals = {}
    for root in skipped:
        for kind, n in candidates[root].contents.get("counts", {}).items():
            totals[kind] = totals.get(kind, 0) + n
    for kind, n in totals.items():
        report.count(kind, "unchanged", n)
    # What planning these units skipped or warned about last time, said again.
    for root in sorted(skipped, key=str):
        contents = candidates[root].contents
        for kind, file, row, reason in contents.get("skipped", []):
            report.skipped.append(Issue(file, row, reason, kind))
            report.count(kind, "skipped")
        for kind, file, row, reason in contents.get("warnings", []):
            report.warnings.append(Issue(file, row, reason, kind))
    under = {}
    for root in skipped:
        for kind, n in candidates[root].contents.get("placeholder", {}).items():
            under[kind] = under.get(kind, 0) + n
    hashes.under_placeholder = under
    services = totals.get("service", 0)
    report.notes.append(
        f"{services} services ({len(skipped)} groups of organizations and their places) "
        "unchanged since this source's last import: their source rows are the same, so "
        "they were not planned or written again (what was skipped then is listed again)."
    )
    return replace(package, tables=kept), hashes, skipped


def remember_units(hashes, plan, writer, skipped, report):
    """After writing: a digest for each planned unit that landed whole; the digests
    of units that failed, or that shared a member with a planned unit, go."""
    from directory.models import SourceRowsDigest

    source = writer.source
    objects, counts, placeholders = {}, {}, {}
    for kind, specs in (
        ("organization", plan.orgs),
        ("location", plan.locations),
        ("service", plan.services),
    ):
        for key, spec in specs.items():
            root = hashes.unit_of_row.get(id(spec["row"]))
            if root is None:
                continue
            objects.setdefault(root, {}).setdefault(kind, []).append(key)
            n = counts.setdefault(root, {})
            n[kind] = n.get(kind, 0) + 1
            if (kind, key) in writer.under_placeholder:
                under = placeholders.setdefault(root, {})
                under[kind] = under.get(kind, 0) + 1
            for child, bucket in (("phone", "phones"), ("schedule", "hours")):
                if spec.get(bucket):
                    n[child] = n.get(child, 0) + len(spec[bucket])
    issues = {}
    refused = {id(row) for _kind, row, _reason in plan.package.skipped}
    skips = {id(issue) for issue in report.skipped}
    for issue, row in report.origins:
        root = hashes.unit_of_row.get(id(row)) if isinstance(row, dict) else None
        if root is None or id(row) in refused:
            continue
        which = "skipped" if id(issue) in skips else "warnings"
        entry = [issue.kind, issue.file, issue.row, issue.reason]
        issues.setdefault(root, {}).setdefault(which, []).append(entry)
    failed = set(writer.failed_keys)
    planned = {
        root for root in hashes.hashes if root not in skipped and hashes.key(root) is not None
    }
    landed = {
        root
        for root in planned
        if root in objects
        and not any(key in failed for kind, keys in objects[root].items() for key in keys)
    }
    stored = hashes.stored
    by_member = {}
    for record in stored.values():
        for member in record.contents.get("members", []):
            by_member.setdefault(member, set()).add(record.key)
    gone = set()
    for root in planned:
        for member in hashes.members[root]:
            gone |= by_member.get(member, set())
    keep_keys = {hashes.key(root) for root in landed}
    new, changed = [], []
    for root in landed:
        key = hashes.key(root)
        contents = {
            "members": hashes.members[root],
            "objects": {k: sorted(v) for k, v in objects[root].items()},
            "counts": counts[root],
            **issues.get(root, {}),
        }
        if root in placeholders:
            contents["placeholder"] = placeholders[root]
        record = stored.get(key)
        if record is None:
            new.append(
                SourceRowsDigest(
                    source=source, key=key, digest=hashes.hashes[root], contents=contents
                )
            )
        elif record.digest != hashes.hashes[root] or record.contents != contents:
            record.digest, record.contents = hashes.hashes[root], contents
            changed.append(record)
    with transaction.atomic():
        stale = [stored[k].pk for k in gone - keep_keys if k in stored]
        for start in range(0, len(stale), CHUNK):
            SourceRowsDigest.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
        for record in changed:
            record.save(update_fields=["digest", "contents", "imported_at"])
        bulk.insert_rows(new)


def count_placeholder(hashes, writer, report):
    """Units left out whose services or places are under the source's placeholder
    organization: that organization is unchanged too (unless this import wrote it),
    and the summary counts them under it as a full import would."""
    under = hashes.under_placeholder
    if not under:
        return
    if not report.placeholder_organization:
        report.placeholder_organization = writer.placeholder_title()
        report.count("organization", "unchanged")
    report.services_under_placeholder += under.get("service", 0)
    report.locations_under_placeholder += under.get("location", 0)
