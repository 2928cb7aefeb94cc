"""Public search: what a person typed, where, and which filters, to a page of services.

Keywords are matched against each service's stored search document
(directory.search_index: a GIN-indexed tsvector on PostgreSQL, an FTS5 table with
the porter stemmer on SQLite), with synonyms (directory.synonyms) and, on
PostgreSQL, typo tolerance. The filters are applied to the services first, so
only what may be shown is ranked; the ranking blends relevance with distance
(the formula is explained in directory.search_index).
"""

import re
import unicodedata

from django.utils import timezone

from directory.models import ServicePage
from directory.search_index import is_postgresql, rank_services

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def clean_text(value, *, max_length):
    """Printable text, at most `max_length` characters, and whether it was cut.

    Drops NUL and other control characters (PostgreSQL refuses NUL in text) and
    normalises Unicode so look-alike forms match the index.
    """
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    text = " ".join(text.split())
    if len(text) > max_length:
        return text[:max_length].rstrip(), True
    return text, False


def search_terms(query):
    """The words of `query` for the backend: no operators or quotes reach FTS5."""
    return " ".join(_WORD_RE.findall(query)[:MAX_QUERY_WORDS])


def search_services(
    query,
    *,
    near=None,
    category=None,
    language=None,
    open_now=False,
    now=None,
    radius_km=None,
    include_defunct=False,
):
    """Services matching `query` and the filters, best first: without words, nearest
    first with `near` (else by title); with words, by directory.search_index's
    ranking (exact title or category matches, then relevance decayed by distance).

    `near` is a directory.geo.Point, `category` a TaxonomyTerm (its sub-categories
    count), `language` a Language or its code. Returns something the paginator can
    slice: search results when there are words to match, else a queryset.
    """
    if include_defunct:
        services = ServicePage.objects.live().public()
    else:
        services = ServicePage.objects.listed()
    if category is not None:
        services = services.in_category(category)
    if language is not None:
        services = services.speaking(language)
    if open_now:
        services = services.open_now(now or timezone.now())
    words = search_terms(query or "").split()
    if words and is_postgresql():
        # Bounded, index-driven candidates; distance measured for them alone.
        return rank_services(services, words, near=near, radius_km=radius_km)
    if near is not None:
        services = services.near(near, radius_km).by_distance()
    else:
        services = services.order_by("title", "pk")
    if not words:
        return services
    return rank_services(services, words, near=near)
