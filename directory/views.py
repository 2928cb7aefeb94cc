from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from wagtail import views as wagtail_views

from directory import pagecache
from directory.geo import KM_PER_MILE, PlaceNotFound, parse_near
from directory.models import Language, TaxonomyTerm
from directory.routing import route_request
from directory.search import MAX_QUERY_LENGTH, clean_text, search_services
from directory.selectors import CATEGORY_SHORTCUTS, service_cards

TRUE_VALUES = {"1", "on", "true", "yes"}


def serve_page(request, path):
    """Wagtail's page view, with listings routed in one query first
    (directory.routing.route_request)."""
    route_request(request, path)
    return wagtail_views.serve(request, path)


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _page_number(raw):
    """A page number from whatever was typed: 1 unless it is a positive integer."""
    text, _ = clean_text(raw, max_length=12)
    try:
        number = int(text)
    except ValueError:
        return 1
    return max(number, 1)


def _find_category(code):
    """A term by code (as the home page links) or, failing that, by slug."""
    terms = TaxonomyTerm.objects.order_by("tree_path")
    return _first(terms.filter(code=code)) or _first(terms.filter(slug=code))


def _first(queryset):
    return next(iter(queryset[:1]), None)


@require_safe
def search(request):
    """`/search/?q=&near=&category=&language=&open_now=1&page=`.

    Bad input never fails the page: each problem becomes a notice and the search
    runs without the part that could not be understood.
    """
    notices = []
    query, cut = clean_text(request.GET.get("q", ""), max_length=MAX_QUERY_LENGTH)
    if cut:
        notices.append(
            gettext("Your search was very long, so we used only its first %(count)d characters.")
            % {"count": MAX_QUERY_LENGTH}
        )

    near_text, _ = clean_text(request.GET.get("near", ""), max_length=100)
    point = None
    if near_text:
        try:
            point = parse_near(near_text)
        except PlaceNotFound as exc:
            notices.append(
                gettext("%(problem)s Showing results from everywhere.") % {"problem": exc}
            )

    category_code, _ = clean_text(request.GET.get("category", ""), max_length=64)
    category = None
    if category_code:
        category = _find_category(category_code)
        if category is None:
            notices.append(
                gettext("We don’t have a category “%(code)s”. Showing all categories.")
                % {"code": category_code}
            )
            category_code = ""

    languages = list(Language.objects.all())
    language_code, _ = clean_text(request.GET.get("language", ""), max_length=16)
    language = None
    if language_code:
        language = next((lang for lang in languages if lang.code == language_code), None)
        if language is None:
            notices.append(
                gettext("We don’t know the language “%(code)s”. Showing all languages.")
                % {"code": language_code}
            )
            language_code = ""

    open_now = clean_text(request.GET.get("open_now", ""), max_length=8)[0].lower() in TRUE_VALUES

    # Any listing change may change any search (directory.pagecache); with "open
    # now" a service not shown may open at any time.
    pagecache.cache_this(
        request,
        pagecache.GLOBAL_TAG,
        max_seconds=pagecache.conf()["OPEN_NOW_SEARCH_SECONDS"] if open_now else None,
    )
    radius_km = settings.STEWARD["NEAR_RADIUS_KM"]
    results = search_services(
        query,
        near=point,
        category=category,
        language=language,
        open_now=open_now,
        now=timezone.now(),
        radius_km=radius_km,
    )
    paginator = Paginator(results, settings.STEWARD["SEARCH_PAGE_SIZE"])
    number = min(_page_number(request.GET.get("page", "")), paginator.num_pages)
    page = paginator.page(number)
    cards = service_cards(page.object_list, now=timezone.now(), request=request, near=point)

    category_options = [{"code": code, "label": label} for label, code, _ in CATEGORY_SHORTCUTS]
    if category is not None and category.code not in {o["code"] for o in category_options}:
        category_options.insert(
            0, {"code": category.code or category.slug, "label": category.display_name}
        )

    return render(
        request,
        "directory/search.html",
        {
            "query": query,
            "near": near_text,
            "place": point,
            "radius_miles": round(radius_km / KM_PER_MILE),
            "category": category,
            "category_code": (category.code or category.slug) if category else "",
            "category_options": category_options,
            "languages": languages,
            "language": language,
            "open_now": open_now,
            "notices": notices,
            "page": page,
            "paginator": paginator,
            "cards": cards,
            "confidential_shown": any(card.confidential for card in cards),
            "searched": bool(query or point or category or language or open_now),
        },
    )
