"""What each endpoint lists, with the HSDS filters applied (all cumulative: AND)."""

from django.db.models import Max, Q

from wagtail.models import ModelLogEntry, PageLogEntry

from directory.geo import zip_centroid
from directory.hsds.serialize import listed_services
from directory.models import (
    Location,
    OrganizationPage,
    ServiceAtLocation,
    ServicePage,
    Taxonomy,
    TaxonomyTerm,
)
from directory.querysets import links_near
from directory.search import clean_text, search_terms


class BadParameter(ValueError):
    def __init__(self, parameter, detail):
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


def search_words(text):
    cleaned, _ = clean_text(text or "", max_length=200)
    return search_terms(cleaned)


def public_places():
    """Locations whose address may be shown (never a confidential one)."""
    return Location.objects.filter(address_is_public=True, possible_confidential=False)


def filtered_services(filters, *, located=None):
    """Listed services matching every filter given, as a queryset (no search)."""
    services = listed_services()
    if filters.taxonomy_term_id:
        term = TaxonomyTerm.objects.filter(uuid=filters.taxonomy_term_id).first()
        services = services.in_category(term) if term else services.none()
    if filters.taxonomy_id:
        through = ServicePage.categories.through
        links = through.objects.filter(taxonomyterm__taxonomy__uuid=filters.taxonomy_id)
        services = services.filter(pk__in=links.values("servicepage_id"))
    if filters.organization_id:
        organization = OrganizationPage.objects.filter(uuid=filters.organization_id).first()
        services = services.child_of(organization) if organization else services.none()
    if filters.modified_after:
        services = services.filter(last_published_at__gte=filters.modified_after)
    if located is not None:
        services = services.filter(pk__in=located.values("service_id"))
    return services


def located_links(filters):
    """Service-at-location links that `postcode` / `proximity` keep; None without them.

    A confidential place never matches a ZIP code (that would tell where it is);
    with `proximity` it is measured from its coarse point, as search does
    (ServiceQuerySet.near), and no distance is ever given.
    """
    postcode = getattr(filters, "postcode", None)
    proximity = getattr(filters, "proximity", None)
    if proximity is not None and not postcode:
        raise BadParameter("proximity", "proximity needs a postcode to measure from.")
    if not postcode:
        return None
    zip5 = postcode[:5]
    if proximity is not None:
        point = zip_centroid(zip5)
        if point is None:
            raise BadParameter("postcode", f"We don’t know the ZIP code {zip5}.")
        return ServiceAtLocation.objects.filter(
            pk__in=links_near(point, proximity / 1000).values("pk")
        )
    in_zip = public_places().filter(postal_code__startswith=zip5)
    by_area = ServicePage.objects.filter(service_area__contains=zip5)
    return ServiceAtLocation.objects.filter(
        Q(location__in=in_zip.values("pk")) | Q(service__in=by_area.values("pk"))
    )


def services(filters):
    located = located_links(filters)
    return filtered_services(filters, located=located).order_by("title", "pk")


def service_links(filters):
    located = located_links(filters)
    links = ServiceAtLocation.objects.filter(service__in=filtered_services(filters).values("pk"))
    if located is not None:
        links = links.filter(pk__in=located.values("pk"))
    return links.order_by("service__title", "service_id", "sort_order", "pk")


def organizations(filters):
    return OrganizationPage.objects.live().public().order_by("title", "pk")


def taxonomies(filters):
    qs = Taxonomy.objects.order_by("name", "pk")
    words = search_words(filters.search)
    if words:
        for word in words.split():
            qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return qs


def taxonomy_terms(filters):
    qs = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("tree_path", "pk")
    if filters.taxonomy_id:
        qs = qs.filter(taxonomy__uuid=filters.taxonomy_id)
    if filters.top_only:
        qs = qs.filter(parent__isnull=True)
    if filters.parent_id:
        qs = qs.filter(parent__uuid=filters.parent_id)
    words = search_words(filters.search)
    for word in words.split():
        qs = qs.filter(Q(name__icontains=word) | Q(code__iexact=word))
    return qs


def last_change():
    """When anything the API shows last changed (a publish, an unpublish, an edit
    of a location, a category): Wagtail's logs and the categories' history."""
    stamps = [
        PageLogEntry.objects.aggregate(m=Max("timestamp"))["m"],
        ModelLogEntry.objects.aggregate(m=Max("timestamp"))["m"],
        TaxonomyTerm.history.aggregate(m=Max("history_date"))["m"],
        Taxonomy.history.aggregate(m=Max("history_date"))["m"],
    ]
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None
