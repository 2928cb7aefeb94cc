"""Where other apps add their parts to a listing, without directory importing them.

DESIGN.md §2: the arrows point one way. `review`, `history` and `impact` add a
freshness badge, "report a problem", a history link or "save to my plan" to a
listing by registering Wagtail hooks; the directory only asks.

- ``steward_listing_parts``: ``fn(request, page, slot) -> str | None``. Called
  once per slot while a service or organization page renders. Slots, in page
  order: ``"status"`` (under the title), ``"actions"`` (beside call and
  directions), ``"aside"`` (after the details), ``"footer"`` (end of the page).
  Return HTML (escape what you interpolate) or None.
- ``steward_card_parts``: ``fn(request, pages) -> {page.pk: str}``. Called once
  per list of result cards, with all the pages at once, so that a part costs a
  fixed number of queries per page of results, never one per card.
"""

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from wagtail import hooks

LISTING_SLOTS = ("status", "actions", "aside", "footer")


def listing_parts(request, page, slot):
    if slot not in LISTING_SLOTS:
        raise ValueError(f"Unknown listing slot {slot!r}; use one of {LISTING_SLOTS}.")
    pieces = []
    for fn in hooks.get_hooks("steward_listing_parts"):
        html = fn(request, page, slot)
        if html:
            pieces.append(html)
    return mark_safe("".join(str(p) for p in pieces))


def card_parts(request, pages):
    """``{page.pk: safe HTML}`` gathered from every ``steward_card_parts`` hook."""
    pages = list(pages)
    gathered = {page.pk: [] for page in pages}
    if not pages:
        return {}
    for fn in hooks.get_hooks("steward_card_parts"):
        for pk, html in (fn(request, pages) or {}).items():
            if html and pk in gathered:
                gathered[pk].append(html)
    return {
        pk: format_html_join("", "{}", ((mark_safe(str(h)),) for h in items))
        for pk, items in gathered.items()
    }
