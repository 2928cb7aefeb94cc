"""Ids that come from a URL or a form: the one rule for what an id may be.

A database id is a positive integer that fits a 64-bit column. Anything else (a
huge number such as 10**30, a negative one, words) names nothing: URL patterns
using the `id` converter do not match it, so the answer is a plain 404, and
forms read it with `parse_id`, which gives None. Without this bound a huge id
reaches the database and fails there (SQLite: "Python int too large to convert
to SQLite INTEGER"; PostgreSQL: "value out of range"), a 500.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


def parse_id(value):
    """`value` (text or int) as a database id, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value or "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            return None
        number = int(text)
    if not 0 < number <= MAX_ID:
        return None
    return number


class IdConverter:
    """`<id:page_id>`: like `<int:...>`, but only ids that can exist."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(f"{value!r} is not an id")
        return number

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
