from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from directory import views as directory_views
from history.reports import SiteHistoryView
from review import guard_views

urlpatterns = [
    path("healthz", directory_views.healthz, name="healthz"),
    path("search/", directory_views.search, name="search"),
    path("accounts/", include("directory.accounts.urls")),
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
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
