"""Cleaning the text of a source, for every text field of every format.

Real 211 exports carry debris: literal "\\n" escape sequences, `###MON###`
markers, raw "*" bullets, HTML (sometimes escaped twice), mojibake
("DriverGÇÖs License"), ALL-CAPS names and placeholders ("None", "N/A", "-1").
`prose()` cleans a multi-line field, `line()` a one-line field and `name()` a
name (also fixing ALL CAPS). Each returns "" for a placeholder.

The listing renders text with line breaks; a list is written as lines that
start with "• " (the service page shows them as a list). Pure functions; what
was cleaned is counted, per kind, in the Counter given to `counting()`.
"""

import contextlib
import contextvars
import html
import re
from collections import Counter

import ftfy
import nh3

# Words kept in capitals when an ALL-CAPS name is put in title case. One list.
ACRONYMS = frozenset(
    (
        "AA",
        "ACA",
        "ADA",
        "ADHD",
        "AIDS",
        "AODA",
        "ASL",
        "BIPOC",
        "CAP",
        "CASA",
        "CEO",
        "CHIP",
        "CPR",
        "DCFS",
        "DHS",
        "DMV",
        "DV",
        "ESL",
        "FAQ",
        "FEMA",
        "GED",
        "HHS",
        "HIV",
        "HUD",
        "ID",
        "II",
        "III",
        "IL",
        "IRS",
        "IV",
        "LGBT",
        "LGBTQ",
        "LGBTQIA",
        "LIHEAP",
        "LLC",
        "LLP",
        "MD",
        "NA",
        "NAMI",
        "NAACP",
        "NFP",
        "NW",
        "NE",
        "SW",
        "SE",
        "PC",
        "PLLC",
        "PO",
        "RN",
        "SNAP",
        "SSA",
        "SSDI",
        "SSI",
        "STD",
        "STI",
        "TANF",
        "TB",
        "TTY",
        "US",
        "USA",
        "VA",
        "VITA",
        "WIC",
        "YMCA",
        "YWCA",
        "YMHA",
        "ZIP",
    )
)
_SMALL_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "via",
        "with",
    )
)
PLACEHOLDERS = frozenset(
    {"none", "n/a", "na", "n.a.", "-1", "null", "nil", "-", "--", "tbd", "unknown", "0000"}
)

_ESCAPES_RE = re.compile(r"\\r\\n|\\n|\\r|\\t")
_MARKER_RE = re.compile(r"#{2,}\s*[A-Za-z0-9_ /-]{1,40}?\s*#{2,}")
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_ESCAPED_TAG_RE = re.compile(r"&(?:amp;)*lt;/?[a-zA-Z]")
_BULLET_RE = re.compile(r"^\s*(?:[*•·▪◦●]|-(?!\d)|\d{1,2}[.)](?=\s))\s+")
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
# The only tags kept through nh3: the ones that say where lines and lists go.
_STRUCTURE_TAGS = {"br", "p", "div", "li", "ul", "ol"}

# UTF-8 punctuation read as code page 437, with the "Γ" sometimes flattened to
# "G": "GÇÖ" is "’". ftfy finds the "ΓÇÖ" form only when the text is long enough.
_CP437_RE = re.compile(r"[GΓ]Ç[\x80-\uffff]")

# What ftfy can change: anything beyond printable ASCII (mojibake, curly quotes,
# ligatures, control characters, "\r" line breaks) and HTML entities. Text without
# any of these is left as it is, without the (slow) call.
_FTFY_NEEDED_RE = re.compile(r"[^\t\n\x20-\x7e]|&")

_counts = contextvars.ContextVar("cleaning_counts", default=None)


@contextlib.contextmanager
def counting(counter):
    """Count what the cleaners change, per kind, into `counter` (a Counter)."""
    token = _counts.set(counter)
    try:
        yield counter
    finally:
        _counts.reset(token)


def _note(kind):
    counter = _counts.get()
    if counter is not None:
        counter[kind] += 1


def _cp437(match):
    try:
        return (b"\xe2\x80" + match.group()[-1].encode("cp437")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return match.group()


def is_placeholder(value):
    return (
        str(value).strip().lower().rstrip(".") in PLACEHOLDERS
        or str(value).strip().lower() in PLACEHOLDERS
    )


def _tidy(value):
    lines = [_SPACES_RE.sub(" ", line).strip() for line in value.splitlines()]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)


def _html_to_text(value):
    """Sanitised HTML (nh3) to the text the listing shows: lines and "• " lists."""
    value = nh3.clean(value, tags=_STRUCTURE_TAGS, attributes={}, strip_comments=True)
    value = re.sub(r"(?i)<br\s*/?>", "\n", value)
    value = re.sub(r"(?i)<li>", "\n• ", value)
    value = re.sub(r"(?i)</(?:p|div)>|<(?:p|div)>", "\n\n", value)
    value = re.sub(r"<[^>]+>", "\n", value)
    return html.unescape(value)


def prose(value):
    """A multi-line text field, cleaned; "" for blanks and placeholders."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    raw = str(value)
    if not raw.strip():
        return ""
    if is_placeholder(raw):
        _note("placeholder")
        return ""
    text = _CP437_RE.sub(_cp437, raw)
    if text != raw:
        _note("mojibake")
        raw = text
    fixed = ftfy.fix_text(text, normalization="NFC") if _FTFY_NEEDED_RE.search(text) else text
    if fixed != text:
        # Only count real repairs (ftfy also straightens quotes and unescapes).
        if ftfy.fix_text(text, uncurl_quotes=False, unescape_html=False) != text:
            _note("mojibake")
        text = fixed
    if "\\" in text:
        replaced = _ESCAPES_RE.sub(lambda m: " " if m.group() == "\\t" else "\n", text)
        if replaced != text:
            _note("escape sequence")
            text = replaced
    if "##" in text:
        replaced = _MARKER_RE.sub(" ", text)
        if replaced != text:
            _note("marker")
            text = replaced
    if _ESCAPED_TAG_RE.search(text) or _TAG_RE.search(text) or "&" in text:
        unescaped = text
        for _ in range(3):
            if not _ESCAPED_TAG_RE.search(unescaped):
                break
            unescaped = html.unescape(unescaped)
        if _TAG_RE.search(unescaped):
            text = _html_to_text(unescaped)
            _note("html")
        elif "&" in unescaped and unescaped != html.unescape(unescaped):
            text = html.unescape(unescaped)
            _note("html")
    lines = []
    bullets = False
    for row in _tidy(text).splitlines():
        match = _BULLET_RE.match(row)
        if match and row[match.end() :].strip():
            item = "• " + row[match.end() :].strip()
            # A list starts after a blank line; its items follow one another.
            if lines and lines[-1] and not lines[-1].startswith("• "):
                lines.append("")
            if lines and lines[-1] == "" and len(lines) > 1 and lines[-2].startswith("• "):
                lines.pop()
            lines.append(item)
            bullets = True
        else:
            if row and lines and lines[-1].startswith("• "):
                lines.append("")
            lines.append(row)
    if bullets:
        _note("bullets")
    text = _tidy("\n".join(lines))
    if is_placeholder(text):
        _note("placeholder")
        return ""
    return text


def line(value, max_length=255):
    """A one-line field, cleaned and cut to max_length (with an ellipsis)."""
    text = " ".join(prose(value).replace("• ", "").split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def name(value, max_length=255):
    """A name: one line, and ALL CAPS put in title case keeping known acronyms."""
    text = line(value, max_length)
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        cased = title_case(text)
        if cased != text:
            _note("all caps")
            text = cased
    return text


def title_case(text):
    """ "YMCA OF THE NORTH SHORE - WIC PROGRAM" -> "YMCA of the North Shore - WIC Program"."""
    words = re.split(r"(\s+|[-/(),&])", text)
    out, first = [], True
    for word in words:
        bare = re.sub(r"[^A-Za-z0-9]", "", word)
        if not bare:
            out.append(word)
            continue
        if bare.upper() in ACRONYMS or (len(bare) <= 4 and not re.search(r"[AEIOUY]", bare)):
            out.append(word.upper())
        elif not first and bare.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append(_capitalise(word))
        first = False
    return "".join(out)


def _capitalise(word):
    """ "CHILDREN'S" -> "Children's"; "MC-DONALD" is split before it gets here."""
    lowered = word.lower()
    for i, ch in enumerate(lowered):
        if ch.isalpha():
            return lowered[:i] + ch.upper() + lowered[i + 1 :]
    return lowered


def summary(counter):
    """ "12 escape sequences, 3 markers" for the import's summary."""
    return ", ".join(f"{n} {kind}" for kind, n in sorted(Counter(counter).items()) if n)
