"""Listings found from their URL in one query (issue 14: an uncached service page
in a fixed, small number of queries).

Wagtail routes a URL by reading the site's root page's specific row, then one or
two queries per level (the child by slug, its specific row), then two more for
view restrictions (the ancestors, then their restrictions). A service page
(/org/service/) or an organization page (/org/) under the home page is found
here in one query that also brings:

- whether any view restriction could apply to it (a restriction on it or a page
  above it, or an alias above it): when none can, `get_view_restrictions`
  answers without a query (`NoRestrictionQueryMixin`); otherwise Wagtail's own
  two queries decide, as before;
- a service's organization (title and tree position) and the names of its
  languages, for its page.

The rules stay Wagtail's: the page must be live (pages above it need not be), a
restricted page is served through Wagtail's restriction checks, anything else
(other depths, other page types, a site whose root is not the home page) is
routed by Wagtail.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404

from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

# Annotations the listing query sets on the page it finds.
MAY_BE_RESTRICTED = "_steward_may_be_restricted"
ORGANIZATION_PREFIX = "_steward_organization_"
ORGANIZATION_FIELDS = ("id", "title", "path", "depth", "url_path", "slug")


def _above_or_self(pages):
    """Those of `pages` that are the outer page or above it (a path prefix of
    its path). `pages` is a small set picked first (an `IN` list the database
    reads once): matched against every page's path prefix, SQLite would scan
    the whole page tree for each row."""
    return Page.objects.filter(
        pk__in=pages, path=Substr(OuterRef("path"), 1, Length("path"))
    ).values("pk")


def in_private_section():
    """True for a page in a private section: a view restriction on it or on a
    page above it. Wagtail's `PageQuerySet.public()` reads every restriction
    first (a query) to build the same condition; this is one SQL `EXISTS`."""
    return Exists(_above_or_self(PageViewRestriction.objects.values("page_id")))


def restriction_annotations():
    aliases = Page.objects.filter(alias_of__isnull=False).values("pk")
    return {MAY_BE_RESTRICTED: in_private_section() | Exists(_above_or_self(aliases))}


# Between the language names of a service in one column (no name holds it).
NAMES_SEPARATOR = "\x1f"
LANGUAGE_NAMES = "_steward_language_names"


def language_annotations():
    """The names of the languages a service is offered in, in one column (the
    order is made in Python: SQLite before 3.44 cannot order an aggregate)."""
    from django.db.models import StringAgg, Value

    from directory.models import ServicePage

    through = ServicePage.languages.through
    names = (
        through.objects.filter(servicepage_id=OuterRef("pk"))
        .order_by()
        .values("servicepage_id")
        .annotate(names=StringAgg("language__name", Value(NAMES_SEPARATOR)))
        .values("names")
    )
    return {LANGUAGE_NAMES: Subquery(names)}


def routed_language_names(service):
    """The service's language names by name, as the listing query brought them;
    None when the service was not found that way (a preview, another path)."""
    if not hasattr(service, LANGUAGE_NAMES):
        return None
    names = getattr(service, LANGUAGE_NAMES) or ""
    return sorted((name for name in names.split(NAMES_SEPARATOR) if name), key=str.casefold)


def organization_annotations():
    """The service's parent (its path less one step), field by field."""
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    )
    return {
        f"{ORGANIZATION_PREFIX}{name}": Subquery(parent.values(name)[:1])
        for name in ORGANIZATION_FIELDS
    }


# The listing query's SQL is built once per process and model (Django compiling
# its subqueries cost about a third of an uncached page's time); each request
# only fills in the slug, depth and URL path. Placeholders mark where they go.
_SLUG, _URL_PATH, _DEPTH = "\x00steward-slug", "\x00steward-url-path", 7_654_321
_compiled = {}


def _listing_sql(model, connection):
    key = (model, connection.alias)
    if key not in _compiled:
        annotations = restriction_annotations()
        if model.__name__ == "ServicePage":
            annotations.update(organization_annotations())
            annotations.update(language_annotations())
        queryset = (
            model.objects.filter(slug=_SLUG, depth=_DEPTH, url_path=_URL_PATH)
            .annotate(**annotations)
            .order_by()[:1]
        )
        sql, params = queryset.query.get_compiler(connection.alias).as_sql()
        slots = [
            {_SLUG: "slug", _URL_PATH: "url_path"}.get(p) if isinstance(p, str) else None
            for p in params
        ]
        slots = [
            "depth" if isinstance(p, int) and not isinstance(p, bool) and p == _DEPTH else slot
            for p, slot in zip(params, slots, strict=True)
        ]
        if sorted(filter(None, slots)) != ["depth", "slug", "url_path"]:
            raise RuntimeError(f"Unexpected listing query parameters: {params!r}")
        _compiled[key] = (sql, list(params), slots)
    return _compiled[key]


def find_listing(root, path_components):
    """The live service or organization page at `path_components` under `root`
    (the home page), annotated as above; None when there is none at that URL
    (Wagtail routes it); Http404 when it is there but not live."""
    from django.db import connections, router

    from directory.models import OrganizationPage, ServicePage

    model = {1: OrganizationPage, 2: ServicePage}.get(len(path_components))
    if model is None:
        return None
    connection = connections[router.db_for_read(model)]
    sql, params, slots = _listing_sql(model, connection)
    values = {
        "slug": path_components[-1],
        "depth": root.depth + len(path_components),
        "url_path": f"{root.url_path}{'/'.join(path_components)}/",
    }
    params = [values[slot] if slot else value for value, slot in zip(params, slots, strict=True)]
    page = next(iter(model.objects.raw(sql, params, using=connection.alias)), None)
    if page is None:
        return None
    if not page.live:
        raise Http404
    return page


def routed_organization(service):
    """The organization the listing query brought with a service page (an
    OrganizationPage instance with the fields to link to it), or None when the
    service was not found that way (a preview, another path)."""
    from directory.models import OrganizationPage

    values = {
        name: getattr(service, f"{ORGANIZATION_PREFIX}{name}", None) for name in ORGANIZATION_FIELDS
    }
    if values["id"] is None:
        return None
    return OrganizationPage(**values)


def route_request(request, path):
    """Before Wagtail's serve view: route a listing URL with `find_listing` and
    leave the result where Wagtail's `Page.route_for_request` looks first."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Site

    from directory.home import home_page_model

    if hasattr(request, "_wagtail_route_for_request"):
        return
    components = [component for component in path.split("/") if component]
    if len(components) not in (1, 2):
        return
    site = Site.find_for_request(request)
    if site is None:
        return
    root = site.root_page
    if root.content_type_id != ContentType.objects.get_for_model(home_page_model()).pk:
        return
    try:
        page = find_listing(root, components)
    except Http404:
        request._wagtail_route_for_request = None
        return
    if page is not None:
        request._wagtail_route_for_request = RouteResult(page)


class NoRestrictionQueryMixin:
    """A listing found by `find_listing` knows whether a view restriction can apply:
    when none can, no query."""

    def get_view_restrictions(self):
        # A raw row: 0 or 1 on SQLite, a boolean on PostgreSQL; None: not found that way.
        flag = getattr(self, MAY_BE_RESTRICTED, None)
        if flag is not None and not flag:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
