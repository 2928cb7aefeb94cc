from django import template

from directory.icons import icon as _icon

register = template.Library()


@register.simple_tag
def icon(name):
    """`{% icon "phone" %}`: an inline SVG icon (directory.icons)."""
    return _icon(name)


@register.simple_tag
def example_zip():
    """`{% example_zip %}`: a ZIP code of this deployment's area (directory.geo)."""
    from directory.geo import example_zip as find

    return find()
