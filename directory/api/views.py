"""The HSDS 3.0 API (django-ninja): every endpoint of the reference openapi.json.

Lists are HSDS `Page` envelopes in a stable order; `format=ndjson` streams every
result. Objects come from directory.hsds.serialize, a page at a time
(ServiceBatch: a fixed number of queries whatever the page holds).
"""

import json
import math
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.http import HttpResponse, StreamingHttpResponse

from ninja import NinjaAPI, Query
from ninja.errors import ValidationError

from directory.hsds import serialize
from directory.models import OrganizationPage, ServiceAtLocation, Taxonomy, TaxonomyTerm

from . import queries
from .openapi import describe, hsds_components
from .params import (
    LocatedFilters,
    OrganizationFilters,
    OrganizationOptions,
    Paging,
    ServiceFilters,
    TermFilters,
)
from .problems import bad_parameter, not_found

HSDS_VERSION = "3.0"
# The HSDS profile this API follows: the base HSDS 3.0, no profile of its own.
PROFILE_URL = "https://docs.openreferral.org/en/3.0/hsds/"
NDJSON_CHUNK = 200
MINIMAL_FIELDS = ("id", "name", "status", "last_modified")


def list_fields(component):
    """The one-to-one fields of an HSDS *_list schema (what a list item holds)."""
    properties = hsds_components()[component]["properties"]
    return [k for k, v in properties.items() if v.get("type") not in ("object", "array")]


class HSDSApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return describe(super().get_openapi_schema(*args, **kwargs))


api = HSDSApi(
    title="Steward HSDS API",
    version=HSDS_VERSION,
    description=(
        "The published listings of this Steward directory as Open Referral HSDS 3.0. "
        "Read-only, no key; requests are rate-limited per client."
    ),
    urls_namespace="hsds",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    error = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in error.get("loc", ())]
    names = [part for part in loc if part not in ("query", "body", "path", "filters")]
    parameter = names[0] if names else "request"
    detail = error.get("msg") or "This value is not valid."
    return bad_parameter(parameter, f"{parameter}: {detail}")


@api.exception_handler(queries.BadParameter)
def bad(request, exc):
    return bad_parameter(exc.parameter, exc.detail)


# --- answers -------------------------------------------------------------------


def as_json(data, *, last_modified=None):
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/json",
    )
    response.steward_last_modified = last_modified
    return response


def page_of(items, total, page, per_page):
    total_pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": items,
    }


def listing(request, qs, filters, render, *, search=None):
    """A Page envelope of `qs` (or its search results), or every result as ndjson."""
    words = queries.search_words(filters.search)
    if filters.format == "ndjson":
        if words and search is not None:
            qs = qs.filter(pk__in=matched_pks(search(qs, words)))
        return ndjson(qs, render)
    if words and search is not None:
        qs = search(qs, words)
    start = (filters.page - 1) * filters.per_page
    total = qs.count()
    items = render(list(qs[start : start + filters.per_page])) if start < total else []
    return as_json(
        page_of(items, total, filters.page, filters.per_page),
        last_modified=queries.last_change(),
    )


def matched_pks(results):
    """The primary keys of search results (numbers only, read a chunk at a time)."""
    pks, start = [], 0
    while True:
        chunk = [obj.pk for obj in results[start : start + NDJSON_CHUNK]]
        pks.extend(chunk)
        if len(chunk) < NDJSON_CHUNK:
            return pks
        start += NDJSON_CHUNK


def ndjson(qs, render):
    """Every result, one JSON object a line, in primary-key order, a chunk at a
    time by keyset paging (pk > the last one sent): each chunk is one short
    indexed query however far the stream has gone, and only one chunk is in
    memory, so memory stays flat however many results there are."""
    ordered = qs.order_by("pk")

    def lines():
        last = None
        while True:
            page = ordered if last is None else ordered.filter(pk__gt=last)
            chunk = list(page[:NDJSON_CHUNK])
            if not chunk:
                return
            last = chunk[-1].pk
            for obj in render(chunk):
                yield json.dumps(obj, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"
            if len(chunk) < NDJSON_CHUNK:
                return

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson")


def search_pages(qs, words):
    """Search results in the list's stable order (expressions, which the search
    backend accepts as an ordering, unlike names). The backend reads plain column
    filters only, so the list's own filters (listed()'s EXISTS among them) reach it
    as one primary-key subquery, which it leaves to SQL."""
    within = qs.model.objects.filter(pk__in=qs.values("pk"))
    ordered = within.order_by(F("title").asc(), F("pk").asc())
    return ordered.search(words, order_by_relevance=False)


def parse_id(value):
    """The UUID in a path, or None (then the answer is a 404, never an error)."""
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def absolute(request, path):
    base = settings.STEWARD.get("PUBLIC_URL")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


# --- renderers (a page of objects at a time) ---------------------------------------


def render_services(filters):
    def render(services):
        batch = serialize.ServiceBatch(services, metadata=filters.full)
        if filters.minimal:
            fields = MINIMAL_FIELDS
        elif not filters.full:
            fields = list_fields("hsds_service_list")
        else:
            return [batch.service(s, full=True) for s in batch]
        out = []
        for s in batch:
            data = batch.service(s, full=False)
            out.append({k: data[k] for k in fields if k in data})
        return out

    return render


def render_links(filters):
    def render(links):
        services = {link.service_id for link in links}
        from directory.models import ServicePage

        batch = serialize.ServiceBatch(
            ServicePage.objects.filter(pk__in=services), metadata=filters.full
        )
        by_pk = {s.pk: s for s in batch}
        out = []
        for link in links:
            service = by_pk[link.service_id]
            loaded = next(x for x in service.service_at_locations.all() if x.pk == link.pk)
            data = serialize.service_at_location(
                loaded, service_obj=service, full=filters.full, batch=batch
            )
            if filters.full:
                data["service"] = {
                    k: v
                    for k, v in batch.service(service, full=False).items()
                    if k in list_fields("hsds_service_list")
                }
            out.append(data)
        return out

    return render


def services_of(organizations):
    """One batch for the listed services of a page of organizations."""
    if not organizations:
        return serialize.ServiceBatch([])
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    under = reduce(or_, [Q(path__startswith=o.path, depth=o.depth + 1) for o in organizations])
    return serialize.ServiceBatch(serialize.listed_services().filter(under))


def render_organizations(filters):
    def render(organizations):
        if not filters.full:
            out = []
            for o in organizations:
                data = serialize.organization(o, services=None)
                out.append({k: data[k] for k in list_fields("hsds_organization_list") if k in data})
            return out
        batch = services_of(organizations)
        return [
            serialize.organization(o, full_service=filters.full_service, batch=batch, services=[])
            for o in organizations
        ]

    return render


# --- endpoints ---------------------------------------------------------------------


@api.get("/", operation_id="about", summary="About this API")
def about(request):
    return as_json(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": absolute(request, request.path.rstrip("/") + "/openapi.json"),
        }
    )


@api.get("/services", operation_id="list_services", summary="Services")
def list_services(request, filters: Query[LocatedFilters]):
    return listing(
        request, queries.services(filters), filters, render_services(filters), search=search_pages
    )


@api.post("/services", operation_id="query_services", summary="Services (query in the body)")
def query_services(request, filters: LocatedFilters):
    return list_services(request, filters)


@api.get("/services/{id}", operation_id="get_service", summary="One service, fully nested")
def get_service(request, id: str):
    pk = parse_id(id)
    service = serialize.listed_services().filter(uuid=pk).first() if pk else None
    if service is None:
        return not_found()
    batch = serialize.ServiceBatch([service])
    return as_json(batch.service(batch.services[0], full=True), last_modified=queries.last_change())


@api.get("/organizations", operation_id="list_organizations", summary="Organizations")
def list_organizations(request, filters: Query[OrganizationFilters]):
    return listing(
        request,
        queries.organizations(filters),
        filters,
        render_organizations(filters),
        search=search_pages,
    )


@api.post("/organizations", operation_id="query_organizations", summary="Organizations (body)")
def query_organizations(request, filters: OrganizationFilters):
    return list_organizations(request, filters)


@api.get("/organizations/{id}", operation_id="get_organization", summary="One organization")
def get_organization(request, id: str, options: Query[OrganizationOptions]):
    pk = parse_id(id)
    organization = OrganizationPage.objects.live().public().filter(uuid=pk).first() if pk else None
    if organization is None:
        return not_found()
    batch = services_of([organization])
    data = serialize.organization(
        organization, full_service=options.full_service, batch=batch, services=[]
    )
    return as_json(data, last_modified=queries.last_change())


@api.get(
    "/service_at_locations",
    operation_id="list_service_at_locations",
    summary="Service at locations",
)
def list_service_at_locations(request, filters: Query[LocatedFilters]):
    qs = queries.service_links(filters)
    words = queries.search_words(filters.search)
    if words:
        found = search_pages(queries.services(ServiceFilters()), words)
        qs = qs.filter(service_id__in=[s.pk for s in found])
    return listing(request, qs, filters, render_links(filters))


@api.post(
    "/service_at_locations",
    operation_id="query_service_at_locations",
    summary="Service at locations (query in the body)",
)
def query_service_at_locations(request, filters: LocatedFilters):
    return list_service_at_locations(request, filters)


@api.get(
    "/service_at_locations/{id}",
    operation_id="get_service_at_location",
    summary="One service at a location, fully nested",
)
def get_service_at_location(request, id: str):
    pk = parse_id(id)
    link = (
        ServiceAtLocation.objects.filter(
            uuid=pk, service__in=serialize.listed_services().values("pk")
        )
        .order_by("pk")
        .first()
        if pk
        else None
    )
    if link is None:
        return not_found()
    filters = LocatedFilters(full=True)
    return as_json(render_links(filters)([link])[0], last_modified=queries.last_change())


@api.get("/taxonomies", operation_id="list_taxonomies", summary="Taxonomies")
def list_taxonomies(request, filters: Query[Paging]):
    return listing(
        request,
        queries.taxonomies(filters),
        filters,
        lambda rows: [serialize.taxonomy(t) for t in rows],
    )


@api.get("/taxonomies/{id}", operation_id="get_taxonomy", summary="One taxonomy")
def get_taxonomy(request, id: str):
    pk = parse_id(id)
    taxonomy = Taxonomy.objects.filter(uuid=pk).first() if pk else None
    if taxonomy is None:
        return not_found()
    return as_json(serialize.taxonomy(taxonomy), last_modified=queries.last_change())


@api.get("/taxonomy_terms", operation_id="list_taxonomy_terms", summary="Taxonomy terms")
def list_taxonomy_terms(request, filters: Query[TermFilters]):
    return listing(
        request,
        queries.taxonomy_terms(filters),
        filters,
        lambda rows: [serialize.taxonomy_term(t) for t in rows],
    )


@api.get("/taxonomy_terms/{id}", operation_id="get_taxonomy_term", summary="One taxonomy term")
def get_taxonomy_term(request, id: str):
    pk = parse_id(id)
    term = (
        TaxonomyTerm.objects.select_related("taxonomy", "parent").filter(uuid=pk).first()
        if pk
        else None
    )
    if term is None:
        return not_found()
    return as_json(serialize.taxonomy_term(term), last_modified=queries.last_change())
