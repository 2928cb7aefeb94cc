"""One source row -> the field values of one of our models. No database.

Each function takes the row and `warn(reason)`; a value that fails its check is
dropped from the field with a warning, the row is kept. A row that cannot stand
at all raises SkipRow with the reason.
"""

import datetime as dt
import hashlib
import json
import re

from directory.geo import zip_centroid

from . import cleaning, values
from . import hours as hours_parser

ASSURED_DATE_COLUMNS = (
    "assured_date",
    "last_verified",
    "last_verified_date",
    "last_verified_on",
    "date_last_verified",
    "verified_at",
    "verified_on",
    "verified_date",
)
# When the source last changed the record (iCarol's UpdatedOn is mapped onto
# last_modified by its reader).
LAST_MODIFIED_COLUMNS = (
    "last_modified",
    "last_updated",
    "updated_on",
    "date_updated",
    "updated_at",
)
FREE_TEXT_HOURS_COLUMNS = ("hours", "hours_of_operation", "opening_hours")
ALL_DAY_HSDS = (dt.time(0), dt.time(23, 59))
_COUNTRIES = {"us": "US", "usa": "US", "united states": "US", "united states of america": "US"}


class SkipRow(ValueError):
    """This row cannot be imported; the message is the reason."""


def natural_key(*parts):
    """A stable id for a row that has none, from its parent and its content."""
    raw = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return "nk-" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:20]


def digest(payload):
    raw = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _checked(row, name, cleaner, warn, label=None):
    if cleaning.is_placeholder(row.get(name) if row.get(name) is not None else ""):
        if str(row.get(name) or "").strip():
            cleaning.prose(row.get(name))  # counted as a placeholder
        return cleaner("") if cleaner not in (values.integer, values.date) else None
    try:
        return cleaner(row.get(name))
    except ValueError as exc:
        warn(f"{label or name} dropped: {exc}")
        return cleaner("") if cleaner not in (values.integer, values.date) else None


def last_modified(row, warn):
    return assured_date(row, warn, columns=LAST_MODIFIED_COLUMNS)


def assured_date(row, warn, columns=ASSURED_DATE_COLUMNS):
    for column in columns:
        if not values.text(row.get(column)):
            continue
        try:
            return values.date(row.get(column))
        except ValueError as exc:
            warn(f"{column} dropped: {exc}")
    return None


def organization_fields(row, warn):
    name = cleaning.name(row.get("name"))
    if not name:
        raise SkipRow("organization has no name")
    year = None
    try:
        year = values.year(row.get("year_incorporated"))
    except ValueError as exc:
        warn(f"year_incorporated dropped: {exc}")
    return {
        "title": name,
        "alternate_name": cleaning.name(row.get("alternate_name")),
        "description": cleaning.prose(row.get("description")),
        "website": _checked(row, "website", values.url, warn, "website"),
        "email": _checked(row, "email", values.email, warn, "email"),
        "legal_status": cleaning.line(row.get("legal_status")),
        "year_incorporated": year,
    }


def service_fields(row, warn):
    name = cleaning.name(row.get("name"))
    if not name:
        if not values.text(row.get("id")):
            raise SkipRow("blank row (no id and no name)")
        raise SkipRow("service has no name")
    try:
        status = values.status(row.get("status"))
    except ValueError as exc:
        warn(f"{exc}; imported as active")
        status = "active"
    low = _checked(row, "minimum_age", values.integer, warn, "minimum_age")
    high = _checked(row, "maximum_age", values.integer, warn, "maximum_age")
    if low is not None and high is not None and low > high:
        warn(f"ages dropped: minimum age {low} is above maximum age {high}")
        low = high = None
    return {
        "title": name,
        "alternate_name": cleaning.name(row.get("alternate_name")),
        "description": cleaning.prose(row.get("description")),
        "status": status,
        "alert": cleaning.prose(row.get("alert")),
        "website": _checked(row, "url", values.url, warn, "url"),
        "email": _checked(row, "email", values.email, warn, "email"),
        "eligibility_description": cleaning.prose(row.get("eligibility_description")),
        "minimum_age": low,
        "maximum_age": high,
        "application_process": cleaning.prose(row.get("application_process")),
        "required_documents": cleaning.prose(row.get("required_documents")),
        "fees_description": _fees(row),
        "wait_time": cleaning.line(row.get("wait_time")),
        "interpretation_services": cleaning.prose(row.get("interpretation_services")),
        "accessibility": cleaning.prose(row.get("accessibility"))
        if not isinstance(row.get("accessibility"), list)
        else "",
        "service_area": cleaning.prose(row.get("service_areas")),
        # iCarol / AIRS: a caution ("Active, but do not refer") and an alert that
        # stops showing after its own date.
        "caution": cleaning.line(row.get("caution")),
        "alert_expires": _checked(row, "alert_expires", values.date, warn, "alert_expires"),
    }


def url_entry(row, warn):
    """A service's other web address (HSDS 3.1 `url`), or SkipRow."""
    try:
        url = values.url(row.get("url"))
    except ValueError as exc:
        raise SkipRow(str(exc)) from exc
    if not url:
        raise SkipRow("url row without a web address")
    return {
        "label": cleaning.line(row.get("label")),
        "url": url,
        "source_id": values.text(row.get("id")),
    }


def listed(row):
    """False when the source says the record is not for the public (iCarol's
    inactive records, ExcludeFromWebsite / ExcludeFromDirectory): it is kept,
    with its history, but not published."""
    return values.text(row.get("listed")).lower() not in ("false", "no", "0")


def _fees(row):
    fees = cleaning.prose(row.get("fees_description"))
    payments = cleaning.prose(row.get("accepted_payments"))
    if payments:
        fees = f"{fees}\nAccepted payments: {payments}".strip()
    return fees


def location_fields(row, address, warn):
    """Location fields from the location row and its chosen address row (or None)."""
    address = address or {}
    name = cleaning.name(row.get("name")) or cleaning.line(address.get("address_1"))
    if not name:
        raise SkipRow("location has no name and no address")
    fields = {
        "name": name,
        "alternate_name": cleaning.name(row.get("alternate_name")),
        "description": cleaning.prose(row.get("description")),
        "transportation": cleaning.prose(row.get("transportation")),
        "address_1": cleaning.line(address.get("address_1")),
        "address_2": values.one_line(
            ", ".join(
                cleaning.line(address.get(k))
                for k in ("address_2", "address_3", "address_4")
                if cleaning.line(address.get(k))
            )
        ),
        "city": cleaning.line(address.get("city"), 128),
        "state_province": cleaning.line(address.get("state_province"), 64),
        "postal_code": cleaning.line(address.get("postal_code"), 16),
        "country": _country(address.get("country"), warn),
        "latitude": _checked(row, "latitude", lambda v: values.coordinate(v, 90), warn),
        "longitude": _checked(row, "longitude", lambda v: values.coordinate(v, 180), warn),
        "coordinates_approximate": False,
        "address_is_public": not values.boolean(row.get("address_private")),
        # Steward's own export says so (facts.py); other sources never do.
        "possible_confidential": values.boolean(row.get("possible_confidential")),
    }
    if not fields["address_is_public"]:
        # A confidential place: no coordinates, not even approximate ones.
        fields["latitude"] = fields["longitude"] = None
        return fields
    if (fields["latitude"] is None) != (fields["longitude"] is None):
        warn("coordinates dropped: only one of latitude and longitude given")
        fields["latitude"] = fields["longitude"] = None
    centroid = zip_centroid(fields["postal_code"]) if fields["country"] == "US" else None
    if centroid and centroid.timezone:
        fields["timezone"] = centroid.timezone
    if fields["latitude"] is None and centroid:
        fields["latitude"], fields["longitude"] = centroid.latitude, centroid.longitude
        fields["coordinates_approximate"] = True
    return fields


def _country(value, warn):
    word = values.text(value)
    if not word:
        return "US"
    if len(word) == 2 and word.isalpha():
        return word.upper()
    if word.lower() in _COUNTRIES:
        return _COUNTRIES[word.lower()]
    warn(f"country “{word}” is not a two-letter code; kept as US")
    return "US"


def phone_entries(row, warn, *, parent_key):
    """Our phone rows for one source row: one per number found in it."""
    try:
        numbers = values.phones(row.get("number"))
    except ValueError as exc:
        raise SkipRow(str(exc)) from exc
    try:
        kind = values.phone_type(row.get("type"))
    except ValueError as exc:
        warn(f"{exc}; imported as voice")
        kind = "voice"
    extension = values.one_line(row.get("extension"), 16)
    entries = []
    for number, found_extension in numbers:
        entry = {
            "number": number,
            "extension": extension or found_extension,
            "type": kind,
            "language": values.one_line(row.get("language"), 64),
            "description": cleaning.line(row.get("description")),
        }
        entry["source_id"] = _child_id(row, parent_key, entry, len(numbers) > 1)
        entries.append(entry)
    return entries


def _child_id(row, parent_key, entry, several):
    own = values.one_line(row.get("id"))
    if own and not several:
        return own
    return natural_key(parent_key, own, sorted(entry.items()))


def schedule_entries(row, warn, *, parent_key):
    """Our hours rows for one source schedule row; [] when it only says "closed
    that weekday" (a weekday without hours is simply left out)."""
    if values.boolean(row.get("_holiday")) or _is_dated_exception(row):
        entries = [_exception(row, warn)]
    elif values.text(row.get("byday")) or values.text(row.get("freq")):
        entries = _recurring(row, warn)
    elif values.text(row.get("weekday")):
        entries = _weekly(row, warn)
    else:
        entries = _free_text(row)
    for entry in entries:
        entry.setdefault("description", cleaning.line(row.get("description")))
        entry["source_id"] = _child_id(row, parent_key, entry, len(entries) > 1)
    return entries


def _is_dated_exception(row):
    return bool(
        values.text(row.get("closed"))
        and values.text(row.get("valid_from"))
        and not values.text(row.get("weekday"))
        and not values.text(row.get("byday"))
    )


def _blank_entry():
    return {
        "weekday": None,
        "opens_at": None,
        "closes_at": None,
        "valid_from": None,
        "valid_to": None,
        "closed": False,
        "rule": "",
    }


def _exception(row, warn):
    try:
        start, end = values.date(row.get("valid_from")), values.date(row.get("valid_to"))
    except ValueError as exc:
        raise SkipRow(str(exc)) from exc
    if start is None:
        raise SkipRow("holiday or exception without a real date")
    entry = _blank_entry() | {"valid_from": start, "valid_to": end or start}
    if entry["valid_to"] < start:
        raise SkipRow("exception ends before it starts")
    if values.boolean(row.get("closed")):
        entry["closed"] = True
        return entry
    entry["opens_at"], entry["closes_at"] = _times(row, required=True, warn=warn)
    return entry


def _times(row, *, required, warn=None):
    opens_text, closes_text = values.text(row.get("opens_at")), values.text(row.get("closes_at"))
    if not opens_text and not closes_text:
        if required:
            raise SkipRow("no opening and closing times")
        return None, None
    if not opens_text or not closes_text:
        raise SkipRow("only one of the opening and closing times given")
    try:
        opens, closes = hours_parser.parse_range(opens_text, closes_text)
    except hours_parser.HoursParseError as exc:
        raise SkipRow(f"bad time: {exc}") from exc
    if warn and closes != hours_parser.parse_time(closes_text):
        warn(f"closing time {closes_text} after opening at {opens_text} read as {closes:%H:%M}")
    if (opens, closes) == ALL_DAY_HSDS:
        # HSDS field guidance: 00:00-23:59 says "open 24 hours"; ours is 0:00-0:00.
        closes = opens
    return opens, closes


def _weekly(row, warn):
    weekday = hours_parser.parse_weekday(row.get("weekday"))
    if weekday is None:
        raise SkipRow(f"“{values.text(row.get('weekday'))}” is not a weekday")
    try:
        opens, closes = _times(row, required=False, warn=warn)
    except SkipRow:
        # "Monday: by appointment" is kept as the source wrote it; "25:99" is a typo.
        said = " – ".join(
            t for t in (values.text(row.get("opens_at")), values.text(row.get("closes_at"))) if t
        )
        if not re.search(r"[a-z]{3}", said, re.I):
            raise
        day = hours_parser.Weekday_names[weekday - 1]
        return [_as_written(f"{day}: {said}")]
    if opens is None:
        note = cleaning.line(row.get("description"))
        if note:
            return [_as_written(f"{hours_parser.Weekday_names[weekday - 1]}: {note}")]
        return []
    return [_dated(row, warn) | {"weekday": weekday, "opens_at": opens, "closes_at": closes}]


def _dated(row, warn):
    entry = _blank_entry()
    for name in ("valid_from", "valid_to"):
        try:
            entry[name] = values.date(row.get(name))
        except ValueError as exc:
            warn(f"{name} dropped: {exc}")
    return entry


def _recurring(row, warn):
    """HSDS 3.0 schedules: weekly (and daily) RRULE parts become weekly rows; other
    patterns (monthly "2nd and 4th Tuesday") are kept as a rule and said in words."""
    freq = values.text(row.get("freq")).upper() or "WEEKLY"
    interval = values.text(row.get("interval"))
    if freq == "DAILY" and interval in ("", "1"):
        days = list(range(1, 8))
    elif freq == "WEEKLY" and interval in ("", "1"):
        days = []
        for code in values.split_list(row.get("byday")):
            day = hours_parser.parse_weekday(code)
            if day is None:
                return [_rule_entry(row, warn, freq, interval)]
            days.append(day)
        if not days:
            raise SkipRow("weekly schedule without byday")
    else:
        return [_rule_entry(row, warn, freq, interval)]
    opens, closes = _times(row, required=True, warn=warn)
    base = _dated(row, warn)
    return [
        base | {"weekday": d, "opens_at": opens, "closes_at": closes} for d in sorted(set(days))
    ]


def _rule_entry(row, warn, freq, interval):
    parts = [f"FREQ={freq}"]
    if interval not in ("", "1"):
        parts.append(f"INTERVAL={interval}")
    byday = ",".join(c.upper() for c in values.split_list(row.get("byday")))
    if byday:
        parts.append(f"BYDAY={byday}")
    for column in ("bymonthday", "byweekno", "byyearday"):
        if values.text(row.get(column)):
            parts.append(f"{column.upper()}={values.text(row.get(column))}")
    rule = ";".join(parts)
    try:
        hours_parser.check_rule(rule)
    except hours_parser.HoursParseError as exc:
        raise SkipRow(str(exc)) from exc
    opens, closes = _times(row, required=False, warn=warn)
    words = hours_parser.rule_words(rule)
    text = cleaning.line(row.get("description")) or values.one_line(row.get("notes"))
    if not words and not text:
        raise SkipRow(f"“{rule}” cannot be said in words and the row has no description")
    return _blank_entry() | {
        "rule": rule,
        "opens_at": opens,
        "closes_at": closes,
        "description": text if not words else cleaning.line(row.get("description")),
    }


def _as_written(text):
    """Hours we cannot read, kept as the source wrote them."""
    return _blank_entry() | {"description": values.one_line(text), "rule": ""}


def _monthly(text):
    found = hours_parser.parse_monthly(text)
    if found is None:
        return None
    rule, opens, closes = found
    return _blank_entry() | {"rule": rule, "opens_at": opens, "closes_at": closes}


def _free_text(row):
    for column in ("description", "notes", *FREE_TEXT_HOURS_COLUMNS):
        text = cleaning.line(row.get(column))
        if not text:
            continue
        return _read_hours(text)
    raise SkipRow("schedule gives no weekday, dates or hours")


def _read_hours(text):
    """Rows for free-text hours: weekly when they parse, a monthly rule for "2nd and
    4th Tuesday", else one row that keeps the text as written."""
    monthly = _monthly(text)
    if monthly is not None:
        return [monthly | {"description": text}]
    try:
        rows = hours_parser.parse_hours(text)
    except hours_parser.HoursParseError:
        return [_as_written(text)]
    weekly = [
        _blank_entry() | {"weekday": d, "opens_at": o, "closes_at": c, "description": ""}
        for d, o, c in rows
    ]
    # Text that says more than days and times ("Mobile crisis team answers 24/7,
    # every day of the year") is also kept, and shown, as the source wrote it.
    return weekly + ([_as_written(text)] if _says_more_than_hours(text) else [])


_HOURS_WORDS_RE = re.compile(
    r"(?i)\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|s|\.)?\b|"
    r"\b(?:daily|weekdays?|weekends?|to|and|through|thru|from|am|pm|a\.m\.|p\.m\.|"
    r"noon|midnight|open|closed|hours?|hrs?)\b|\d{1,2}(?::\d{2})?\s*(?:am|pm|a|p)?"
)


def _says_more_than_hours(text):
    rest = _HOURS_WORDS_RE.sub(" ", text)
    return bool(re.search(r"[A-Za-z]{3,}", rest))


def free_text_hours(row, warn, *, parent_key):
    """Hours in a column of a service or location row ("hours": "Mon-Fri 9-5")."""
    for column in FREE_TEXT_HOURS_COLUMNS:
        text = cleaning.line(row.get(column))
        if not text:
            continue
        entries = _read_hours(text)
        for entry in entries:
            entry.setdefault("rule", "")
            entry["source_id"] = natural_key(parent_key, column, sorted(entry.items(), key=str))
        return entries
    return []


def unique(entries):
    """Drop repeated rows (same content), keeping the first."""
    seen, kept = set(), []
    for entry in entries:
        key = json.dumps({k: v for k, v in entry.items() if k != "source_id"}, default=str)
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return kept
