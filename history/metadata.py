"""Field-level changes as HSDS 3.0 `metadata` records (provenance for data partners).

One record per field changed by a published revision of a service or an
organization (compared with the previously published one, so stacked
suggestions count once, when they went live) and per field changed by a
location revision. Ids are stable: uuid5 of the revision id and the field key,
so exporting twice gives the same ids.

`updated_by` names the organization that acted ("A professional at …"), an
import's source, or "Steward": people's names and emails are not exported.
"""

import json
import uuid
from collections import defaultdict
from pathlib import Path

from django.contrib.contenttypes.models import ContentType

from wagtail.models import PageLogEntry, Revision

from directory.models import (
    Location,
    OrganizationPage,
    RevisionOrganization,
    ServicePage,
    SourceRecord,
)

from .diff import Names, compare, version

NAMESPACE = uuid.UUID("5d0f3c52-8d6e-4a53-9f1e-3b0a9c6e2d41")
SCHEMA_PATH = Path(__file__).parent / "hsds" / "metadata.schema.json"
BATCH = 200
RESOURCE_TYPES = {ServicePage: "service", OrganizationPage: "organization", Location: "location"}
ACTION_TYPES = {"added": "create", "changed": "update", "removed": "delete"}
FIELDS = [
    "id",
    "resource_id",
    "resource_type",
    "last_action_date",
    "last_action_type",
    "field_name",
    "previous_value",
    "replacement_value",
    "updated_by",
]


def record_id(revision_id, key):
    return str(uuid.uuid5(NAMESPACE, f"{revision_id}:{key}"))


def metadata_records(*, models=(ServicePage, OrganizationPage, Location)):
    """Yield HSDS `metadata` dicts, object by object, oldest change first."""
    published = None
    for model in models:
        if model is not Location and published is None:
            published = set(
                PageLogEntry.objects.filter(action="wagtail.publish", revision__isnull=False)
                .values_list("revision_id", flat=True)
                .distinct()
            )
        yield from _records_for(model, published)


def metadata_for(kind, objects):
    """{uuid string: [metadata dicts]} for these objects (a page of them): the hook
    `steward_hsds_metadata` that the HSDS export and API ask. A few queries a call."""
    model = {"service": ServicePage, "organization": OrganizationPage, "location": Location}.get(
        kind
    )
    objects = list(objects)
    if model is None or not objects:
        return {}
    object_ids = [str(o.pk) for o in objects]
    published = None
    if model is not Location:
        published = set(
            PageLogEntry.objects.filter(
                action="wagtail.publish",
                revision__isnull=False,
                page_id__in=[o.pk for o in objects],
            ).values_list("revision_id", flat=True)
        )
    found = defaultdict(list)
    rows = list(_revisions(model, published, object_ids=object_ids))
    if rows:
        for record in _batch_records(model, rows):
            found[record["resource_id"]].append(record)
    return dict(found)


def _revisions(model, published, *, object_ids=None):
    if model is Location:
        content_type = ContentType.objects.get_for_model(Location)
        revisions = Revision.objects.filter(base_content_type=content_type)
    else:
        content_type = ContentType.objects.get_for_model(model)
        revisions = Revision.page_revisions.filter(content_type=content_type)
    if object_ids is not None:
        revisions = revisions.filter(object_id__in=object_ids)
    rows = revisions.order_by("object_id", "created_at", "pk").values_list(
        "pk", "object_id", "created_at", "user_id"
    )
    for pk, object_id, created_at, user_id in rows.iterator(chunk_size=2000):
        if model is Location or pk in published:
            yield pk, object_id, created_at, user_id


def _records_for(model, published):
    """In batches of whole objects, so each object's revisions compare in order."""
    batch = []
    for row in _revisions(model, published):
        if len(batch) >= BATCH and batch[-1][1] != row[1]:
            yield from _batch_records(model, batch)
            batch = []
        batch.append(row)
    if batch:
        yield from _batch_records(model, batch)


def _batch_records(model, rows):
    """Records for the revisions of a batch of objects: a few queries a batch."""
    by_object = defaultdict(list)
    for row in rows:
        by_object[row[1]].append(row)
    contents = dict(
        Revision.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", "content")
    )
    versions = {pk: version(model, content) for pk, content in contents.items()}
    names = Names(versions.values())
    organizations = dict(
        RevisionOrganization.objects.filter(
            revision_id__in=[r[0] for r in rows], organization__isnull=False
        ).values_list("revision_id", "organization__title")
    )
    imports = _import_sources(contents, rows)
    resource_type = RESOURCE_TYPES[model]
    for object_rows in by_object.values():
        before = None
        for pk, _, created_at, user_id in object_rows:
            current = versions[pk]
            resource_id = str((contents[pk] or {}).get("uuid", ""))
            for change in compare(versions.get(before), current, names=names, public=True):
                yield {
                    "id": record_id(pk, change.key),
                    "resource_id": resource_id,
                    "resource_type": resource_type,
                    "last_action_date": created_at.date().isoformat(),
                    "last_action_type": ACTION_TYPES[change.action],
                    "field_name": change.field_name,
                    "previous_value": change.previous,
                    "replacement_value": change.replacement,
                    "updated_by": _updated_by(pk, user_id, organizations, imports),
                }
            before = pk


def _import_sources(contents, rows):
    """revision id -> the source name, for revisions without a user (imports)."""
    system = [r[0] for r in rows if r[3] is None]
    if not system:
        return {}
    uuids = {pk: (contents[pk] or {}).get("uuid") for pk in system}
    uuids = {pk: uuid.UUID(str(u)) for pk, u in uuids.items() if u}
    sources = dict(
        SourceRecord.objects.filter(object_uuid__in=set(uuids.values())).values_list(
            "object_uuid", "source"
        )
    )
    return {pk: sources[u] for pk, u in uuids.items() if u in sources}


def _updated_by(pk, user_id, organizations, imports):
    if pk in organizations:
        return f"A professional at {organizations[pk]}"
    if pk in imports:
        return f"Import from {imports[pk]}"
    if user_id:
        return "A professional"
    return "Steward"


def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validator(schema_data=None):
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema_data or schema(), format_checker=FormatChecker())
