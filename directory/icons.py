"""The public pages' icons, as inline SVG: they draw on every phone, with no icon
font and no glyph that a cheap phone's fonts lack (a missing glyph shows as a box,
as "＋ Save to my plan" did). Decorative: hidden from screen readers, sized to the
text, drawn in the text's colour. Templates use `{% icon "phone" %}`
(directory.templatetags.icons); Python parts use `icon("check")`."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# 24×24 strokes (in the style of Feather icons, MIT).
PATHS = {
    "phone": (
        '<path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6'
        "A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1 1 .4 1.9.7 2.8a2 2 0 0 1"
        "-.4 2.1L8.1 9.9a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.8.7a2 2 0 0 1 1.7 2z"
        '"/>'
    ),
    "check": '<path d="M20 6 9 17l-5-5"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "alert": '<path d="M12 8v5M12 16.5v.5"/><circle cx="12" cy="12" r="10"/>',
    "arrow-left": '<path d="M19 12H5M12 19l-7-7 7-7"/>',
    "arrow-right": '<path d="M5 12h14M12 5l7 7-7 7"/>',
}


def icon(name):
    """The inline SVG for `name` (a key of PATHS); KeyError for an unknown name, so
    a typo fails a test instead of drawing nothing."""
    return format_html(
        '<svg class="icon icon-{}" aria-hidden="true" focusable="false" width="1em" '
        'height="1em" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        name,
        mark_safe(PATHS[name]),  # noqa: S308 - constant markup above
    )
