"""Places and distances, offline: ZIP centroids come from the `zipcodes` package's
own data; no geocoding service is called."""

import functools
import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext

import zipcodes

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344
_ZIP_RE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
_LATLNG_RE = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    label: str = ""
    timezone: str = ""


# A confidential place (a domestic-violence shelter) is never measured from its
# building: search filters, orders and picks its nearest place from the centre of
# the grid cell it lies in, cells of CONFIDENTIAL_GRID_DEGREES on a side (about
# 5.5 km north-south and 4 km east-west at 42°N), and no distance is ever shown for
# it. Every `near=` point then sees the same coarse point, so results cannot be
# used to triangulate the building. directory.querysets.search_coordinates is the
# same rule in SQL.
CONFIDENTIAL_GRID_DEGREES = 0.05


def coarse_coordinate(value):
    """The centre of the grid cell holding `value` (a latitude or a longitude)."""
    step = CONFIDENTIAL_GRID_DEGREES
    return (math.floor(value / step) + 0.5) * step


def search_coordinates(latitude, longitude, *, confidential):
    """(latitude, longitude) that search measures from: the coarse cell centre for a
    confidential place, the place itself otherwise; None without coordinates."""
    if latitude is None or longitude is None:
        return None
    if confidential:
        return coarse_coordinate(latitude), coarse_coordinate(longitude)
    return latitude, longitude


# When coordinates are not to be trusted as the building's (issue 14): a ZIP code's
# area is taken as a circle of ZIP_AREA_RADIUS_KM around its centre (the package
# has centres, not shapes; most urban ZIP codes fit in it), and coordinates more
# than APPROXIMATE_MARGIN_KM outside it, or within ZIP_CENTRE_KM of the centre
# itself (a geocoder's fallback), are marked approximate. Approximate places show
# "about N mi", rounded to whole miles and never below 1.
ZIP_AREA_RADIUS_KM = 8.0
APPROXIMATE_MARGIN_KM = 3.0
ZIP_CENTRE_KM = 0.15
_PO_BOX_RE = re.compile(
    r"^\s*(?:p\.?\s*o\.?\s*box|post\s+office\s+box|apartado\s+postal)\b", re.IGNORECASE
)


def is_po_box(address):
    """Whether a street address is a post-office box (no one can walk to it)."""
    return bool(_PO_BOX_RE.match(address or ""))


def coordinates_look_approximate(latitude, longitude, postal_code):
    """True when (latitude, longitude) is its ZIP code's centre, or lies more than
    APPROXIMATE_MARGIN_KM outside the ZIP code's area; False when it fits, or
    when there is no known ZIP code to judge by."""
    if latitude is None or longitude is None:
        return False
    centre = zip_centroid(postal_code)
    if centre is None:
        return False
    km = haversine_km(latitude, longitude, centre.latitude, centre.longitude)
    return km <= ZIP_CENTRE_KM or km > ZIP_AREA_RADIUS_KM + APPROXIMATE_MARGIN_KM


def approximate_miles(miles):
    """The whole miles an approximate distance is shown as: never 0."""
    return max(1, round(miles))


class PlaceNotFound(ValueError):
    """`near` was neither a known US ZIP code nor "lat,lng"; the message says why."""


@functools.lru_cache(maxsize=4096)
def zip_centroid(postal_code):
    """The centre of a US ZIP code (5 digits, ZIP+4 accepted), or None."""
    match = _ZIP_RE.match(postal_code or "")
    if not match:
        return None
    try:
        found = zipcodes.matching(match.group(1))
    except (ValueError, TypeError):
        return None
    if not found or not found[0].get("lat"):
        return None
    row = found[0]
    return Point(
        float(row["lat"]),
        float(row["long"]),
        label=f"{row['city']}, {row['state']} {row['zip_code']}",
        timezone=row.get("timezone") or "",
    )


def example_zip():
    """A ZIP code of this deployment's own area, for placeholders and messages:
    settings.STEWARD["DEFAULT_ZIP"], else the most common ZIP code among the
    directory's public places (never a confidential one's); "" when neither."""
    from django.conf import settings
    from django.db.models import Count

    from directory.models import Location

    configured = (settings.STEWARD.get("DEFAULT_ZIP") or "").strip()
    if configured:
        return configured
    row = (
        Location.objects.filter(address_is_public=True, postal_code__regex=r"^[0-9]{5}")
        .values("postal_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "postal_code")
        .first()
    )
    return row["postal_code"][:5] if row else ""


def parse_near(text):
    """A ZIP code or "lat,lng" as a Point; PlaceNotFound with a helpful message."""
    text = (text or "").strip()
    if not text:
        raise PlaceNotFound(gettext("Enter a ZIP code."))
    if len(text) > 64:
        raise PlaceNotFound(gettext("That place is too long. Enter a 5-digit ZIP code."))
    match = _LATLNG_RE.match(text)
    if match:
        lat, lng = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise PlaceNotFound(
                gettext("Those coordinates are off the map. Enter a ZIP code instead.")
            )
        return Point(lat, lng, label=gettext("your location"))
    point = zip_centroid(text)
    if point is None:
        if _ZIP_RE.match(text):
            raise PlaceNotFound(
                gettext("We don’t know the ZIP code %(zip)s. Check the digits.")
                % {"zip": text.strip()}
            )
        example = example_zip()
        if example:
            raise PlaceNotFound(
                gettext("We couldn’t find “%(place)s”. Enter a 5-digit ZIP code, such as %(zip)s.")
                % {"place": text, "zip": example}
            )
        raise PlaceNotFound(
            gettext("We couldn’t find “%(place)s”. Enter a 5-digit ZIP code.") % {"place": text}
        )
    return point


def haversine_km(a_lat, a_lng, b_lat, b_lng):
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b_lng - a_lng)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(point, radius_km):
    """(min_lat, max_lat, min_lng, max_lng) around `point`, for an indexed pre-filter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    coslat = max(math.cos(math.radians(point.latitude)), 0.01)
    dlng = math.degrees(radius_km / (EARTH_RADIUS_KM * coslat))
    return (
        point.latitude - dlat,
        point.latitude + dlat,
        point.longitude - dlng,
        point.longitude + dlng,
    )
