"""The ceiling for `make bench`: one Django view, no database, served like Steward.

Configured from the same environment variables as Steward's production settings
(SECRET_KEY, ALLOWED_HOSTS) with Django's security and common middleware, so the
difference between this and a Steward page is the page's own work.
Run: gunicorn --chdir bench minimal_app:application
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=[h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)

PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Hello</title></head>"
    "<body><main><h1>Hello</h1><p>The smallest Django page.</p></main></body></html>"
)


def hello(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", hello)]

application = get_wsgi_application()
