"""Validation shared by the admin forms, the models' clean() and the importer."""

import zoneinfo

from django.core.exceptions import ValidationError

import phonenumbers

DEFAULT_REGION = "US"


def parse_phone(raw, region=DEFAULT_REGION):
    """Parse a phone number as people type it: "(312) 555-0101", "312.555.0101 x12".

    Returns a phonenumbers.PhoneNumber, or raises ValidationError with a message a
    person can act on.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            f"“{text}” is not a phone number. Enter digits with the area code, e.g. (312) 555-0101."
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            f"“{text}” has the wrong number of digits for a phone number. "
            "Include the area code, e.g. (312) 555-0101."
        )
    return number


def validate_phone(value):
    parse_phone(value)


def format_phone(raw, region=DEFAULT_REGION):
    """National format for display ("(312) 555-0101"); the input when unparseable."""
    try:
        number = parse_phone(raw, region)
    except ValidationError:
        return (raw or "").strip()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_uri(raw, region=DEFAULT_REGION):
    """A tel: URI in E.164, or "" when the number cannot be dialled."""
    try:
        number = parse_phone(raw, region)
    except ValidationError:
        return ""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"tel:{e164}"


def validate_timezone(value):
    if not value:
        return
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"“{value}” is not an IANA time zone. Use a name such as America/Chicago."
        ) from exc


def validate_latitude(value):
    if value is not None and not -90 <= value <= 90:
        raise ValidationError("Latitude must be between -90 and 90.")


def validate_longitude(value):
    if value is not None and not -180 <= value <= 180:
        raise ValidationError("Longitude must be between -180 and 180.")
