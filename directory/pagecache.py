"""Public pages from the shared cache, and the one place that invalidates them.

What is cached: anonymous GET/HEAD answers of the home, service, organization and
search pages (the views mark themselves: `cache_this`), in the cache alias
`STEWARD["PAGE_CACHE"]["CACHE"]` (Redis in production, local memory on the
embedded default). The key is the scheme, host, path, the query string with its
parameters sorted, and the language of the answer.

Invalidation is by tags. Each entry stores the tags it depends on with the
generation each tag had *before* the page was rendered; a tag's generation is a
unique token in the cache, and bumping a tag writes a new token. A hit whose
stored generations differ from the current ones is a miss. Tags:

- ``page:<id>``: the listing itself (service or organization page);
- ``children:<id>``: the pages under an organization (its page lists them);
- ``loc:<id>``: a location (every service there shows it, and the others there);
- ``directory``: any listing change (search and home pages).

A page lives at most until the next opening or closing time it shows (any call of
`directory.querysets.service_open_state` during the render notes the hours it
judged: `note_hours`), the next local midnight ("opens tomorrow" becomes "opens
today") and `MAX_SECONDS`.

What is never cached: a request carrying any cookie but the language and CSRF
ones (a session, the plan cookie, messages), a signed-in person, an
`Authorization` header; an answer that sets a cookie, used the CSRF token, changed
the session, is not a 200 or says `Cache-Control: private/no-cache/no-store`.

A hit is one round trip to the cache: `get_many` of the entry and of the
generations of the tags this process last saw that URL depend on (`_TAGS_SEEN`, a
hint: a tag the entry names and the hint lacks is read in a second trip). The
middleware sits before the session, language, CSRF and authentication
middleware, so a hit does none of their work: with no cookie but the neutral
ones and no Authorization header the reader is anonymous, and the language is
chosen from the request as LocaleMiddleware does (a page rendered in another
language is not stored under that key).

Views of a listing are reported through the hook `steward_listing_viewed`
(`fn(request, page_id)`) for every GET served, from the cache or not (impact
adds them up in memory and moves them to the cache from a timer: no extra trip).
"""

import contextvars
import datetime as dt
import hashlib
import secrets
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation

from wagtail import hooks

GLOBAL_TAG = "directory"
LISTING_VIEWED_HOOK = "steward_listing_viewed"
# Tests give each test its own namespace (as directory.throttle's).
NAMESPACE = "steward-pages"
# Cookies that do not change what an anonymous page shows: the language is part
# of the key, and public pages never render a CSRF token.
NEUTRAL_COOKIES = frozenset({"django_language", "csrftoken"})
MAX_QUERY_LENGTH = 1000
# Another server's clock may be this far behind: a tag bumped that recently
# keeps pages that depend on it out of the cache.
CLOCK_MARGIN_NS = 1_000_000_000
DEFAULTS = {
    "ENABLED": True,
    "CACHE": "default",
    "MAX_SECONDS": 600,
    # A search filtered on "open now" lists services that open later: short-lived.
    "OPEN_NOW_SEARCH_SECONDS": 60,
}

_render = contextvars.ContextVar("steward_page_render", default=None)


def conf():
    return {**DEFAULTS, **settings.STEWARD.get("PAGE_CACHE", {})}


def _cache():
    return caches[conf()["CACHE"]]


def _gen_key(tag):
    return f"{NAMESPACE}:gen:{tag}"


# --- Invalidation -------------------------------------------------------------------


def _bump(tags):
    token = f"{time.time_ns():x}-{secrets.token_hex(4)}"
    _cache().set_many({_gen_key(tag): token for tag in tags}, timeout=None)


def _bumped_ns(token):
    try:
        return int(str(token).split("-", 1)[0], 16)
    except ValueError:
        return 0


def invalidate_tags(tags):
    """Bump each tag: every cached page that depends on one of them is a miss.

    Bumped now (entries already stored) and again when the transaction commits
    (a page rendered meanwhile from the data before the commit is not kept).
    """
    tags = {str(tag) for tag in tags if tag}
    if not tags:
        return
    _bump(tags)
    transaction.on_commit(lambda: _bump(tags))


def invalidate_listing(page_id, *, location_ids=None):
    """A listing changed: its own page, the pages under it (an organization's
    services show its name), the page above it (an organization lists its
    services), the pages of the services sharing its locations (each lists the
    others there), and every search and home page."""
    from wagtail.models import Page

    from directory.models import ServiceAtLocation

    tags = {f"page:{page_id}", GLOBAL_TAG}
    path = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if path:
        tags.add(f"below:{path}")
        tags.add(f"above:{path[: -Page.steplen]}")
    if location_ids is None:
        location_ids = ServiceAtLocation.objects.filter(service_id=page_id).values_list(
            "location_id", flat=True
        )
    tags.update(f"loc:{pk}" for pk in location_ids)
    invalidate_tags(tags)


def invalidate_location(location):
    """A location changed: every service there, its organization's page, searches."""
    tags = {f"loc:{location.pk}", GLOBAL_TAG}
    organization = getattr(location, "organization", None)
    if organization is not None:
        tags.add(f"above:{organization.path}")
    invalidate_tags(tags)


def invalidate_all_listings():
    """Every public page (an import, a move in the tree): a new generation for the
    whole directory, read by every entry."""
    invalidate_tags({GLOBAL_TAG, "all"})


def page_changed(page):
    """A page was published, unpublished or deleted: the listing's pages, or all
    of them for any other page (the home page, the tree)."""
    from directory.models import OrganizationPage, ServicePage

    specific = getattr(page, "specific_class", None) or type(page)
    if issubclass(specific, (ServicePage, OrganizationPage)):
        invalidate_listing(page.pk)
    else:
        invalidate_all_listings()


def mark_served_page(page, request):
    """`before_serve_page`: which Wagtail pages may be cached, and on what they
    depend. Service pages are also the listing views counted."""
    from directory.home import home_page_model
    from directory.models import OrganizationPage, ServicePage

    if isinstance(page, ServicePage):
        request.steward_listing_id = page.pk
        cache_this(
            request, f"page:{page.pk}", f"below:{page.path[: -page.steplen]}", page_id=page.pk
        )
    elif isinstance(page, OrganizationPage):
        cache_this(request, f"page:{page.pk}", f"above:{page.path}")
    elif isinstance(page, home_page_model()):
        cache_this(request, GLOBAL_TAG)


# --- What a render depends on ---------------------------------------------------------


class Render:
    """What the page being rendered depends on and how long it stays true."""

    def __init__(self, now):
        self.now = now
        self.cacheable = False
        self.tags = {"all"}
        self.page_id = None
        self.expires = now + dt.timedelta(seconds=conf()["MAX_SECONDS"])
        self.expire_at(_next_midnight(now, settings.TIME_ZONE))

    def expire_at(self, moment):
        if moment is not None and moment > self.now and moment < self.expires:
            self.expires = moment


def _next_midnight(now, zone_name):
    from directory.querysets import zone_or_default

    zone = zone_or_default(zone_name)
    local = now.astimezone(zone)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def cache_this(request, *tags, page_id=None, max_seconds=None):
    """The view's answer may be cached for anonymous readers, depending on `tags`."""
    render = _render.get()
    if render is None:
        return
    render.cacheable = True
    render.tags.update(tags)
    if page_id is not None:
        render.page_id = page_id
    if max_seconds is not None:
        render.expire_at(render.now + dt.timedelta(seconds=max_seconds))


def depends_on(*tags):
    render = _render.get()
    if render is not None:
        render.tags.update(tags)


def note_hours(rows, now):
    """The page shows an open state judged from `rows` ((row, zone, place) as for
    querysets.effective_open_state): it expires at the next opening or closing
    time of any row today, or the row's local midnight, whichever comes first.
    (A superset of the real changes of state, so never later than one.)"""
    render = _render.get()
    if render is None:
        return
    from directory.querysets import zone_or_default

    for row, zone_name, _place in rows:
        zone = zone_or_default(zone_name)
        local = now.astimezone(zone)
        render.expire_at(
            dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        )
        for moment in (row.opens_at, row.closes_at):
            if moment is not None:
                render.expire_at(dt.datetime.combine(local.date(), moment, tzinfo=zone))


# --- The middleware -------------------------------------------------------------------


def _key(request, language):
    query = request.META.get("QUERY_STRING", "")
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    raw = "|".join((request.scheme, request.get_host(), request.path, urlencode(pairs), language))
    return f"{NAMESPACE}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _may_read(request):
    """Whether the cache may answer, before any session, language or user work:
    an anonymous GET or HEAD, which a request with no cookie but the neutral ones
    and no Authorization header is (people sign in with a session cookie)."""
    if request.method not in ("GET", "HEAD") or not conf()["ENABLED"]:
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return all(name in NEUTRAL_COOKIES for name in request.COOKIES)


def _may_store(request, response, render, language):
    if request.method != "GET" or not render.cacheable:
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # The page is in the language the key says (LocaleMiddleware chose it the same way).
    if getattr(request, "LANGUAGE_CODE", None) != language:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _current(cache, tags):
    keys = [_gen_key(tag) for tag in tags]
    found = cache.get_many(keys)
    return {tag: found.get(key, "0") for tag, key in zip(tags, keys, strict=True)}


# The tags each cached URL depended on when this process last read it: a hit reads
# the entry and those tags' generations in one round trip (`get_many`). Only a hint:
# a hit always compares every tag the entry names, reading any the hint missed.
_TAGS_SEEN = {}
TAGS_SEEN_MAX = 20_000


def _remember_tags(key, tags):
    if len(_TAGS_SEEN) >= TAGS_SEEN_MAX:
        _TAGS_SEEN.clear()
    _TAGS_SEEN[key] = tuple(tags)


def listing_viewed(request, page_id):
    """Tell every `steward_listing_viewed` hook (impact counts views)."""
    if request.method != "GET" or page_id is None:
        return
    for fn in hooks.get_hooks(LISTING_VIEWED_HOOK):
        fn(request, page_id)


class PageCacheMiddleware:
    """Serves marked public pages from the cache. Place it first but for security
    and static files: a hit costs one cache round trip and none of the session,
    language, CSRF or authentication work (`_may_read` needs none of it), and the
    entry keeps the headers the inner middleware added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        readable = _may_read(request)
        if readable:
            cache = _cache()
            language = translation.get_language_from_request(request)
            key = _key(request, language)
            response = self._hit(cache, key, request)
            if response is not None:
                return response
        render = Render(timezone.now())
        started_ns = time.time_ns()
        token = _render.set(render)
        try:
            response = self.get_response(request)
        finally:
            _render.reset(token)
        if readable and _may_store(request, response, render, language):
            self._store(cache, key, response, render, started_ns)
        if 200 <= response.status_code < 300:
            listing_viewed(request, getattr(request, "steward_listing_id", None))
        return response

    def _hit(self, cache, key, request):
        hinted = _TAGS_SEEN.get(key, ())
        gen_keys = [_gen_key(tag) for tag in hinted]
        found = cache.get_many([key, *gen_keys])
        entry = found.get(key)
        if entry is None:
            return None
        if entry["expires"] <= timezone.now().timestamp():
            return None
        tags = entry["tags"]
        current = {tag: found.get(gen, "0") for tag, gen in zip(hinted, gen_keys, strict=True)}
        missing = sorted(tag for tag in tags if tag not in current)
        if missing:
            current.update(_current(cache, missing))
        if hinted != tuple(sorted(tags)):
            _remember_tags(key, sorted(tags))
        if any(current[tag] != value for tag, value in tags.items()):
            return None
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        if request.method == "HEAD":
            response.content = b""
        response["X-Steward-Cache"] = "hit"
        listing_viewed(request, entry["page_id"])
        return response

    def _store(self, cache, key, response, render, started_ns):
        tags = _current(cache, sorted(render.tags))
        # A tag bumped after the render began (less a margin for clocks of other
        # servers) may be a change this render did not see: not stored.
        if any(_bumped_ns(value) >= started_ns - CLOCK_MARGIN_NS for value in tags.values()):
            return
        seconds = int((render.expires - timezone.now()).total_seconds())
        if seconds <= 0:
            return
        entry = {
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("set-cookie", "x-steward-cache")
            ],
            "content": response.content,
            "tags": tags,
            "expires": render.expires.timestamp(),
            "page_id": render.page_id,
        }
        cache.set(key, entry, timeout=seconds)
        _remember_tags(key, sorted(tags))
        response["X-Steward-Cache"] = "miss"
