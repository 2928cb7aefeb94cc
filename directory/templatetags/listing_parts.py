from django import template

from directory.parts import listing_parts as gather

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_parts(context, slot, page=None):
    """``{% listing_parts "status" %}``: what other apps add to this listing here."""
    page = page or context.get("page")
    if page is None:
        return ""
    return gather(context.get("request"), page, slot)
