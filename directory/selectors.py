"""What each public page shows, gathered in a fixed number of queries.

Templates render what these return and never query: no `.specific`, no related
managers in loops. Every function here costs the same number of queries for one
service as for fifty.
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.models import Page

from directory.geo import KM_PER_MILE, approximate_miles, haversine_km
from directory.links import public_url
from directory.members import organizations_by_path
from directory.models import (
    Location,
    LocationPhone,
    LocationSchedule,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    ServiceSchedule,
)
from directory.models.hours import Weekday, format_time
from directory.models.pages import ServiceStatus
from directory.pagecache import depends_on
from directory.parts import card_parts
from directory.querysets import next_opening, service_open_state, zone_or_default
from directory.routing import routed_language_names, routed_organization
from directory.translations import listing_note, localized, localized_fields

# Home page shortcuts: plain words a person looks for, mapped to Open Eligibility
# top-level codes (directory/data/open-eligibility.json).
CATEGORY_SHORTCUTS = [
    (gettext_lazy("Food"), "102", gettext_lazy("Pantries, free meals, food benefits")),
    (gettext_lazy("Housing"), "103", gettext_lazy("Shelter, rent help, finding a home")),
    (gettext_lazy("Health"), "106", gettext_lazy("Clinics, dental, recovery")),
    (gettext_lazy("Legal"), "111", gettext_lazy("Legal aid, advocacy, mediation")),
    (gettext_lazy("Crisis"), "101", gettext_lazy("Emergency help, safety, shelter tonight")),
    (gettext_lazy("Work"), "110", gettext_lazy("Finding a job, training, rights at work")),
    (gettext_lazy("Money"), "107", gettext_lazy("Benefits, cash help, taxes")),
    (gettext_lazy("Care"), "108", gettext_lazy("Child care, support, foster care")),
    (gettext_lazy("Goods"), "104", gettext_lazy("Clothing, baby supplies, furniture")),
    (gettext_lazy("Transit"), "105", gettext_lazy("Rides and help paying for them")),
    (gettext_lazy("Education"), "109", gettext_lazy("School, classes, tutoring")),
]


def home_context():
    return {
        "category_shortcuts": [
            {"label": label, "code": code, "hint": hint} for label, code, hint in CATEGORY_SHORTCUTS
        ]
    }


# --- shared pieces -----------------------------------------------------------


@dataclass
class PhoneView:
    display: str
    uri: str
    extension: str = ""
    kind: str = ""
    description: str = ""
    language: str = ""
    can_call: bool = True

    @classmethod
    def of(cls, phone):
        return cls(
            display=phone.display,
            uri=phone.uri if phone.can_call else "",
            extension=phone.extension,
            kind=phone.get_type_display() if phone.type != "voice" else "",
            description=phone.description,
            language=phone.language,
            can_call=phone.can_call,
        )


@dataclass
class HoursView:
    days: list = field(default_factory=list)  # [{"name", "times", "today"}]
    exceptions: list = field(default_factory=list)  # ["Dec 25, 2026: closed (Holiday)"]
    open_state: bool | None = None
    zone_note: str = ""
    opens: str = ""
    notes: list = field(default_factory=list)  # ["Open 24/7 by phone", "2nd Tuesday ..."]

    @property
    def weekly(self):
        return any(day["times"] for day in self.days)

    @property
    def empty(self):
        return not self.weekly and not self.exceptions and not self.notes


def updated_text(published_at, now):
    """ "Updated today", "Updated 3 days ago", "Updated 2 months ago"."""
    if not published_at:
        return ""
    days = (now - published_at).days
    if days < 1:
        return _("Updated today")
    if days == 1:
        return _("Updated yesterday")
    if days < 14:
        return ngettext("Updated %(count)d day ago", "Updated %(count)d days ago", days) % {
            "count": days
        }
    if days < 60:
        weeks = days // 7
        return ngettext("Updated %(count)d week ago", "Updated %(count)d weeks ago", weeks) % {
            "count": weeks
        }
    if days < 365:
        months = days // 30
        return ngettext("Updated %(count)d month ago", "Updated %(count)d months ago", months) % {
            "count": months
        }
    years = days // 365
    if years == 1:
        return _("Updated over a year ago")
    return _("Updated over %(count)d years ago") % {"count": years}


def status_label(service):
    if service.status == ServiceStatus.ACTIVE:
        return ""
    return {
        ServiceStatus.INACTIVE: _("Not running at the moment"),
        ServiceStatus.DEFUNCT: _("Closed for good"),
        ServiceStatus.TEMPORARILY_CLOSED: _("Temporarily closed"),
    }.get(service.status, service.get_status_display())


def _hours_view(rows, zone_name, now, place, *, status):
    """Weekly times per weekday, upcoming exceptions and the open state of one place.

    `rows` are OpeningHours rows; `place` is the location id the rows judge (None
    for a service as a whole), as effective_open_state expects; `status` is the
    service's, which overrides the hours (service_open_state).
    """
    zone = zone_or_default(zone_name)
    local = now.astimezone(zone)
    today = local.date()
    days = []
    for weekday in Weekday:
        times = [
            _span(row)
            for row in sorted(
                (r for r in rows if r.weekday == weekday.value and r.opens_at and r.closes_at),
                key=lambda r: r.opens_at,
            )
            if row.applies_on(today) or row.valid_to is None or row.valid_to >= today
        ]
        days.append(
            {"name": weekday.label, "times": times, "today": weekday.value == local.isoweekday()}
        )
    exceptions = []
    for row in sorted((r for r in rows if r.is_exception and r.valid_from), key=_start):
        last = row.valid_to or row.valid_from
        if last < today and row.valid_to is not None:
            continue
        if row.valid_to is None and row.valid_from < today:
            continue
        exceptions.append(_exception_text(row))
    notes = [_note_text(row) for row in rows if row.is_note]
    zone_note = ""
    if zone.key != settings.TIME_ZONE:
        zone_note = _("Times are local to %(place)s.") % {
            "place": zone.key.split("/")[-1].replace("_", " ")
        }
    tagged = [(row, zone_name, place) for row in rows]
    state = service_open_state(status, tagged, now)
    return HoursView(
        days=days,
        exceptions=exceptions,
        open_state=state,
        zone_note=zone_note,
        opens=opens_text(tagged, now) if state is False else "",
        notes=[n for n in notes if n],
    )


def _note_text(row):
    """Hours in words: a monthly rule ("2nd and 4th Tuesday of the month, 9am–noon")
    or the source's own text, as it wrote it."""
    from directory.hsds.hours import rule_words

    words = rule_words(row.rule) if row.rule else ""
    if words:
        text = words[0].upper() + words[1:]
        if row.opens_at and row.closes_at:
            text += f", {_span(row)}"
        # The source's own words only when they say more than the rule read from them.
        said = row.description.lower() if row.description else ""
        if said and said not in text.lower() and words.lower() not in said:
            text += f" ({row.description})"
        return text
    return row.description


def opens_text(rows, now):
    """ "Opens today at 5pm", "Opens tomorrow at 9am", "Opens Monday at 9am", or ""."""
    moment = next_opening(rows, now)
    if moment is None:
        return ""
    days = (moment.date() - now.astimezone(moment.tzinfo).date()).days
    time = format_time(moment.time())
    if days == 0:
        return _("Opens today at %(time)s") % {"time": time}
    if days == 1:
        return _("Opens tomorrow at %(time)s") % {"time": time}
    return _("Opens %(weekday)s at %(time)s") % {
        "weekday": date_format(moment, "l"),
        "time": time,
    }


def _start(row):
    return row.valid_from


ALL_DAY = (dt.time(0), dt.time(23, 59))


def _span(row):
    if row.opens_at == ALL_DAY[0] and (row.closes_at >= ALL_DAY[1] or row.closes_at == ALL_DAY[0]):
        return _("Open 24 hours")
    text = f"{format_time(row.opens_at)}–{format_time(row.closes_at)}"
    if row.is_overnight:
        text = _("%(span)s (next day)") % {"span": text}
    return text


def _exception_text(row):
    span = _date(row.valid_from)
    if row.valid_to and row.valid_to != row.valid_from:
        span = _("%(first)s to %(last)s") % {"first": span, "last": _date(row.valid_to)}
    if row.closed:
        text = _("%(dates)s: closed") % {"dates": span}
    elif row.opens_at and row.closes_at:
        text = _("%(dates)s: open %(hours)s") % {"dates": span, "hours": _span(row)}
    else:
        text = _("%(dates)s: special hours") % {"dates": span}
    if row.description:
        text += f" ({row.description})"
    return text


def _date(day):
    """ "Dec 25, 2026"; "25 dic 2026" in Spanish."""
    return date_format(day, _("M j, Y"))


def _first(items, default=None):
    return next(iter(items), default)


@dataclass
class PlaceView:
    id: int
    name: str
    confidential: bool
    address_lines: list
    directions_url: str
    zone: str
    phones: list = field(default_factory=list)
    hours: HoursView | None = None
    transportation: str = ""
    accessibility: str = ""
    description: str = ""


def _locations_by_id(location_ids, locations=None):
    """Locations with their own phones and hours: three queries, however many
    (two when the locations are given: {pk: Location})."""
    if locations is None:
        locations = {loc.pk: loc for loc in Location.objects.filter(pk__in=location_ids)}
    phones = defaultdict(list)
    for phone in LocationPhone.objects.filter(location_id__in=location_ids).order_by(
        "sort_order", "pk"
    ):
        phones[phone.location_id].append(phone)
    hours = defaultdict(list)
    for row in LocationSchedule.objects.filter(location_id__in=location_ids).order_by(
        "sort_order", "pk"
    ):
        hours[row.location_id].append(row)
    for pk, loc in locations.items():
        loc.phone_rows = phones[pk]
        loc.hour_rows = hours[pk]
    return locations


def _effective_rows(own_rows, locations):
    """(row, zone, place) for the rows that decide a service's hours."""
    if own_rows:
        fallback = locations[0].timezone if locations else settings.TIME_ZONE
        by_id = {loc.pk: loc for loc in locations}
        return [
            (
                row,
                by_id[row.location_id].timezone if row.location_id in by_id else fallback,
                row.location_id,
            )
            for row in own_rows
        ]
    return [(row, loc.timezone, loc.pk) for loc in locations for row in loc.hour_rows]


# --- result cards (search, organization pages) -------------------------------


@dataclass
class ServiceCard:
    title: str
    url: str
    organization: str
    organization_url: str
    status: str
    alert: str
    open_state: bool | None
    opens: str
    phone: PhoneView | None
    places: list
    confidential: bool
    updated: str
    categories: list
    distance_miles: float | None = None
    # The nearest place's coordinates are approximate: shown as "about N mi".
    distance_approximate: bool = False
    pk: int | None = None
    opens_at: dt.datetime | None = None  # the next opening when closed now (for ranking)
    parts: str = ""
    # When the name is shown in English to a reader of another language: its
    # language (for lang="…") and the note ("Not yet translated").
    title_lang: str = ""
    title_note: str = ""


def service_cards(services, *, now=None, request=None, near=None):
    """Cards for a page of services (ServicePage instances), in their order.

    With `near` (a Point), each card lists the service's nearest place first.

    Seven queries whatever the number of services, phones or schedules: phones,
    hours, locations (with their phones and hours), categories, organizations.
    """
    now = now or timezone.now()
    services = list(services)
    if not services:
        return []
    ids = [s.pk for s in services]
    phones = defaultdict(list)
    for phone in ServicePhone.objects.filter(service_id__in=ids).order_by("sort_order", "pk"):
        phones[phone.service_id].append(phone)
    hours = defaultdict(list)
    for row in ServiceSchedule.objects.filter(service_id__in=ids).order_by("sort_order", "pk"):
        hours[row.service_id].append(row)
    links = defaultdict(list)
    for link in ServiceAtLocation.objects.filter(service_id__in=ids).order_by("sort_order", "pk"):
        links[link.service_id].append(link.location_id)
    location_ids = {pk for loc_ids in links.values() for pk in loc_ids}
    depends_on(*(f"loc:{pk}" for pk in location_ids))  # the page cache's tags
    locations = _locations_by_id(location_ids)
    categories = defaultdict(list)
    through = ServicePage.categories.through
    for link in (
        through.objects.filter(servicepage_id__in=ids)
        .select_related("taxonomyterm")
        .order_by("taxonomyterm__tree_path")
    ):
        categories[link.servicepage_id].append(link.taxonomyterm.display_name)
    parents = organizations_by_path([s.path for s in services], Page.objects.all())

    extra = card_parts(request, services)
    cards = []
    for service in services:
        service_locations = [locations[pk] for pk in links[service.pk] if pk in locations]
        if near is not None:
            service_locations.sort(key=lambda loc: _distance_key(loc, near))
        rows = _effective_rows(hours[service.pk], service_locations)
        phone = _first(p for p in phones[service.pk] if p.can_call)
        if phone is None:
            phone = _first(p for loc in service_locations for p in loc.phone_rows if p.can_call)
        parent = parents.get(service.path)
        confidential = any(loc.is_confidential for loc in service_locations)
        # No distance for a service at a confidential place: even one measured from
        # the coarse point says how far the cell is (directory.geo).
        distance = None if confidential else getattr(service, "distance_km2", None)
        miles = math.sqrt(max(distance, 0.0)) / KM_PER_MILE if distance is not None else None
        approximate = bool(service_locations) and service_locations[0].is_approximate
        if miles is not None and approximate:
            miles = approximate_miles(miles)
        state = service_open_state(service.status, rows, now)
        name = localized(service, "title")
        cards.append(
            ServiceCard(
                title=name.text,
                title_lang=name.lang,
                title_note=name.note,
                url=service.get_url(request),
                organization=parent.title if parent else "",
                organization_url=(parent.get_url(request) or "") if parent else "",
                status=status_label(service),
                alert=service.current_alert(),
                open_state=state,
                opens=opens_text(rows, now) if state is False else "",
                phone=PhoneView.of(phone) if phone else None,
                places=[
                    {
                        "name": loc.name,
                        "address": ", ".join(loc.address_lines()),
                        "street": "" if loc.is_confidential else loc.address_1,
                        "city": "" if loc.is_confidential else loc.city,
                        "confidential": loc.is_confidential,
                    }
                    for loc in service_locations
                ],
                confidential=confidential,
                updated=updated_text(service.last_published_at, now),
                categories=categories[service.pk][:3],
                distance_miles=miles,
                distance_approximate=approximate,
                pk=service.pk,
                parts=extra.get(service.pk, ""),
                opens_at=next_opening(rows, now) if state is False else None,
            )
        )
    return cards


def _distance_key(location, point):
    coordinates = location.search_coordinates
    if coordinates is None:
        return math.inf
    return haversine_km(point.latitude, point.longitude, *coordinates)


# --- service page ------------------------------------------------------------


def is_confidential_listing(page):
    """Whether a listing (a service, or an organization) is given at a confidential
    place, so its pages carry the quick-exit button."""
    if isinstance(page, ServicePage):
        return Location.objects.filter(
            address_is_public=False, service_links__service=page
        ).exists()
    return Location.objects.filter(address_is_public=False, organization_id=page.pk).exists()


def service_context(service, *, now=None, request=None):
    """Everything the service page shows.

    Reads the page's child objects through its own relations, so a preview of a
    draft shows the draft's phones, hours and locations.
    """
    now = now or timezone.now()
    own_phones = list(service.phones.all())
    own_hours = list(service.hours.all())
    links = list(service.service_at_locations.select_related("location"))
    location_ids = [link.location_id for link in links]
    depends_on(*(f"loc:{pk}" for pk in location_ids))  # the page cache's tags
    by_id = _locations_by_id(location_ids, {link.location_id: link.location for link in links})
    locations = [by_id[pk] for pk in location_ids if pk in by_id]
    confidential = any(loc.is_confidential for loc in locations)

    fallback_zone = locations[0].timezone if locations else settings.TIME_ZONE
    places = []
    for loc in locations:
        if own_hours:
            rows = [r for r in own_hours if r.location_id == loc.pk]
            rows += [r for r in own_hours if r.location_id is None and r.is_exception]
        else:
            rows = loc.hour_rows
        place_phones = _unique_phones(
            [p for p in own_phones if p.location_id == loc.pk] + loc.phone_rows
        )
        places.append(
            PlaceView(
                id=loc.pk,
                name=loc.name,
                confidential=loc.is_confidential,
                address_lines=loc.address_lines(),
                directions_url=loc.directions_url(),
                zone=loc.timezone,
                phones=place_phones,
                hours=(
                    _hours_view(rows, loc.timezone, now, loc.pk, status=service.status)
                    if rows
                    else None
                ),
                transportation="" if loc.is_confidential else loc.transportation,
                accessibility=loc.accessibility,
                description=loc.description,
            )
        )
    general_rows = [r for r in own_hours if r.location_id is None]
    general_hours = None
    if general_rows and (not locations or any(not r.is_exception for r in general_rows)):
        general_hours = _hours_view(general_rows, fallback_zone, now, None, status=service.status)

    rows = _effective_rows(own_hours, locations)
    state = service_open_state(service.status, rows, now)
    callable_phones = [p for p in own_phones if p.can_call]
    callable_phones += [p for loc in locations for p in loc.phone_rows if p.can_call]
    # Brought by the query that routed the URL (directory.routing), else one query.
    organization = routed_organization(service)
    if organization is None:
        organization = organizations_by_path([service.path], Page.objects.all())[service.path]
    # get_url(request): Wagtail keeps the site root paths on the request, instead
    # of reading them from the shared cache (Redis) once per link.
    service_url = service.get_url(request)
    others = []
    if location_ids:
        other_rows = (
            ServicePage.objects.listed()
            .filter(service_at_locations__location__in=location_ids)
            .exclude(pk=service.pk)
            .distinct()
            .order_by("title")
            .values_list("pk", "title", "url_path", "path", "depth")[:12]
        )
        others = [
            {"title": row[1], "url": _url_beside(service, service_url, row, request)}
            for row in other_rows
        ]
    languages = routed_language_names(service)
    if languages is None:
        languages = [language.name for language in service.languages.all()]
    share_url = public_url(service_url, request) if service_url else ""
    text = localized_fields(service)
    return {
        # The listing's own words in the reader's language, or the English with a
        # note (directory.translations): {field: Text}.
        "text": text,
        # Said once at the top of the page, naming the fields (not under each one).
        "translation_note": listing_note(text),
        "organization": (
            {"title": organization.title, "url": organization.get_url(request)}
            if organization
            else None
        ),
        "status_label": status_label(service),
        "open_state": state,
        "opens": opens_text(rows, now) if state is False else "",
        "confidential": confidential,
        "service_phones": [PhoneView.of(p) for p in own_phones if p.location_id is None],
        "call_phone": PhoneView.of(callable_phones[0]) if callable_phones else None,
        "directions_url": _first(p.directions_url for p in places if p.directions_url) or "",
        "places": places,
        "general_hours": general_hours,
        "categories": [
            {
                "name": term.display_name,
                "url": f"/search/?{urlencode({'category': term.code or term.slug})}",
            }
            for term in service.categories.all()
        ],
        "languages": languages,
        "ages": ages_text(service.minimum_age, service.maximum_age),
        "documents": text["required_documents"].lines,
        "other_services": others,
        "updated": updated_text(service.last_published_at, now),
        "share": share_links(text["title"].text, share_url),
    }


def _url_beside(page, page_url, row, request=None):
    """The URL of another page from its row, without making a page of it: under
    the same site root as `page` (whose URL is `page_url`), its URL is its
    `url_path` less that root's; otherwise Wagtail's own `get_url`. `row` is
    (pk, title, url_path, path, depth)."""
    pk, _title, url_path, path, depth = row
    if page_url and page_url.startswith("/"):
        tail = page_url.lstrip("/")
        if page.url_path.endswith(tail):
            root = page.url_path[: len(page.url_path) - len(tail)]
            if url_path.startswith(root):
                return "/" + url_path[len(root) :]
    return Page(pk=pk, url_path=url_path, path=path, depth=depth).get_url(request)


def _unique_phones(phones):
    """One entry per number; a description given for either copy is kept."""
    views = {}
    for phone in phones:
        view = PhoneView.of(phone)
        key = (view.uri or view.display, view.extension)
        kept = views.get(key)
        if kept is None:
            views[key] = view
        elif not kept.description and view.description:
            kept.description = view.description
    return list(views.values())


def ages_text(low, high):
    if low is not None and high is not None:
        return f"Ages {low} to {high}"
    if low is not None:
        return f"Ages {low} and over"
    if high is not None:
        return f"Up to age {high}"
    return ""


def share_links(title, url):
    body = f"{title}: {url}"
    return {
        "url": url,
        "email": f"mailto:?subject={quote(title)}&body={quote(body)}",
        "sms": f"sms:?body={quote(body)}",
    }


# --- organization page -------------------------------------------------------


def organization_context(organization, *, now=None, request=None):
    services = ServicePage.objects.listed().child_of(organization).order_by("title")
    cards = service_cards(services, now=now, request=request)
    return {"services": cards, "confidential_shown": any(card.confidential for card in cards)}
