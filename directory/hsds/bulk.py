"""Creating many new listings at once, with what saving them one by one would
leave: for a service page, its tree path under the organization, its child
rows (phones, hours, places, categories, languages), a first revision that is
live, and the "published" entry in its history; for a location, its child rows
and a first revision. A few queries per batch instead of some forty per object.

Only new objects come here; changes to existing ones go through Wagtail's own
save_revision / publish (writer.py). The caller holds the transaction.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from modelsearch import index as search_index
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

BATCH = 200
# Objects indexed together: one search-index write (and one refresh of the SQLite
# backend's title norms, which reads the whole index) per batch, not per object.
INDEX_BATCH = 1000


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
    for model, rows in by_model.items():
        if rows:
            model.objects.bulk_create(rows, batch_size=BATCH)
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
    for through, rows in m2m.items():
        if rows:
            through.objects.bulk_create(rows, batch_size=BATCH)


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
            content=obj.serializable_data(),
        )
        for obj in objs
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
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
    model.objects.bulk_create(locations, batch_size=BATCH)
    _save_children(locations)
    for location, revision in zip(locations, _revisions(locations, model, now=now), strict=True):
        location.latest_revision = revision
    model.objects.bulk_update(locations, ["latest_revision"], batch_size=BATCH)
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
    Page.objects.bulk_update(list(parents.values()), ["numchild"], batch_size=BATCH)
    _save_children(pages)
    revisions = _revisions(pages, Page, now=now)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"], batch_size=BATCH)
    PageLogEntry.objects.bulk_create(
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
        ],
        batch_size=BATCH,
    )
    for page in pages:
        # As saved, children in memory: indexed from here, not read again.
        page._indexable_as_is = True


def _not_checked(page):
    """Fields set here or by the database, which clean_fields need not check."""
    return [
        f.name
        for f in page._meta.concrete_fields
        if isinstance(f, models.ForeignKey | models.OneToOneField | models.AutoField)
        or f.name in ("path", "depth", "url_path")
    ]


def _insert_pages(pages):
    """Page rows first (returning their ids), then each subclass's own rows."""
    Page.objects.bulk_create(pages, batch_size=BATCH)
    model = type(pages[0])
    chain = [m for m in reversed(model._meta.get_parent_list()) if m is not Page] + [model]
    for cls in chain:
        fields = list(cls._meta.local_concrete_fields)
        for page in pages:
            for parent_link in cls._meta.parents.values():
                if parent_link:
                    setattr(page, parent_link.attname, page.id)
        for start in range(0, len(pages), BATCH):
            cls._base_manager._insert(pages[start : start + BATCH], fields=fields)


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
