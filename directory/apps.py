from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self):
        from wagtail.signals import page_published

        from directory.publishing import after_publish

        page_published.connect(after_publish, dispatch_uid="steward-after-publish")

        from django.db.models.signals import m2m_changed

        from directory.models import ServicePage
        from directory.search_index import categories_changed

        # A page's categories are written after the page itself (modelcluster
        # commits them once the row is saved, after the search backend indexed it),
        # so the search document is rewritten when they change.
        m2m_changed.connect(
            categories_changed,
            sender=ServicePage.categories.through,
            dispatch_uid="steward-search-categories",
        )
