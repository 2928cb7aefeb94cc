"""The reader's language: the switcher's context and the Vary header.

The language itself is chosen by Django's LocaleMiddleware (the cookie the switcher
sets, else Accept-Language); the list of languages is settings.LANGUAGES, nowhere else.
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_noop

# Django's `a` time format writes "a.m." / "p.m."; the project catalogue gives each
# language its own ("a. m." in Spanish). Marked here so makemessages keeps them.
DJANGO_OVERRIDES = (gettext_noop("a.m."), gettext_noop("p.m."))


def languages(request):
    """`switcher_languages`: each language of settings.LANGUAGES, named in itself
    (the names there are written in their own language: "Español")."""
    return {"switcher_languages": [{"code": c, "name": n} for c, n in settings.LANGUAGES]}


class VaryOnLanguageMiddleware:
    """Every response depends on the language: Vary: Accept-Language, Cookie.

    LocaleMiddleware adds Accept-Language; the cookie the switcher sets picks the
    language too, so a shared cache must not serve one reader's Spanish page to
    another who asked for English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
