"""`{{ text|prose }}`: plain text as paragraphs, with lines that start with "• "
shown as a list (how imports write bullets). Everything is escaped first."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(is_safe=True)
def prose(value):
    blocks = []
    for block in str(value or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        items = [line[2:].strip() for line in lines if line.startswith("• ")]
        if len(items) == len(lines):
            blocks.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
        else:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("\n".join(blocks))  # noqa: S308 - every piece is escaped above
