"""Small helpers the format readers share."""

import re

from ..cleaning import is_placeholder
from ..confidential import looks_confidential  # noqa: F401 - re-exported

_LIST_RE = re.compile(r"\s*(?:;|\*|,|\|)\s*")
_SEMI_RE = re.compile(r"\s*(?:;|\*|\|)\s*")
_YES = {"yes", "y", "true", "t", "1"}


def clean(value):
    """Text without padding; the source's placeholders for "no value" give ""."""
    if value is None:
        return ""
    text = str(value).strip()
    return "" if not text or is_placeholder(text) else text


def yes(value):
    return clean(value).lower() in _YES


def split(value, *, commas=True):
    """A list written with ";", "*", "|" (or ","); blanks and placeholders dropped."""
    pattern = _LIST_RE if commas else _SEMI_RE
    return [clean(p) for p in pattern.split(clean(value)) if clean(p)]


def phone_type_for(label):
    """HSDS phone type from an iCarol / AIRS phone name ("Fax", "TTY/TDD Number")."""
    word = label.lower()
    if "fax" in word and "phone" not in word:
        return "fax"
    if "tty" in word or "tdd" in word or "textphone" in word:
        return "textphone"
    if re.search(r"\btext\b|\bsms\b", word):
        return "text"
    return "voice"


def phone_label(label, kind):
    """The phone's name as a description, unless it only repeats its type ("Fax")."""
    redundant = {"fax": ("fax",), "textphone": ("tty", "tdd", "tty/tdd")}
    return "" if label.strip().lower() in redundant.get(kind, ()) else label
