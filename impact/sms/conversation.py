"""The text-message conversation: one inbound message in, one reply out.

`handle(number, body, now=...)` is the whole state machine. Its state lives in
two places: the durable SmsContact row (language, STOP), keyed by the number's
hash, and a short-lived session in the cache (the last search, for "MORE" and
"2"). It returns the reply text, or "" to stay silent (after STOP, or over the
rate limit). Every reply is cut to settings.STEWARD_SMS["MAX_SEGMENTS"].
"""

import datetime as dt
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.links import public_url
from directory.models import ServicePage
from directory.models.hours import format_time
from directory.models.pages import ServiceStatus
from directory.selectors import service_cards
from directory.translations import localized
from impact.models import Reason, Result, SmsContact, SmsFollowUp, Source
from impact.outcomes import record_outcome
from impact.sms import limits, privacy, quiet
from impact.sms.finder import find_place, find_services, looks_spanish, parse_request, plain
from impact.sms.segments import fit

# Carriers' opt-out and opt-in words (CTIA; Twilio's defaults), plus Spanish ones.
STOP_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR", "ALTO", "BAJA"}
)
START_WORDS = frozenset({"START", "UNSTOP", "YES", "SI", "INICIO"})
HELP_WORDS = frozenset({"HELP", "INFO", "AYUDA"})
MORE_WORDS = frozenset({"MORE", "MAS", "NEXT", "SIGUIENTE"})
FOLLOW_WORDS = frozenset({"FOLLOW", "SEGUIR", "SEGUIMIENTO"})
YES_WORDS = frozenset({"YES", "Y", "SI", "S"})
NO_WORDS = frozenset({"NO", "N"})
SPANISH = frozenset({"ES", "ESPANOL", "SPANISH"})
ENGLISH = frozenset({"EN", "ENGLISH", "INGLES"})
PAGE = 3
MAX_BODY = 320

REASON_WORDS = [
    (Reason.NO_ANSWER, {"answer", "answered", "nadie", "contesto", "contestan", "contestaron"}),
    (Reason.CLOSED, {"closed", "close", "cerrado", "cerrada", "cerraron"}),
    (Reason.NOT_ELIGIBLE, {"eligible", "elegible", "qualify", "califico", "calificaba"}),
    (Reason.WAITLIST, {"waitlist", "wait", "waiting", "espera"}),
    (Reason.COST, {"cost", "expensive", "money", "caro", "costo", "cobran"}),
    (Reason.TOO_FAR, {"far", "lejos"}),
]


def _clean(body):
    text = unicodedata.normalize("NFKC", body or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())[:MAX_BODY]


def _keyword(text):
    return plain(text).strip(" .!?¡¿,;:'\"").upper()


def _session_key(key):
    return f"impact:sms:session:{key}"


def _reply(text):
    return fit(text, settings.STEWARD_SMS["MAX_SEGMENTS"])


def handle(number, body, *, now=None):
    """The reply to one inbound message ("" for none)."""
    now = now or timezone.now()
    key = privacy.number_hash(number)
    text = _clean(body)
    word = _keyword(text)
    contact, _created = SmsContact.objects.get_or_create(number_hash=key)
    session = cache.get(_session_key(key)) or {}
    language = session.get("language") or contact.language

    if word in STOP_WORDS:
        _stop(contact, key, now=now)
        with translation.override(language):
            return _reply(
                _("You will get no more messages from Steward. Reply START to get them again.")
            )
    if contact.stopped:
        if word not in START_WORDS:
            return ""
        contact.stopped = False
        contact.save(update_fields=["stopped", "updated_at"])
        with translation.override(language):
            return _reply(_("Welcome back. ") + _help_text())
    if not limits.allow(key):
        if limits.first_refusal(key):
            with translation.override(language):
                return _reply(_("You have sent many messages. Please try again in an hour."))
        return ""

    if word in SPANISH or word in ENGLISH:
        language = "es" if word in SPANISH else "en"
        _set_language(contact, session, language)
        _save_session(key, session)
        with translation.override(language):
            return _reply(_help_text())
    first = word.split(" ", 1)[0] if word else ""
    pending = _asked_follow_up(key, now=now)
    if pending is not None and first in YES_WORDS | NO_WORDS:
        with translation.override(pending.language):
            return _reply(_answer(pending, text, first in YES_WORDS, now=now))

    words, zip_code = parse_request(text)
    if looks_spanish(words) and language != "es":
        language = "es"
        _set_language(contact, session, language)
    with translation.override(language):
        if word in HELP_WORDS or word in START_WORDS:
            reply = _help_text()
        elif word in FOLLOW_WORDS:
            reply = _follow(key, number, session, language, now=now)
        elif word in MORE_WORDS:
            reply = _more(session, now=now)
        elif word.isdigit() and len(word) <= 2:
            reply = _details(session, int(word), now=now)
        else:
            reply = _search(session, words, zip_code, now=now)
    _save_session(key, session)
    return _reply(reply)


def _set_language(contact, session, language):
    session["language"] = language
    if contact.language != language:
        contact.language = language
        contact.save(update_fields=["language", "updated_at"])


def _save_session(key, session):
    cache.set(_session_key(key), session, timeout=settings.STEWARD_SMS["SESSION_SECONDS"])


def _stop(contact, key, *, now):
    """STOP: no message again until START; a pending follow-up is cancelled and
    its number erased."""
    with transaction.atomic():
        contact.stopped = True
        contact.save(update_fields=["stopped", "updated_at"])
        SmsFollowUp.objects.filter(number_hash=key, closed_at__isnull=True).update(
            closed_at=now, number_encrypted=""
        )
    cache.delete(_session_key(key))


def _help_text():
    return _(
        "Steward finds help near you. Text what you need and your ZIP code, like FOOD 60601 "
        "or SHELTER 33125. ES for Spanish. STOP to end. Call 911 in an emergency."
    )


# --- searching ---------------------------------------------------------------


def _search(session, words, zip_code, *, now):
    if not zip_code and words:
        zip_code = session.get("zip", "")
        if not zip_code:
            session["words"] = words
            return _("What ZIP code are you in? Reply like: %(example)s") % {
                "example": f"{words[0].upper()} 60601"
            }
    if not zip_code:
        return _("What do you need, and where? Text a need and your ZIP code, like FOOD 60601.")
    if not words:
        words = session.get("words") or []
        if not words:
            session["zip"] = zip_code
            return _(
                "What do you need near %(zip)s? Reply like FOOD, SHELTER, HEALTH or LEGAL."
            ) % {"zip": zip_code}
    point = find_place(zip_code)
    if point is None:
        return _("We don't know the ZIP code %(zip)s. Check the 5 digits and try again.") % {
            "zip": zip_code
        }
    pairs = find_services(words, point, now=now)
    session.update(
        {"words": words, "zip": zip_code, "results": [s.pk for _, s in pairs], "shown": 0}
    )
    session.pop("detail", None)
    if not pairs:
        return _(
            "We found nothing for %(need)s near %(zip)s. Try another word, like FOOD, SHELTER "
            "or HEALTH, or call 211."
        ) % {"need": " ".join(words)[:30], "zip": zip_code}
    return _page(session, now=now, header=_("Near %(zip)s:") % {"zip": zip_code})


def _cards(pks, *, now):
    services = {s.pk: s for s in ServicePage.objects.listed().filter(pk__in=pks)}
    ordered = [services[pk] for pk in pks if pk in services]
    return list(zip(service_cards(ordered, now=now), ordered, strict=True))


def _page(session, *, now, header):
    results = session.get("results") or []
    start = session.get("shown", 0)
    chunk = results[start : start + PAGE]
    if not chunk:
        return _("That is all we found. Text another need or ZIP code to search again.")
    lines = [header]
    for number, (card, service) in enumerate(_cards(chunk, now=now), start=start + 1):
        lines.append(f"{number} {_summary(card, service, now=now)}")
    session["shown"] = start + len(chunk)
    last = start + len(chunk)
    if last < len(results):
        lines.append(
            _("Reply %(first)s-%(last)s for details, MORE for more.")
            % {
                "first": start + 1,
                "last": last,
            }
        )
    else:
        lines.append(
            _("Reply %(first)s-%(last)s for details.") % {"first": start + 1, "last": last}
        )
    return "\n".join(lines)


def _summary(card, service, *, now):
    parts = [card.title[:40], _state(card, service, now=now)]
    if card.phone:
        parts.append(card.phone.display)
    parts.append(_short_address(card))
    return " - ".join(p for p in parts if p)


def _short_address(card):
    if card.confidential:
        return _("call for address")
    place = next(iter(card.places), None)
    if not place or not place.get("street"):
        return ""
    return ", ".join(p for p in (place["street"], place["city"]) if p)


def _weekday(moment):
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return names[moment.weekday()]


def _state(card, service, *, now):
    """Open state in a few words. The status overrides hours: a temporarily closed
    service is never "open"."""
    if service.status == ServiceStatus.TEMPORARILY_CLOSED:
        return _("Temporarily closed")
    if service.status != ServiceStatus.ACTIVE:
        return _("Not running now")
    if card.open_state is True:
        return _("Open now")
    if card.opens_at is not None:
        moment = card.opens_at
        days = (moment.date() - now.astimezone(moment.tzinfo).date()).days
        time = format_time(moment.time())
        if days == 0:
            return _("Opens %(time)s") % {"time": time}
        if days == 1:
            return _("Opens tomorrow %(time)s") % {"time": time}
        return _("Opens %(day)s %(time)s") % {"day": _weekday(moment), "time": time}
    return _("Call for hours")


def _more(session, *, now):
    if not session.get("results"):
        return _("Text what you need and your ZIP code first, like FOOD 60601.")
    return _page(session, now=now, header=_("More near %(zip)s:") % {"zip": session["zip"]})


def _details(session, number, *, now):
    results = session.get("results") or []
    if not results:
        return _("Text what you need and your ZIP code first, like FOOD 60601.")
    shown = max(session.get("shown", 0), 1)
    if not 1 <= number <= shown:
        return _("Reply a number from 1 to %(last)s.") % {"last": shown}
    pairs = _cards([results[number - 1]], now=now)
    if not pairs:
        return _("That service is no longer listed. Text your need and ZIP code to search again.")
    card, service = pairs[0]
    session["detail"] = service.pk
    lines = [card.title]
    if card.organization and card.organization != card.title:
        lines[0] += f" ({card.organization})"
    lines.append(_state(card, service, now=now))
    if card.phone:
        lines.append(_("Call %(phone)s") % {"phone": card.phone.display})
    if card.confidential:
        lines.append(_("Call for address"))
    else:
        place = next(iter(card.places), None)
        if place and place["address"]:
            lines.append(place["address"])
    if card.url:
        lines.append(public_url(card.url))
    lines.append(
        _("Reply FOLLOW and we'll ask in %(days)s days whether you got help.")
        % {"days": settings.STEWARD_SMS["FOLLOW_UP_DAYS"]}
    )
    return "\n".join(lines)


# --- follow-up ---------------------------------------------------------------


def _follow(key, number, session, language, *, now):
    service = ServicePage.objects.listed().filter(pk=session.get("detail") or 0).first()
    if service is None:
        return _("Reply with a number for a service's details first, then FOLLOW.")
    days = settings.STEWARD_SMS["FOLLOW_UP_DAYS"]
    if not SmsFollowUp.objects.filter(
        number_hash=key, service=service, closed_at__isnull=True
    ).exists():
        SmsFollowUp.objects.create(
            number_hash=key,
            number_encrypted=privacy.encrypt_number(number),
            service=service,
            language=language,
            created_at=now,
            ask_at=quiet.next_allowed(now + dt.timedelta(days=days), quiet.service_zone(service)),
        )
    return _(
        "Thanks. In %(days)s days we'll ask whether you got help at %(name)s. Reply STOP to cancel."
    ) % {"days": days, "name": localized(service, "title").text[:40]}


def _asked_follow_up(key, *, now):
    """The follow-up question this number was asked and has not answered."""
    return (
        SmsFollowUp.objects.select_related("service")
        .filter(number_hash=key, asked_at__isnull=False, closed_at__isnull=True)
        .order_by("-asked_at", "-pk")
        .first()
    )


def _reason(text):
    words = {plain(w) for w in text.split()[1:]}
    for reason, cues in REASON_WORDS:
        if words & cues:
            return reason
    return Reason.OTHER


def _answer(follow_up, text, got_help, *, now):
    """YES or NO (with a reason) becomes the outcome; closed, no answer and not
    eligible reach the review queue through impact.outcomes."""
    reason = "" if got_help else _reason(text)
    with transaction.atomic():
        outcome = record_outcome(
            service=follow_up.service,
            result=Result.GOT_HELP if got_help else Result.COULD_NOT,
            reason=reason,
            source=Source.SMS,
            sms_follow_up=follow_up,
            now=now,
        )
        follow_up.closed_at = now
        follow_up.number_encrypted = ""
        follow_up.save(update_fields=["closed_at", "number_encrypted"])
    if got_help:
        return _("Thank you! We're glad you got help. Text us any time you need more.")
    if outcome.is_forwardable:
        return _(
            "Thank you for telling us. We'll ask the people who keep this listing to check it. "
            "Text a need and ZIP code to search again."
        )
    return _("Thank you for telling us. Text a need and ZIP code to search again, or call 211.")
