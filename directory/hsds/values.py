"""Cleaning single values from a data source. Pure functions; no database.

Each cleaner returns the value to store, or raises ValueError with a reason a
person can act on; the importer turns that into a warning (the field is
dropped) or a skipped row, as fits the field.
"""

import copy
import datetime as dt
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

import phonenumbers

from directory.models.pages import ServiceStatus
from directory.models.phones import PhoneType

# Sources write "no date" as a date in year 1 ("January 01, 0001", Ohana) or 1900.
FIRST_REAL_YEAR = 1901
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
_SPLIT_PHONES_RE = re.compile(r"\s*(?:;|/|\bor\b|\band\b)\s*", re.I)

STATUS_WORDS = {
    "active": ServiceStatus.ACTIVE,
    "open": ServiceStatus.ACTIVE,
    "operating": ServiceStatus.ACTIVE,
    "inactive": ServiceStatus.INACTIVE,
    "closed": ServiceStatus.INACTIVE,
    "defunct": ServiceStatus.DEFUNCT,
    "permanently closed": ServiceStatus.DEFUNCT,
    "closed permanently": ServiceStatus.DEFUNCT,
    "temporarily closed": ServiceStatus.TEMPORARILY_CLOSED,
    "closed temporarily": ServiceStatus.TEMPORARILY_CLOSED,
}
PHONE_TYPES = {
    "voice": PhoneType.VOICE,
    "phone": PhoneType.VOICE,
    "hotline": PhoneType.VOICE,
    "main": PhoneType.VOICE,
    "fax": PhoneType.FAX,
    "text": PhoneType.TEXT,
    "sms": PhoneType.TEXT,
    "cell": PhoneType.CELL,
    "mobile": PhoneType.CELL,
    "video": PhoneType.VIDEO,
    "pager": PhoneType.PAGER,
    "textphone": PhoneType.TEXTPHONE,
    "tty": PhoneType.TEXTPHONE,
    "tdd": PhoneType.TEXTPHONE,
}


def text(value):
    """A string with stray spaces removed; "" for None. Line breaks are kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    lines = [_SPACES_RE.sub(" ", line).strip() for line in str(value).splitlines()]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)


def one_line(value, max_length=255):
    """A single-line string, cut to max_length (with an ellipsis) for CharFields."""
    value = " ".join(text(value).split())
    if len(value) > max_length:
        value = value[: max_length - 1].rstrip() + "…"
    return value


def url(value):
    value = text(value).strip("\"'")
    if not value:
        return ""
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
        value = f"http://{value}"
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as exc:
        raise ValueError(f"“{value}” is not a web address") from exc
    if len(value) > 500:
        raise ValueError("the web address is longer than 500 characters")
    return value


def email(value):
    value = text(value).strip("\"'<>")
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if not value:
        return ""
    try:
        EmailValidator()(value)
    except ValidationError as exc:
        raise ValueError(f"“{value}” is not an email address") from exc
    return value


def integer(value):
    """A whole number ≥ 0, or None for blank; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"“{value}” is not a number")
    try:
        number = float(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"“{value}” is not a number") from exc
    if number < 0 or number != int(number) or number > 32767:
        raise ValueError(f"“{value}” is not a whole number of years")
    return int(number)


def coordinate(value, limit):
    if value is None or value == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"“{value}” is not a coordinate") from exc
    if not -limit <= number <= limit:
        raise ValueError(f"{number} is off the map (must be between -{limit} and {limit})")
    return number


def date(value):
    """A date from ISO, US ("12/24/15", "12/24/2015") or long ("January 01, 2015") forms.

    Placeholders for "no date" (year 1, as Ohana writes them) give None.
    """
    value = text(value)
    if not value:
        return None
    head = re.split(r"[T ](?=\d{1,2}:)", value, maxsplit=1)[0].strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(head, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
        return parsed if parsed.year >= FIRST_REAL_YEAR else None
    if re.search(r"\b0{3}[01]\b", head):
        return None
    raise ValueError(f"“{value}” is not a date")


def year(value):
    value = text(value)
    if not value:
        return None
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", value)
    if match:
        return int(match.group(1))
    if re.search(r"\b0{3}[01]\b", value):
        return None
    raise ValueError(f"“{value}” has no year")


def boolean(value):
    return text(value).lower() in {"true", "t", "yes", "y", "1", "closed"}


def status(value):
    """One of our four statuses; ValueError (and active) for a word we do not know."""
    word = " ".join(re.split(r"[\s_-]+", text(value).lower())).strip()
    if not word:
        return ServiceStatus.ACTIVE
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    if "temporar" in word:
        return ServiceStatus.TEMPORARILY_CLOSED
    raise ValueError(f"unknown status “{value}”")


def phone_type(value):
    word = text(value).lower()
    if not word:
        return PhoneType.VOICE
    if word in PHONE_TYPES:
        return PHONE_TYPES[word]
    raise ValueError(f"unknown phone type “{value}”")


def phones(value, region="US"):
    """[(number, extension)] from text that may hold several numbers or words.

    "(618) 453-3217; (618) 536-7711" gives two; "844-RIGHTS-9 (844-744-4879)"
    gives the digits; "1-800-LAW-REP-4" is read as a vanity number; "no phone"
    raises ValueError.
    """
    raw = text(value).strip("\"' ")
    if not raw:
        raise ValueError("the phone number is blank")
    found = [
        m.number
        for m in phonenumbers.PhoneNumberMatcher(
            raw, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
    ]
    if not found:
        for piece in _SPLIT_PHONES_RE.split(raw):
            try:
                number = phonenumbers.parse(piece, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_possible_number(number):
                found.append(number)
    if not found:
        raise ValueError(f"“{raw}” is not a phone number")
    return [(_format_number(number, region), number.extension or "") for number in found]


def _format_number(number, region):
    number = copy.copy(number)
    number.extension = None
    if not phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def as_uuid(value):
    """The source id as a UUID when it is one, else None (we mint our own)."""
    try:
        return uuid.UUID(str(value).strip())
    except (ValueError, AttributeError, TypeError):
        return None


def split_list(value):
    """ "Spanish, Tagalog" / "105; 108" -> ["Spanish", "Tagalog"]; lists pass through."""
    items = value if isinstance(value, list | tuple) else re.split(r"\s*[,;|]\s*", text(value))
    return [text(item) for item in items if text(item)]
