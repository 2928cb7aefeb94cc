"""Opening times as people write them: "9:00am-5:00pm, Mon-Fri", "Mon-Fri 9-5; Sat 10-2".

Pure functions, no database. `parse_hours` turns a free-text line into weekly
(weekday, opens, closes) rows and raises HoursParseError when the text does not
say clearly which days and times it means: a guess would put wrong hours on a
listing, which is worse than none.
"""

import datetime as dt
import re

WEEKDAYS = {
    "monday": 1,
    "tuesday": 2,
    "wednesday": 3,
    "thursday": 4,
    "friday": 5,
    "saturday": 6,
    "sunday": 7,
}
Weekday_names = tuple(day.capitalize() for day in WEEKDAYS)
_DAY_ALIASES = {
    "mon": 1,
    "mo": 1,
    "m": 1,
    "tue": 2,
    "tues": 2,
    "tu": 2,
    "wed": 3,
    "we": 3,
    "weds": 3,
    "thu": 4,
    "thur": 4,
    "thurs": 4,
    "th": 4,
    "fri": 5,
    "fr": 5,
    "f": 5,
    "sat": 6,
    "sa": 6,
    "sun": 7,
    "su": 7,
    **WEEKDAYS,
}
ALL_DAYS = frozenset(range(1, 8))
# A closing time of 24:00 is midnight: 0:00, which the model reads as "until
# midnight" (a close at or before the opening runs into the next day).
END_OF_DAY = dt.time(0)

_DAY_NAME = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)\.?"
)
_TIME = r"(?:noon|midnight|\d{1,2}(?::\d{2}){0,2}\s*(?:[ap]\.?\s*m\.?|[ap]\b)?)"
_RANGE_RE = re.compile(rf"({_TIME})\s*(?:-|–|—|to|until|till)\s*({_TIME})", re.I)
_DAY_RANGE_RE = re.compile(rf"\b({_DAY_NAME})\s*(?:-|–|—|to|through|thru)\s*({_DAY_NAME})", re.I)
_DAY_RE = re.compile(rf"\b({_DAY_NAME})(?![a-z])", re.I)
_GROUP_RE = re.compile(
    r"\b(weekdays|weekends|daily|every\s*day|7\s*days(?:\s*a\s*week)?|m\s*-\s*f)\b", re.I
)
_ALWAYS_RE = re.compile(r"\b24\s*(?:/\s*7|hours|hrs)\b", re.I)
_CLOSED_RE = re.compile(r"\bclosed\b", re.I)
_TIME_RE = re.compile(
    r"^\s*(?:(noon)|(midnight)|(\d{1,2})(?::?(\d{2}))?(?::(\d{2}))?\s*(?:([ap])\.?\s*m?\.?)?)\s*$",
    re.I,
)


class HoursParseError(ValueError):
    """The text does not say clearly when the place is open."""


def parse_weekday(value):
    """1 (Monday) to 7 (Sunday) from a name, an abbreviation, an RRULE code or 1-7."""
    text = str(value or "").strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text)
    return _DAY_ALIASES.get(text)


def parse_time(value):
    """A time from "9", "9am", "9:30 p.m.", "17:00", "09:00:00", "noon"; None if unclear."""
    if isinstance(value, dt.time):
        return value
    match = _TIME_RE.match(str(value or ""))
    if not match:
        return None
    noon, midnight, hour, minute, second, meridiem = match.groups()
    if noon:
        return dt.time(12)
    if midnight:
        return dt.time(0)
    hour, minute = int(hour), int(minute or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    if hour == 24 and minute == 0:
        return END_OF_DAY
    if hour > 23 or minute > 59 or int(second or 0) > 59:
        return None
    return dt.time(hour, minute)


def _has_meridiem(text):
    return bool(re.search(r"[ap]\.?\s*m\.?\s*$|[ap]\s*$|noon|midnight", text.strip(), re.I))


def parse_range(opens_text, closes_text, *, free_text=False):
    """(opens, closes) for a range whose times may lack am/pm ("9-5", "1-5pm").

    In free text, an unmarked range in the small hours ("1-5") is an afternoon;
    structured columns use the 24-hour clock and are read as written.
    """
    opens, closes = parse_time(opens_text), parse_time(closes_text)
    if opens is None or closes is None:
        raise HoursParseError(f"“{opens_text}–{closes_text}” is not a time range.")
    opens_marked, closes_marked = _has_meridiem(opens_text), _has_meridiem(closes_text)
    small_hours = 1 <= opens.hour <= 6 and opens < closes and closes.hour < 12
    if free_text and not (opens_marked or closes_marked) and small_hours:
        opens = opens.replace(hour=opens.hour + 12)
        closes = closes.replace(hour=closes.hour + 12)
    # "1-5pm" means 1pm; "9-5pm" means 9am.
    if not opens_marked and closes_marked and opens.hour < 12 <= closes.hour:
        later = opens.replace(hour=opens.hour + 12)
        if later < closes:
            opens = later
    if not closes_marked:
        closes = pm_if_slip(opens, closes)
    if opens == closes:
        raise HoursParseError(f"“{opens_text}–{closes_text}” opens and closes at the same time.")
    return opens, closes


def pm_if_slip(opens, closes):
    """Read a closing time written on a 12-hour clock ("10:00-4:00") as pm.

    Only when the close is before noon, before the opening, and twelve hours later
    lands after the opening; anything else is left as given (past midnight).
    """
    if closes < opens and closes.hour < 12:
        later = closes.replace(hour=closes.hour + 12)
        if later > opens:
            return later
    return closes


def _days_between(first, last):
    if first <= last:
        return set(range(first, last + 1))
    return set(range(first, 8)) | set(range(1, last + 1))


def _group_days(word):
    word = re.sub(r"\s+", "", word.lower())
    if word in ("weekdays", "m-f"):
        return {1, 2, 3, 4, 5}
    if word == "weekends":
        return {6, 7}
    return set(ALL_DAYS)


def _tokens(text):
    """Day sets, time ranges and "closed" markers, in the order they appear."""
    found, taken = [], []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for match in _RANGE_RE.finditer(text):
        times = parse_range(match.group(1), match.group(2), free_text=True)
        found.append((match.start(), "range", times))
        taken.append(match.span())
    for match in _ALWAYS_RE.finditer(text):
        if free(*match.span()):
            found.append((match.start(), "range", (dt.time(0), END_OF_DAY)))
            found.append((match.start(), "days", set(ALL_DAYS)))
            taken.append(match.span())
    for match in _DAY_RANGE_RE.finditer(text):
        if free(*match.span()):
            days = _days_between(parse_weekday(match.group(1)), parse_weekday(match.group(2)))
            found.append((match.start(), "days", days))
            taken.append(match.span())
    for regex, kind in ((_GROUP_RE, "group"), (_DAY_RE, "day"), (_CLOSED_RE, "closed")):
        for match in regex.finditer(text):
            if not free(*match.span()):
                continue
            if kind == "group":
                found.append((match.start(), "days", _group_days(match.group(1))))
            elif kind == "day":
                found.append((match.start(), "days", {parse_weekday(match.group(1))}))
            else:
                found.append((match.start(), "closed", None))
            taken.append(match.span())
    return [(kind, value) for _, kind, value in sorted(found, key=lambda t: t[0])]


def parse_hours(text):
    """Weekly rows [(weekday, opens, closes)] from free text, sorted, without duplicates.

    Days and times pair up in the order written: "Mon-Fri 9-5, Sat 10-2" and
    "9:00am-5:00pm, Mon-Fri" both work; "closed" after days drops them.
    """
    text = (text or "").strip()
    if not text:
        raise HoursParseError("No hours given.")
    rows, days, ranges = set(), set(), []

    def emit():
        for day in days:
            for opens, closes in ranges:
                rows.add((day, opens, closes))

    for kind, value in _tokens(text):
        if kind == "days":
            if ranges:
                if days:
                    emit()
                    days, ranges = set(value), []
                else:
                    days = set(value)
                    emit()
                    days, ranges = set(), []
            else:
                days |= value
        elif kind == "range":
            ranges.append(value)
        elif not ranges:
            days = set()
    if ranges:
        if not days:
            raise HoursParseError(f"“{text}” gives times but not which days.")
        emit()
    elif days and not rows:
        raise HoursParseError(f"“{text}” gives days but no times.")
    if not rows:
        raise HoursParseError(f"“{text}” gives no days and times we can read.")
    return sorted(rows)


# --- monthly patterns ------------------------------------------------------------

_ORDINALS = {
    "1st": 1,
    "first": 1,
    "2nd": 2,
    "second": 2,
    "3rd": 3,
    "third": 3,
    "4th": 4,
    "fourth": 4,
    "5th": 5,
    "fifth": 5,
    "last": -1,
}
_ORDINAL = r"(?:1st|2nd|3rd|4th|5th|first|second|third|fourth|fifth|last)"
_MONTHLY_RE = re.compile(
    rf"\b({_ORDINAL}(?:\s*(?:,|and|&|/)\s*{_ORDINAL})*)\s+({_DAY_NAME})s?\b", re.I
)
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def parse_monthly(text):
    """ "2nd and 4th Tuesday, 9am-noon" -> ("FREQ=MONTHLY;BYDAY=2TU,4TU", 9:00, 12:00).

    None when the text names no "nth weekday"; times are None when it gives none.
    The rule is checked by python-dateutil.
    """
    match = _MONTHLY_RE.search(text or "")
    if not match:
        return None
    day = RRULE_DAYS[parse_weekday(match.group(2).rstrip(".")) - 1]
    nths = [_ORDINALS[w.lower()] for w in re.findall(_ORDINAL, match.group(1), re.I)]
    rule = "FREQ=MONTHLY;BYDAY=" + ",".join(f"{n}{day}" for n in sorted(set(nths), key=_nth_order))
    check_rule(rule)
    times = _RANGE_RE.search(text)
    opens = closes = None
    if times:
        opens, closes = parse_range(times.group(1), times.group(2), free_text=True)
    return rule, opens, closes


def _nth_order(n):
    return n if n > 0 else 10 - n


def check_rule(rule):
    """The RRULE, validated by python-dateutil; HoursParseError when it is not one."""
    from dateutil.rrule import rrulestr

    try:
        rrulestr(rule, dtstart=dt.datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise HoursParseError(f"“{rule}” is not a recurrence rule: {exc}") from exc
    return rule


_NTH_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
_DAY_WORDS = dict(zip(RRULE_DAYS, WEEKDAYS, strict=True))


def rule_words(rule):
    """ "FREQ=MONTHLY;BYDAY=2TU,4TU" -> "2nd and 4th Tuesday of the month"; "" if unsure."""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    freq, byday = parts.get("FREQ"), parts.get("BYDAY", "")
    interval = int(parts.get("INTERVAL", "1") or 1)
    found = [re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", d.strip()) for d in byday.split(",")]
    if not byday or not all(found):
        return ""
    if freq == "MONTHLY":
        by_day = {}
        for m in found:
            by_day.setdefault(m.group(2), []).append(int(m.group(1) or 0))
        phrases = []
        for code, nths in by_day.items():
            name = _DAY_WORDS[code].capitalize()
            if nths == [0]:
                phrases.append(f"every {name}")
                continue
            words = [_NTH_WORDS.get(n, f"{n}th") for n in sorted(nths, key=_nth_order)]
            joined = (
                " and ".join(words)
                if len(words) < 3
                else ", ".join(words[:-1]) + " and " + words[-1]
            )
            phrases.append(f"{joined} {name}")
        every = "of the month" if interval == 1 else f"every {interval} months"
        return " and ".join(phrases) + f" {every}"
    if freq == "WEEKLY" and interval > 1:
        names = [_DAY_WORDS[m.group(2)].capitalize() for m in found]
        return f"every {interval} weeks on " + " and ".join(names)
    return ""
