"""/api/hsds/: ninja's URLs, each wrapped in directory.api.http.api_view (rate
limit, CORS, conditional GET), and a JSON 404 for anything else under it."""

from django.urls import URLPattern, re_path

from .http import api_view
from .problems import not_found
from .views import api


def _wrapped(patterns):
    for pattern in patterns:
        yield URLPattern(
            pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name
        )


def unknown(request, rest=""):
    return not_found("There is no such address in the HSDS API. Start at /api/hsds/.")


_patterns, app_name, _namespace = api.urls
urlpatterns = [*_wrapped(_patterns), re_path(r"^(?P<rest>.*)$", api_view(unknown))]
