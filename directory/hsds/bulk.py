"""Creating many new listings at once, with what saving them one by one would
leave: for a service page, its tree path under the organization, its child
rows (phones, hours, places, categories, languages), a first revision that is
live, and the "published" entry in its history; for a location, its child rows
and a first revision. A few queries per batch instead of some forty per object.

Only new objects come here; changes to existing ones go through Wagtail's own
save_revision / publish (writer.py). The caller holds the transaction.
"""

import functools
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import (
    ClusterableModel,
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_field_value,
)
from modelsearch import index as search_index
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from directory.publishing import pages_published_in_bulk

BATCH = 200
# Objects indexed together: one search-index write (and one refresh of the SQLite
# backend's title norms, which reads the whole index) per batch, not per object.
INDEX_BATCH = 1000


# --- rows, without the ORM's per-value compiler ---------------------------------------
# bulk_create and bulk_update compile every value through expressions (bulk_update
# builds a CASE per field); for a few hundred thousand plain values that is most
# of an import's time. These write the same rows, with each field's own
# get_db_prep_save, in one prepared statement per batch.

# Bound parameters per statement: SQLite's limit is 32,766, PostgreSQL's 65,535.
MAX_PARAMS = 30000


def _qn(name):
    return connection.ops.quote_name(name)


def insert_rows(objs, fields=None):
    """INSERT `objs` (one model) as `bulk_create` would: auto fields' pre_save,
    each value through its field's get_db_prep_save; a new auto primary key is read
    back (RETURNING, in the order given) and set on each object."""
    if not objs:
        return objs
    # The table of the fields given (a page's base row, or its subclass's own).
    meta = fields[0].model._meta if fields else type(objs[0])._meta
    pk = meta.pk
    fields = list(fields or meta.local_concrete_fields)
    auto = isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
    returning = auto and pk in fields and getattr(objs[0], pk.attname) is None
    if returning:
        fields = [f for f in fields if f is not pk]
    columns = ", ".join(_qn(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(BATCH * 5, MAX_PARAMS // max(1, len(fields))))
    head = f"INSERT INTO {_qn(meta.db_table)} ({columns}) VALUES "  # noqa: S608 - quoted names from _meta; values are parameters
    tail = f" RETURNING {_qn(pk.column)}" if returning else ""
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params = []
            for obj in chunk:
                params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                for obj, (value,) in zip(chunk, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, value)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def update_rows(objs, names):
    """UPDATE the fields `names` of saved `objs` (one model), one statement per batch
    of rows (executemany), as bulk_update would leave them."""
    if not objs:
        return
    fields = [type(objs[0])._meta.get_field(name) for name in names]
    table = fields[0].model._meta  # the table that holds them (a page's base row)
    sets = ", ".join(f"{_qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {_qn(table.db_table)} SET {sets} WHERE {_qn(table.pk.column)} = %s"  # noqa: S608 - as above
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def create_with_history(objs, model, *, now):
    """New rows of a model tracked by simple_history, and their "+" history rows,
    as `bulk_create_with_history(objs, model, default_date=now)` leaves them."""
    from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model

    if not objs:
        return objs
    insert_rows(objs)
    history = get_history_manager_for_model(model).model
    tracked = [f.attname for f in history.tracked_fields]
    rows = []
    user = history.get_default_history_user(objs[0])  # the request's user, or None
    for obj in objs:
        row = history(
            history_date=getattr(obj, "_history_date", now),
            history_user=getattr(obj, "_history_user", user),
            history_change_reason=get_change_reason_from_object(obj) or "",
            history_type="+",
            **{name: getattr(obj, name) for name in tracked},
        )
        if hasattr(history, "history_relation"):
            row.history_relation_id = obj.pk
        rows.append(row)
    insert_rows(rows)
    return objs


def _children(obj):
    """(model, rows) for each ParentalKey relation held in memory on `obj`."""
    for relation in obj._meta.related_objects:
        if isinstance(relation.remote_field, ParentalKey):
            manager = getattr(obj, relation.get_accessor_name())
            # Only relations given in memory (a query for each of the others would
            # find nothing: the object is new).
            if getattr(manager, "is_deferring", False):
                yield relation.related_model, relation.field.name, list(manager.all())


def _save_children(objs):
    by_model = {}
    for obj in objs:
        for model, field, rows in _children(obj):
            for n, row in enumerate(rows):
                setattr(row, field, obj)
                if hasattr(row, "sort_order") and row.sort_order is None:
                    row.sort_order = n
            by_model.setdefault(model, []).extend(rows)
    for rows in by_model.values():
        insert_rows(rows)
    m2m = {}
    for obj in objs:
        for field in obj._meta.many_to_many:
            if not isinstance(field, ParentalManyToManyField):
                continue
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            rows = m2m.setdefault(through, [])
            for other in getattr(obj, field.name).all():
                rows.append(through(**{f"{source}_id": obj.pk, f"{target}_id": other.pk}))
    for rows in m2m.values():
        insert_rows(rows)


# --- revision content, without the per-field generic path -----------------------------

_FIELD_PLANS = {}


def _field_plan(model):
    """(pk field, [(name, field, how)]) for get_serializable_data_for_fields. `how`
    is "fk" for a relation (its raw id, as modelcluster takes it), "plain" when the
    field's pre_save and value_to_string are Field's own (a str or number value is
    its own serialization), else None (modelcluster's get_field_value)."""
    if model not in _FIELD_PLANS:
        pk_field = model._meta.pk
        while pk_field.remote_field and pk_field.remote_field.parent_link:
            pk_field = pk_field.remote_field.model._meta.pk
        plan = []
        for field in model._meta.fields:
            if not field.serialize:
                continue
            if field.remote_field is not None:
                how = "fk"
            elif (
                type(field).pre_save is models.Field.pre_save
                and type(field).value_to_string is models.Field.value_to_string
            ):
                how = "plain"
            else:
                how = None
            plan.append((field.name, field, how))
        _FIELD_PLANS[model] = (pk_field, plan)
    return _FIELD_PLANS[model]


def _field_data(obj):
    """As modelcluster's get_serializable_data_for_fields(obj)."""
    pk_field, plan = _field_plan(type(obj))
    data = {"pk": get_field_value(pk_field, obj)}
    for name, field, how in plan:
        if how == "fk":
            data[name] = getattr(obj, field.attname)
            continue
        if how == "plain":
            value = getattr(obj, field.attname)
            if value is None or isinstance(value, str | int | float):
                data[name] = value
                continue
        data[name] = get_field_value(field, obj)
    return data


def serializable_data(obj):
    """`obj.serializable_data()` (a revision's content) for a ClusterableModel whose
    children are in memory, the same dict, in a fraction of the time."""
    data = _field_data(obj)
    for rel in get_all_child_relations(obj):
        name = rel.get_accessor_name()
        children = getattr(obj, name).all()
        if issubclass(rel.related_model, ClusterableModel):
            data[name] = [serializable_data(child) for child in children]
        elif hasattr(rel.related_model, "serializable_data"):
            data[name] = [child.serializable_data() for child in children]
        else:
            data[name] = [_field_data(child) for child in children]
    for field in get_all_child_m2m_relations(obj):
        if field.serialize:
            data[field.name] = [child.pk for child in getattr(obj, field.name).all()]
    return data


def _revisions(objs, base_model, *, now):
    """A first revision for each object, saved; returns them in order."""
    base = ContentType.objects.get_for_model(base_model)
    for obj in objs:
        _no_stored_children(obj)
    revisions = [
        Revision(
            content_type=ContentType.objects.get_for_model(obj),
            base_content_type=base,
            object_id=str(obj.pk),
            created_at=now,
            user=None,
            object_str=str(obj)[:255],
            content=serializable_data(obj),
        )
        for obj in objs
    ]
    insert_rows(revisions)
    return revisions


def _no_stored_children(obj):
    """A new object has no child rows in the database: say so in memory, so that
    serializing it (its revision) and indexing it read none (one query each)."""
    for relation in get_all_child_relations(obj):
        manager = getattr(obj, relation.get_accessor_name())
        if not getattr(manager, "is_deferring", False):
            setattr(obj, relation.get_accessor_name(), [])


def create_locations(locations, *, now):
    """New locations as `save()` then `save_revision()` leave them: live, with
    their latest revision (and "unpublished changes", as Wagtail marks it)."""
    model = type(locations[0])
    for location in locations:
        location.live = True
        location.has_unpublished_changes = True
    insert_rows(locations)
    _save_children(locations)
    for location, revision in zip(locations, _revisions(locations, model, now=now), strict=True):
        location.latest_revision = revision
    update_rows(locations, ["latest_revision"])
    for location in locations:
        location._indexable_as_is = True


def create_pages(parent, pages, stamps, *, now):
    """New pages as the last children of `parent`, published: as add_child, then
    save_revision().publish() would leave them. `stamps` are each page's
    last_published_at (the source's date), or None for `now`."""
    create_children(
        [(parent, page, stamp) for page, stamp in zip(pages, stamps, strict=True)], now=now
    )


def create_children(entries, *, now):
    """`entries` are (parent, page, stamp): new pages of one model, under any
    number of parents, each placed after its parent's last child, in one pass
    (a few queries for the whole batch, not per parent)."""
    if not entries:
        return
    wanted = list(dict.fromkeys(parent.pk for parent, _, _ in entries))
    parents = {p.pk: p for p in Page.objects.select_for_update().filter(pk__in=wanted)}
    steps = {}
    for pk, parent in parents.items():
        last = parent.get_last_child() if parent.numchild else None
        steps[pk] = Page._str2int(last.path[-Page.steplen :]) if last else 0
    pages = []
    for parent_ref, page, stamp in entries:
        parent = parents[parent_ref.pk]
        steps[parent.pk] += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, steps[parent.pk])
        page.numchild = 0
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.set_url_path(parent)
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = now
        page.last_published_at = stamp or now
        page.clean_fields(exclude=_not_checked(page))
        page._cached_parent_obj = parent
        pages.append(page)
    _insert_pages(pages)
    added = defaultdict(int)
    for parent_ref, _, _ in entries:
        added[parent_ref.pk] += 1
    for pk, n in added.items():
        parents[pk].numchild += n
    update_rows(list(parents.values()), ["numchild"])
    _save_children(pages)
    revisions = _revisions(pages, Page, now=now)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    update_rows(pages, ["latest_revision", "live_revision"])
    insert_rows(
        [
            PageLogEntry(
                content_type_id=page.content_type_id,
                page_id=page.pk,
                label=page.get_admin_display_title()[:255],
                action="wagtail.publish",
                data={},
                timestamp=now,
                revision=revision,
                content_changed=True,
            )
            for page, revision in zip(pages, revisions, strict=True)
        ]
    )
    for page in pages:
        # As saved, children in memory: indexed from here, not read again.
        page._indexable_as_is = True
    # What page_published is to one page (directory/publishing.py).
    by_model = defaultdict(lambda: ([], []))
    for page, revision in zip(pages, revisions, strict=True):
        by_model[type(page)][0].append(page)
        by_model[type(page)][1].append(revision)
    for model, (published, live) in by_model.items():
        pages_published_in_bulk.send(sender=model, pages=published, revisions=live)


def _not_checked(page):
    """Fields set here or by the database, which clean_fields need not check."""
    return _not_checked_of(type(page))


@functools.cache
def _not_checked_of(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey | models.OneToOneField | models.AutoField)
        or f.name in ("path", "depth", "url_path")
    ]


def _insert_pages(pages):
    """Page rows first (returning their ids), then each subclass's own rows."""
    insert_rows(pages, Page._meta.local_concrete_fields)
    model = type(pages[0])
    chain = [m for m in reversed(model._meta.get_parent_list()) if m is not Page] + [model]
    for cls in chain:
        fields = list(cls._meta.local_concrete_fields)
        for page in pages:
            for parent_link in cls._meta.parents.values():
                if parent_link:
                    setattr(page, parent_link.attname, page.id)
        insert_rows(pages, fields)


# --- indexing, in batches ------------------------------------------------------------


def index_objects(objs):
    """Search and reference index entries for saved objects, read afresh, through
    Wagtail's index API (the search backend's add_bulk) and ReferenceIndex's own
    reference extraction: what saving each object would have left, in a few
    queries per batch (children and categories prefetched, parents read once)."""
    as_is, by_model = defaultdict(dict), defaultdict(set)
    for obj in objs:
        if getattr(obj, "_indexable_as_is", False):
            # Created here (create_pages / create_locations) and unchanged since.
            as_is[type(obj)][obj.pk] = obj
        else:
            by_model[type(obj)].add(obj.pk)
    backends = [b for _, b in search_index.get_search_backends_with_name(with_auto_update=True)]
    for model in {*as_is, *by_model}:
        pks = sorted(by_model[model] - set(as_is[model]))
        known = list(as_is[model].values())
        for start in range(0, max(len(pks), len(known)), INDEX_BATCH):
            fresh = _fresh(model, pks[start : start + INDEX_BATCH])
            fresh += known[start : start + INDEX_BATCH]
            _reference_index(model, fresh)
            if search_index.class_is_indexed(model):
                for backend in backends:
                    backend.add_bulk(model, fresh)


def _fresh(model, pks):
    if not pks:
        return []
    related = [r.get_accessor_name() for r in get_all_child_relations(model)]
    related += [f.name for f in model._meta.many_to_many]
    fresh = list(model.objects.filter(pk__in=pks).prefetch_related(*related))
    if issubclass(model, Page):
        # A service's search entry holds its organization's name (get_parent()).
        paths = {page.path[: -Page.steplen] for page in fresh if page.depth > 1}
        parents = {p.path: p for p in Page.objects.filter(path__in=paths)}
        for page in fresh:
            parent = parents.get(page.path[: -Page.steplen])
            if parent is not None:
                page._cached_parent_obj = parent
    return fresh


def _reference_index(model, objs):
    """As ReferenceIndex.create_or_update_for_object for each object: its
    references now, and none of those it no longer has."""
    if not objs or not ReferenceIndex.is_indexed(model):
        return
    chain = [model, *model._meta.get_parent_list()]
    types = [ContentType.objects.get_for_model(m, for_concrete_model=False) for m in chain]
    content_type, base = types[0], types[-1]
    ReferenceIndex.objects.filter(
        base_content_type=base,
        object_id__in=[str(obj.pk) for obj in objs],
        content_type_id__in=[t.id for t in types],
    ).delete()
    rows = [
        ReferenceIndex(
            content_type=content_type,
            base_content_type=base,
            object_id=obj.pk,
            to_content_type_id=to_type,
            to_object_id=to_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for obj in objs
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(obj)
        )
    ]
    ReferenceIndex.objects.bulk_create(
        rows,
        batch_size=BATCH,
        ignore_conflicts=connection.features.supports_ignore_conflicts,
    )
