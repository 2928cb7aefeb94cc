"""The public search document of each service (directory.models.SearchDocument):
how it is written, and how a query is matched and ranked against it.

Writing: steward.search_backend calls `index_services` whenever Wagtail's backend
indexes services (a publish, `update_index`, an import's or the generator's
`add_bulk`), so the document is never out of step with Wagtail's own index. What
goes in is read from `ServicePage.search_fields` (a field added there is searched;
a field whose name ends in `_es` is Spanish text), plus the category names in
English and Spanish, with their parent categories (a "Food Pantry" service is a
"Food" and "Comida" service too), and the organization's name.

Matching and ranking: see `rank_services`.
"""

import json
import re
from collections import defaultdict

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from wagtail.search import index

from directory.open_intervals import mark_services
from directory.synonyms import concepts, normalize
from directory.taxonomy import localized_name

# SQL below names this constant table in f-strings (hence the S608 noqa); every
# value is a parameter.
SQLITE_FTS_TABLE = "directory_searchdocument_fts"
# Fields that the document fills itself rather than from search_fields.
_OWN_FIELDS = {"title", "category_names", "organization_name"}
_LEXICON_WORD_RE = re.compile(r"^[^\W\d_]{3,40}$", re.UNICODE)

# --- ranking -----------------------------------------------------------------
#
# A result's place in the list is decided, in order, by:
#
# 1. `exact`: 1 when what was typed (or, for a one-concept query, one of its
#    synonyms) is exactly the service's title or one of its category names in
#    either language ("food" and the category "Food"); these come first.
# 2. `score = text × decay`, highest first, where
#      text  = the text relevance: PostgreSQL's ts_rank over the weighted vector
#              (weights below: title 1.0, categories and organization 0.6, text
#              0.3), or SQLite's bm25 over the FTS5 columns with the same
#              proportions (sign flipped, so higher is better);
#      decay = D² / (D² + d²), with d the distance in km to the service's nearest
#              place (a confidential place: its coarse point, as for filtering)
#              and D = DISTANCE_HALF_KM; 1 without a place to measure from.
#    A service D km away keeps half its text score, one 3·D km away a tenth: a
#    close service wins among equally relevant ones, but a service that is only
#    nearby and barely mentions the words does not bury one that is about them.
#    d² is the squared distance search already computes (directory.querysets.
#    links_near), so the decay needs no square root or exponential and reads the
#    same in both databases.
# 3. title, then id, so equal scores keep a stable order between pages.

DISTANCE_HALF_KM = 8.0
# ts_rank weights for D, C, B, A (PostgreSQL's order): text, text, categories, title.
PG_WEIGHTS = [0.3, 0.3, 0.6, 1.0]
# bm25 column weights for the FTS5 table's title, categories, body.
SQLITE_WEIGHTS = (10.0, 6.0, 3.0)
# A word typed that no document holds is replaced by the nearest word that one
# does, when the trigram similarity is at least this (PostgreSQL only).
TYPO_SIMILARITY = 0.4


def is_postgresql():
    return connection.vendor == "postgresql"


# --- writing -----------------------------------------------------------------


def _field_text(obj, name):
    value = getattr(obj, name, "")
    if callable(value):
        value = value()
    return "" if value is None else str(value)


def _text_fields(model):
    fields = []
    for field in model.get_search_fields():
        if type(field) is index.SearchField and field.field_name not in _OWN_FIELDS:
            fields.append(field.field_name)
    return list(dict.fromkeys(fields))


def _categories_by_service(ids):
    """{service id: [(name, Spanish name)]}: its categories and their ancestors."""
    from directory.models import ServicePage, TaxonomyTerm

    through = ServicePage.categories.through
    links = list(
        through.objects.filter(servicepage_id__in=ids).values_list(
            "servicepage_id", "taxonomyterm_id"
        )
    )
    terms = {
        t.pk: t
        for t in TaxonomyTerm.objects.filter(pk__in={t for _, t in links}).only(
            "pk", "name", "name_es", "tree_path"
        )
    }
    hexes = {h for t in terms.values() for h in t.tree_path.split("/") if h}
    by_hex = {
        t.uuid.hex: t
        for t in TaxonomyTerm.objects.filter(uuid__in=hexes).only("uuid", "name", "name_es")
    }
    found = defaultdict(list)
    for service_id, term_id in links:
        term = terms.get(term_id)
        if term is None:
            continue
        for h in (h for h in term.tree_path.split("/") if h):
            node = by_hex.get(h)
            if node is not None:
                pair = (node.name, localized_name(node.name, node.name_es, "es"))
                if pair not in found[service_id]:
                    found[service_id].append(pair)
    return found


def _organization_names(services):
    from wagtail.models import Page

    steplen = Page.steplen
    paths = {s.path[:-steplen] for s in services if len(s.path) > steplen}
    return dict(Page.objects.filter(path__in=paths).values_list("path", "title"))


def build_documents(services):
    from directory.models import SearchDocument

    if not services:
        return []
    model = type(services[0])
    fields = _text_fields(model)
    categories = _categories_by_service([s.pk for s in services])
    organizations = _organization_names(services)
    docs = []
    for service in services:
        pairs = categories.get(service.pk, [])
        english = [en for en, _ in pairs]
        spanish = [es for _, es in pairs]
        organization = organizations.get(service.path[: -service.steplen], "")
        body, body_es = [], []
        for name in fields:
            text = _field_text(service, name)
            if text:
                (body_es if name.endswith("_es") else body).append(text)
        exact = {normalize(service.title)} | {normalize(n) for n in english + spanish}
        docs.append(
            SearchDocument(
                service_id=service.pk,
                title=service.title,
                categories=" ; ".join([*english, organization]),
                categories_es=" ; ".join(spanish),
                body="\n".join(body),
                body_es="\n".join(body_es),
                exact="|" + "|".join(sorted(e for e in exact if e)) + "|",
            )
        )
    return docs


def _vector():
    return (
        SearchVector("title", config="english", weight="A")
        + SearchVector("categories", config="english", weight="B")
        + SearchVector("categories_es", config="spanish", weight="B")
        + SearchVector("body", config="english", weight="C")
        + SearchVector("body_es", config="spanish", weight="C")
    )


def _lexicon_words(docs):
    words = set()
    for doc in docs:
        for text in (doc.title, doc.categories, doc.categories_es, doc.body, doc.body_es):
            for word in normalize(text).split():
                if _LEXICON_WORD_RE.match(word):
                    words.add(word)
    return words


def index_services(services):
    """Write the search documents of `services` (ServicePage instances)."""
    from directory.models import SearchDocument, SearchWord, ServicePage

    services = [s for s in services if isinstance(s, ServicePage) and s.pk]
    if not services:
        return
    docs = build_documents(services)
    pks = [d.service_id for d in docs]
    # Bulk writes (an import, the generator) send no signals for hours: the
    # open-now index is rewritten from here, when the transaction commits.
    mark_services(pks)
    SearchDocument.objects.bulk_create(
        docs,
        update_conflicts=True,
        unique_fields=["service"],
        update_fields=["title", "categories", "categories_es", "body", "body_es", "exact"],
    )
    if is_postgresql():
        SearchDocument.objects.filter(pk__in=pks).update(vector=_vector())
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(_lexicon_words(docs))],
            ignore_conflicts=True,
            batch_size=2000,
        )
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            marks = ",".join("%s" for _ in pks)
            cursor.execute(f"DELETE FROM {SQLITE_FTS_TABLE} WHERE rowid IN ({marks})", pks)  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {SQLITE_FTS_TABLE} (rowid, title, categories, body) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                [
                    (
                        d.service_id,
                        d.title,
                        f"{d.categories} ; {d.categories_es}",
                        f"{d.body}\n{d.body_es}",
                    )
                    for d in docs
                ],
            )


def categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed on ServicePage.categories: rewrite the documents concerned."""
    from directory.models import ServicePage

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        services = [instance]
    elif pk_set:
        services = list(ServicePage.objects.filter(pk__in=pk_set))
    else:
        return
    index_services(services)


def category_names_before(sender, instance, raw=False, **kwargs):
    """pre_save on TaxonomyTerm: remember the names and place it had."""
    if raw or not instance.pk:
        return
    instance._search_before = (
        type(instance)
        .objects.filter(pk=instance.pk)
        .values_list("name", "name_es", "tree_path")
        .first()
    )


def category_saved(sender, instance, created=False, raw=False, **kwargs):
    """post_save on TaxonomyTerm: a category renamed (in either language) or moved
    changes the documents of every service in it or beneath it (a document holds
    its categories' names and their parents'); they are rewritten, in batches."""
    from directory.models import ServicePage

    before = getattr(instance, "_search_before", None)
    if raw or created or before is None:
        return
    if before == (instance.name, instance.name_es, instance.tree_path):
        return
    through = ServicePage.categories.through
    ids = sorted(
        set(
            through.objects.filter(
                taxonomyterm__tree_path__startswith=instance.tree_path
            ).values_list("servicepage_id", flat=True)
        )
    )
    for start in range(0, len(ids), 1000):
        index_services(list(ServicePage.objects.filter(pk__in=ids[start : start + 1000])))


def remove_services(pks):
    from directory.models import SearchDocument

    pks = list(pks)
    if not pks:
        return
    SearchDocument.objects.filter(pk__in=pks).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            marks = ",".join("%s" for _ in pks)
            cursor.execute(f"DELETE FROM {SQLITE_FTS_TABLE} WHERE rowid IN ({marks})", pks)  # noqa: S608


def clear_documents():
    from directory.models import SearchDocument

    SearchDocument.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQLITE_FTS_TABLE}")  # noqa: S608


# --- matching and ranking -------------------------------------------------------


def _typo_alternatives(found):
    """For a one-word concept no document holds, the nearest word one does."""
    from directory.models import SearchWord

    single = {normalize(typed) for typed, alts in found if len(alts) == 1 and " " not in typed}
    single = {w for w in single if _LEXICON_WORD_RE.match(w) and len(w) >= 4}
    if not single:
        return {}
    known = set(SearchWord.objects.filter(word__in=single).values_list("word", flat=True))
    fixes = {}
    with connection.cursor() as cursor:
        for word in sorted(single - known):
            cursor.execute(
                "SELECT word FROM directory_searchword WHERE word %% %s "
                "AND similarity(word, %s) >= %s ORDER BY similarity(word, %s) DESC, word LIMIT 1",
                [word, word, TYPO_SIMILARITY, word],
            )
            row = cursor.fetchone()
            if row:
                fixes[word] = row[0]
    return fixes


def _pg_query(found):
    fixes = _typo_alternatives(found)
    query = None
    for typed, alternatives in found:
        fix = fixes.get(normalize(typed))
        alternatives = (*alternatives, fix) if fix else alternatives
        part = None
        for alternative in alternatives:
            for config in ("english", "spanish"):
                one = SearchQuery(alternative, config=config, search_type="phrase")
                part = one if part is None else part | one
        query = part if query is None else query & part
    return query


def _fts5_query(found):
    def quoted(text):
        return '"' + " ".join(re.findall(r"\w+", text)) + '"'

    parts = []
    for _, alternatives in found:
        options = [quoted(a) for a in alternatives if re.search(r"\w", a)]
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def _exact_q(query_words, found):
    keys = {normalize(" ".join(query_words))}
    if len(found) == 1:
        keys |= {normalize(a) for a in found[0][1]}
    keys.discard("")
    condition = Q(pk__in=[])
    for key in keys:
        condition |= Q(search_document__exact__contains=f"|{key}|")
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _decay(near):
    if near is None:
        return Value(1.0)
    half = DISTANCE_HALF_KM * DISTANCE_HALF_KM
    distance2 = Coalesce(F("distance_km2"), Value(0.0), output_field=FloatField())
    return Value(half) / (Value(half) + distance2)


# --- PostgreSQL: bounded candidates -----------------------------------------------
#
# A common word ("food") matches a quarter of all listings; scoring and sorting
# every match costs time in proportion to the directory. So the ranking runs over
# at most SEARCH_CANDIDATES services:
#
# - when the GIN index finds no more than that many matches, all of them (the
#   ranking above is exact);
# - else, with a place to measure from, the SEARCH_CANDIDATES nearest matching
#   services, found by walking places nearest-first through a GiST index (KNN)
#   and stopping there. The decay above makes this safe: a match farther than all
#   of them keeps at most D²/(D²+d²) of its text score, and in a directory where
#   one word matches that many services nearby, the nearest ones fill the pages;
# - else (no place), the SEARCH_CANDIDATES best by text.
#
# The result count is then at most SEARCH_CANDIDATES ("more than N" is shown as N).

SEARCH_CANDIDATES = 200
# Up to this many matches are measured (their distances, no text score) and the
# nearest kept; past it, places are walked nearest first instead.
SEARCH_MEASURED = 4000
# The places' search coordinates (a confidential place's grid-cell centre, as
# directory.querysets.search_coordinate) on a plane in km: y north, x east
# scaled by the cosine of the latitude. Nearest-first on this plane is nearest
# first for search (the exact distance is computed again for the ranking). The
# GiST index `directory_location_search_point` (migration 0016) is on this
# expression; change both together.
_GRID = "0.05"  # directory.geo.CONFIDENTIAL_GRID_DEGREES (a test checks they agree)
_KM = "111.195"  # km per degree of latitude


def search_point_sql(table=""):
    """The SQL of a place's point on that plane; `table` qualifies the columns."""
    prefix = f"{table}." if table else ""

    def coordinate(name):
        return (
            f"(CASE WHEN NOT {prefix}address_is_public THEN "
            f"(floor({prefix}{name} / {_GRID}) + 0.5) * {_GRID} ELSE {prefix}{name} END)"
        )

    lat, lng = coordinate("latitude"), coordinate("longitude")
    return f"point({lng} * cos(radians({lat})) * {_KM}, {lat} * {_KM})"


# The stored vector, named as Django names it (the GIN test reads the SQL).
_VECTOR = '"directory_searchdocument"."vector"'


def _compiled(expression, model):
    from django.db.models.sql import Query

    query = Query(model)
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(expression.resolve_expression(query))


def _pg_candidates(query, near, radius_km):
    """The ids of at most SEARCH_CANDIDATES services whose document matches
    `query` (see above), in two or three index-driven queries."""
    import math

    from directory.models import SearchDocument
    from directory.querysets import links_near

    tsquery, params = _compiled(query, SearchDocument)
    limit = SEARCH_CANDIDATES
    with connection.cursor() as cursor:
        match = f"FROM directory_searchdocument WHERE {_VECTOR} @@ ({tsquery})"
        cursor.execute(f"SELECT service_id {match} LIMIT %s", [*params, limit + 1])  # noqa: S608 - compiled expression
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= limit:
            return ids
        # More than a page of candidates: the planner's estimate of how many (from
        # the tsvector column's statistics) picks the cheaper way to bound them.
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {match}", params)  # noqa: S608
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        estimate = plan[0]["Plan"]["Plan Rows"]
        if near is None:
            rank, rank_params = _compiled(
                SearchRank(F("vector"), query, weights=PG_WEIGHTS, normalization=Value(1)),
                SearchDocument,
            )
            cursor.execute(
                f"SELECT service_id FROM directory_searchdocument WHERE {_VECTOR} @@ ({tsquery}) "  # noqa: S608
                f"ORDER BY {rank} DESC, service_id LIMIT %s",
                [*params, *rank_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]
        if estimate <= SEARCH_MEASURED:
            # A few thousand matches: measure them all (no text score yet), keep
            # the nearest.
            cursor.execute(f"SELECT service_id {match}", params)  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
            nearest = {}
            for service_id, d2 in (
                links_near(near, radius_km)
                .filter(service_id__in=ids)
                .values_list("service_id", "d2")
            ):
                if service_id not in nearest or d2 < nearest[service_id]:
                    nearest[service_id] = d2
            return sorted(nearest, key=lambda pk: (nearest[pk], pk))[:limit]
        x = near.longitude * math.cos(math.radians(near.latitude)) * float(_KM)
        y = near.latitude * float(_KM)
        # Places nearest first (KNN on the GiST index), each place's services
        # whose document matches; stops after enough links for `limit` services.
        cursor.execute(
            "SELECT sal.service_id FROM directory_location loc "  # noqa: S608
            "JOIN directory_serviceatlocation sal ON sal.location_id = loc.id "
            "JOIN directory_searchdocument ON directory_searchdocument.service_id = sal.service_id "
            f"WHERE {_VECTOR} @@ ({tsquery}) "
            f"ORDER BY {search_point_sql('loc')} <-> point(%s, %s) LIMIT %s",
            [*params, x, y, 2 * limit],
        )
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))[:limit]


def rank_services(services, words, *, near=None, radius_km=None):
    """`services` matching the query `words`, best first (see the ranking comment
    above). Returns something the paginator can count and slice.

    On SQLite `services` comes annotated with `distance_km2` when `near` is
    given (ServiceQuerySet.near); on PostgreSQL it comes without, and only the
    bounded candidates are measured (PostgresRanked)."""
    found = concepts(words)
    if is_postgresql():
        if not found:
            return (
                services.order_by("title", "pk")
                if near is None
                else (services.near(near, radius_km).by_distance())
            )
        return PostgresRanked(services, words, found, near=near, radius_km=radius_km)
    if not found:
        return services
    return SQLiteRanked(services, words, found, near=near)


class _RankedPks:
    """Ranked results as a sliceable list: `pks` in order, each page fetched from
    `services` by primary key (with its measured distance, where one was measured)."""

    distances = {}

    def __len__(self):
        return len(self.pks)

    def count(self):
        return len(self.pks)

    def __getitem__(self, item):
        if isinstance(item, int):
            return self[item : item + 1][0]
        pks = self.pks[item]
        found = {s.pk: s for s in self.services.filter(pk__in=pks).order_by()}
        page = [found[pk] for pk in pks if pk in found]
        for service in page:
            if service.pk in self.distances:
                service.distance_km2 = self.distances[service.pk]
        return page


class PostgresRanked(_RankedPks):
    """The PostgreSQL half of rank_services: at most SEARCH_CANDIDATES matching
    services (_pg_candidates, index-driven), then in one query each candidate
    that passes the filters with its `exact` flag and text score, the distance to
    its nearest place within the radius for those alone, the order computed here,
    and each page fetched by primary key (annotated with `distance_km2`)."""

    def __init__(self, services, words, found, *, near, radius_km):
        from directory.querysets import links_near

        query = _pg_query(found)
        candidates = _pg_candidates(query, near, radius_km)
        self.services = services
        score = SearchRank(
            F("search_document__vector"), query, weights=PG_WEIGHTS, normalization=Value(1)
        )
        rows = (
            services.filter(pk__in=candidates)
            .annotate(search_exact=_exact_q(words, found), search_text=score)
            .order_by()
            .values_list("pk", "title", "search_exact", "search_text")
        )
        self.distances = {}
        if near is not None:
            for service_id, d2 in (
                links_near(near, radius_km)
                .filter(service_id__in=candidates)
                .values_list("service_id", "d2")
            ):
                known = self.distances.get(service_id)
                if known is None or d2 < known:
                    self.distances[service_id] = d2
        half = DISTANCE_HALF_KM * DISTANCE_HALF_KM
        ranked = []
        for pk, title, exact, text in rows:
            if near is not None:
                if pk not in self.distances:
                    continue  # no place within the radius
                decay = half / (half + self.distances[pk])
            else:
                decay = 1.0
            ranked.append((-exact, -(text or 0.0) * decay, title, pk))
        ranked.sort()
        self.pks = [row[3] for row in ranked]


class SQLiteRanked(_RankedPks):
    """The SQLite half of rank_services: scores of every match in one FTS5 query,
    the filtered candidates (with `exact` and distance) in one indexed query, the
    order computed here, and each page fetched by primary key."""

    def __init__(self, services, words, found, *, near):
        self.services = services
        match = _fts5_query(found)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({SQLITE_FTS_TABLE}, %s, %s, %s) FROM {SQLITE_FTS_TABLE} "  # noqa: S608
                f"WHERE {SQLITE_FTS_TABLE} MATCH %s",
                [*SQLITE_WEIGHTS, match],
            )
            scores = {pk: -score for pk, score in cursor.fetchall()}
        matching = RawSQL(  # noqa: S611
            f"SELECT rowid FROM {SQLITE_FTS_TABLE} WHERE {SQLITE_FTS_TABLE} MATCH %s",  # noqa: S608
            [match],  # noqa: S608
        )
        candidates = services.filter(pk__in=matching).annotate(search_exact=_exact_q(words, found))
        columns = ["pk", "title", "search_exact"] + (["distance_km2"] if near else [])
        half = DISTANCE_HALF_KM * DISTANCE_HALF_KM
        ranked = []
        for row in candidates.order_by().values_list(*columns):
            pk, title, exact = row[:3]
            decay = half / (half + (row[3] or 0.0)) if near else 1.0
            ranked.append((-exact, -scores.get(pk, 0.0) * decay, title, pk))
        ranked.sort()
        self.pks = [row[3] for row in ranked]
