from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents.views import serve as documents

import directory.ids  # noqa: F401 - registers the `id` converter
from directory import views as directory_views
from history.reports import SiteHistoryView
from review.moderation import guard_views


def favicon(request):
    """The favicon's static URL (hashed in production), looked up per request."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("healthz", directory_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page's <link rel=icon> says.
    path("favicon.ico", favicon),
    path("search/", directory_views.search, name="search"),
    # The language switcher posts here (django.views.i18n.set_language: a cookie).
    # No CSRF token: every public page carries the switcher, and a page holding a
    # token (and its cookie) could not be shared from the page cache. Changing a
    # reader's language is all a forged post could do.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("directory.accounts.urls")),
    # Open data: HSDS 3.0 (directory.api), read-only, no key.
    path("api/hsds/", include("directory.api.urls", namespace="hsds")),
    path("", include("review.urls")),
    path("", include("impact.urls")),
    path("", include("history.urls")),
    # Wagtail's own Lock / Unlock of a listing: moderators only, with a reason (review).
    path("admin/pages/<int:page_id>/lock/", guard_views.wagtail_lock_view),
    path("admin/pages/<int:page_id>/unlock/", guard_views.wagtail_unlock_view),
    # Wagtail's site history: the whole log for moderators and analysts, one's own
    # actions for everyone else (history.reports).
    # Mounted outside Wagtail's admin urls, so wrapped in its sign-in check here.
    path("admin/reports/site-history/", require_admin_access(SiteHistoryView.as_view())),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's public documents and page-password URLs, with ids that can exist
    # (directory.ids): an absurd id is a 404, not a database error. Same names as
    # wagtail.documents.urls and wagtail.urls, so Wagtail's reverse() finds them.
    path(
        "documents/<id:document_id>/<str:document_filename>",
        documents.serve,
        name="wagtaildocs_serve",
    ),
    path(
        "documents/authenticate_with_password/<id:restriction_id>/",
        documents.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path(
        "_util/authenticate_with_password/<id:page_view_restriction_id>/<id:page_id>/",
        wagtail_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "_util/login/",
        LoginView.as_view(
            template_name=getattr(
                settings, "WAGTAIL_FRONTEND_LOGIN_TEMPLATE", "wagtailcore/login.html"
            )
        ),
        name="wagtailcore_login",
    ),
    # Wagtail's serve view, with listings routed in one query first.
    re_path(wagtail_urls.serve_pattern, directory_views.serve_page, name="wagtail_serve"),
]
