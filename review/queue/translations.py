"""“Translation out of date” items (issue 15).

A listing's Spanish (or other) text remembers which English it translates
(directory.translations). When a published listing's English changed since, its
translation is out of date: Spanish readers see the current English with a note
instead. The scan opens one item per listing, naming the fields; it closes by
itself once the translation is edited, or confirmed in the editor ("The Spanish
text matches the English as it is now").
"""

from django.utils.translation import get_language_info, gettext

from directory.models import ServicePage
from directory.translations import (
    SOURCES_FIELD,
    TRANSLATED_FIELDS,
    listing_languages,
    outdated_fields,
    translated_name,
)
from review.models import ReviewItem

KIND = ReviewItem.Kind.TRANSLATION_OUTDATED


def _label(field):
    if field == "title":
        return gettext("Name")
    text = str(ServicePage._meta.get_field(field).verbose_name)
    return text[:1].upper() + text[1:]


def translation_outdated(*, now, page_ids=None):
    """Trigger: published listings with a translation older than their English."""
    from review.queue.scan import Trigger

    languages = listing_languages(ServicePage)
    if not languages:
        return {}
    columns = ["pk", "last_published_at", SOURCES_FIELD, *TRANSLATED_FIELDS]
    columns += [translated_name(f, code) for code in languages for f in TRANSLATED_FIELDS]
    pages = ServicePage.objects.listed().exclude(**{SOURCES_FIELD: {}}).only(*columns)
    if page_ids is not None:
        pages = pages.filter(pk__in=page_ids)
    found = {}
    for page in pages:
        outdated = outdated_fields(page)
        if not outdated:
            continue
        parts = [
            f"{get_language_info(code)['name']} translation out of date: "
            f"{', '.join(_label(f) for f in fields)} changed in English since translated."
            for code, fields in outdated.items()
        ]
        found[(page.pk, KIND)] = Trigger(
            reason=" ".join(parts)
            + " Readers see the current English until the translation is updated or confirmed.",
            data={"fields": outdated},
            evidence_at=page.last_published_at,
        )
    return found
