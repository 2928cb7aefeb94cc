"""Listings in other languages (issue 15): the Spanish text of a listing.

A professional writes the Spanish of a listing's name, description, eligibility,
how to apply, fees and required documents in the editor's "Spanish" tab. They
are fields of the listing (`<field>_es` on ServicePage), so they are saved in
its revisions, go through the pending-changes workflow, and are diffed in its
history like any other field.

Each translated field remembers which English it translates: a short hash of
the English text at the moment the Spanish was written or confirmed, kept in
`ServicePage.translation_sources` ({"es": {"description": "…"}}), inside the
revision too, so a revert brings back a translation with the English it matched.
When the English changes afterwards, the translation is *out of date*.

What a reader sees (`localized`):
- a Spanish reader, Spanish written and current: the Spanish;
- no Spanish yet: the English, marked `lang="en"`, with "Aún no traducido";
- Spanish out of date: the current English, marked `lang="en"`, with a note, and
  the earlier Spanish only behind a "see the earlier translation" disclosure.
  The English is what the organization says *now*: a stale Spanish fee, document
  list or eligibility rule can send a person to the wrong place with the wrong
  papers, which costs them more than reading English (or a phone's translator).

Which languages a listing can be written in: every language of `LANGUAGES`
other than `LANGUAGE_CODE` for which ServicePage has the `<field>_<code>`
fields. A language without them shows the English with the "not yet
translated" note, never an error.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext, gettext_lazy

# The listing's fields a professional can write in another language, in form order.
TRANSLATED_FIELDS = (
    "title",
    "description",
    "eligibility_description",
    "application_process",
    "fees_description",
    "required_documents",
)

# The field that remembers which English each translation was written against.
SOURCES_FIELD = "translation_sources"

MISSING = "missing"
OUTDATED = "outdated"
TRANSLATED = "translated"
ORIGINAL = "original"


def source_language():
    """The language listings are written in first (LANGUAGE_CODE, e.g. "en")."""
    return settings.LANGUAGE_CODE.split("-")[0]


def translated_name(field, language):
    return f"{field}_{language}"


def listing_languages(model):
    """The languages besides the source one that `model` has fields for."""
    source = source_language()
    found = []
    for code, _name in settings.LANGUAGES:
        code = code.split("-")[0]
        if code == source or code in found:
            continue
        if all(_has_field(model, translated_name(f, code)) for f in TRANSLATED_FIELDS):
            found.append(code)
    return found


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: the language has no fields
        return False
    return True


def english_hash(text):
    """A short fingerprint of an English text; spacing and line ends do not count."""
    normalized = " ".join((text or "").split())
    return hashlib.sha256(normalized.encode()).hexdigest()[:16]


def record_sources(page, previous, *, confirmed=False):
    """Before `page` is saved as a revision: remember which English each
    translation written or changed since `previous` (the latest revision, or
    None) translates. `confirmed`: the editor said every translation matches the
    English as it is now."""
    sources = {}
    old_sources = getattr(page, SOURCES_FIELD, None) or {}
    for language in listing_languages(type(page)):
        kept = dict(old_sources.get(language) or {})
        mine = {}
        for field in TRANSLATED_FIELDS:
            name = translated_name(field, language)
            text = (getattr(page, name, "") or "").strip()
            if not text:
                continue
            before = (getattr(previous, name, "") or "").strip() if previous else None
            if confirmed or before != text:
                mine[field] = english_hash(getattr(page, field, ""))
            elif field in kept:
                mine[field] = kept[field]
            else:
                # Written outside the editor (an import, a script) and unchanged now:
                # it translates the English it stood beside before this change.
                mine[field] = english_hash(getattr(previous, field, ""))
        if mine:
            sources[language] = mine
    setattr(page, SOURCES_FIELD, sources)


def field_state(page, field, language):
    """ORIGINAL (the reader reads the source language), TRANSLATED, MISSING or OUTDATED."""
    if language == source_language():
        return ORIGINAL
    english = getattr(page, field, "") or ""
    if not english.strip():
        return ORIGINAL  # nothing to translate: nothing to say about it
    if language not in listing_languages(type(page)):
        return MISSING
    text = (getattr(page, translated_name(field, language), "") or "").strip()
    if not text:
        return MISSING
    written_for = ((getattr(page, SOURCES_FIELD, None) or {}).get(language) or {}).get(field)
    # No record: written outside the editor and never changed since (an import,
    # a script): nothing says the English moved on.
    if written_for is not None and written_for != english_hash(english):
        return OUTDATED
    return TRANSLATED


def outdated_fields(page):
    """{language: [field, …]} of the translations whose English changed since."""
    found = {}
    for language in listing_languages(type(page)):
        fields = [f for f in TRANSLATED_FIELDS if field_state(page, f, language) == OUTDATED]
        if fields:
            found[language] = fields
    return found


@dataclass(frozen=True)
class Text:
    """One field as a reader sees it. `lang` is the language of `text` when it is
    not the page's (for the `lang` attribute, so a screen reader switches voice),
    "" otherwise; `note` says why ("" when there is nothing to say); `earlier` is
    an out-of-date translation, offered apart."""

    text: str
    lang: str = ""
    note: str = ""
    earlier: str = ""
    state: str = ORIGINAL

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)

    @property
    def lines(self):
        """The text's non-empty lines (required documents are one per line)."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    @property
    def earlier_lines(self):
        return [line.strip() for line in self.earlier.splitlines() if line.strip()]


def current_language():
    return (translation.get_language() or source_language()).split("-")[0]


def localized(page, field, language=None):
    """`page`'s `field` for a reader of `language` (the active one by default)."""
    language = language or current_language()
    english = getattr(page, field, "") or ""
    state = field_state(page, field, language)
    if state == ORIGINAL:
        return Text(english)
    if state == TRANSLATED:
        return Text(getattr(page, translated_name(field, language)).strip(), state=state)
    source = source_language()
    if state == OUTDATED:
        return Text(
            english,
            lang=source,
            note=gettext("The translation is out of date. This is the current English."),
            earlier=getattr(page, translated_name(field, language)).strip(),
            state=state,
        )
    return Text(english, lang=source, note=gettext("Not yet translated"), state=state)


# How a reader names each field in the listing's one translation note.
READER_NAMES = {
    "title": gettext_lazy("the name"),
    "description": gettext_lazy("the description"),
    "eligibility_description": gettext_lazy("who can get it"),
    "application_process": gettext_lazy("how to apply"),
    "fees_description": gettext_lazy("the cost"),
    "required_documents": gettext_lazy("what to bring"),
}


def listing_note(texts):
    """The listing page's one note on its translation, from `localized_fields`:
    a list of sentences, empty when every field is in the reader's language.
    The page says it once at the top; each field keeps only its `lang` and,
    when out of date, the earlier translation behind a disclosure."""
    states = {field: text.state for field, text in texts.items()}
    missing = [f for f in TRANSLATED_FIELDS if states.get(f) == MISSING]
    outdated = [f for f in TRANSLATED_FIELDS if states.get(f) == OUTDATED]
    translated = [f for f in TRANSLATED_FIELDS if states.get(f) == TRANSLATED]

    def names(fields):
        return get_text_list([str(READER_NAMES[f]) for f in fields], gettext("and"))

    notes = []
    if missing and not translated and not outdated:
        notes.append(gettext("Not yet translated"))
    elif missing:
        notes.append(gettext("Not yet translated: %(fields)s.") % {"fields": names(missing)})
    if outdated:
        notes.append(
            gettext("The translation of %(fields)s is out of date: this is the current English.")
            % {"fields": names(outdated)}
        )
    return notes


def localized_fields(page, language=None):
    """Every translated field of `page` for the reader: {field: Text}."""
    language = language or current_language()
    return {field: localized(page, field, language) for field in TRANSLATED_FIELDS}


def describe_for_translator(page):
    """{form field name: help text} for the editor's translation fields: the
    English it translates, and whether the translation is out of date."""
    found = {}
    for language in listing_languages(type(page)):
        for field in TRANSLATED_FIELDS:
            english = (getattr(page, field, "") or "").strip()
            if not english:
                continue
            shown = Truncator(" ".join(english.split())).chars(240)
            if field_state(page, field, language) == OUTDATED:
                text = gettext(
                    "Out of date: the English changed since this was written. English now: "
                    "“%(english)s”"
                )
            else:
                text = gettext("English: “%(english)s”")
            found[translated_name(field, language)] = text % {"english": shown}
    return found
