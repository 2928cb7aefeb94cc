from django.apps import AppConfig


def _page_changed(sender, instance, **kwargs):
    from directory.pagecache import page_changed

    page_changed(instance)


def _pages_changed(sender, pages, **kwargs):
    """New pages published in one batch (an import): their parents, searches and
    the home page all change; one new generation for the directory, as a move."""
    from directory.pagecache import invalidate_all_listings

    if pages:
        invalidate_all_listings()


def _tree_changed(sender, **kwargs):
    from directory.pagecache import invalidate_all_listings

    invalidate_all_listings()


def _location_changed(sender, instance, **kwargs):
    from directory.pagecache import invalidate_location

    invalidate_location(instance)


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from directory import open_intervals
        from directory.models import Location, ServicePage, TaxonomyTerm
        from directory.publishing import after_bulk_publish, after_publish, pages_published_in_bulk
        from directory.search_index import (
            categories_changed,
            category_names_before,
            category_saved,
        )

        page_published.connect(after_publish, dispatch_uid="steward-after-publish")
        # The page cache (directory/pagecache.py): what a change alters is
        # invalidated; review's verbs connect in review/cache_hooks.py.
        page_published.connect(_page_changed, dispatch_uid="steward-pagecache-published")
        # Pages created and published in bulk (an import) send one batch signal.
        pages_published_in_bulk.connect(after_bulk_publish, dispatch_uid="steward-after-bulk")
        pages_published_in_bulk.connect(_pages_changed, dispatch_uid="steward-pagecache-bulk")
        page_unpublished.connect(_page_changed, dispatch_uid="steward-pagecache-unpublished")
        post_delete.connect(_page_changed, sender=Page, dispatch_uid="steward-pagecache-deleted")
        post_page_move.connect(_tree_changed, dispatch_uid="steward-pagecache-moved")
        post_save.connect(_location_changed, sender=Location, dispatch_uid="steward-pagecache-loc")
        post_delete.connect(
            _location_changed, sender=Location, dispatch_uid="steward-pagecache-loc-deleted"
        )
        # A renamed or moved category rewrites its services' search documents.
        pre_save.connect(
            category_names_before, sender=TaxonomyTerm, dispatch_uid="steward-search-term-pre"
        )
        post_save.connect(category_saved, sender=TaxonomyTerm, dispatch_uid="steward-search-term")
        # The open-now index follows every change of hours, places and links.
        open_intervals.connect()
        # A page's categories are written after the page itself (modelcluster
        # commits them once the row is saved, after the search backend indexed it),
        # so the search document is rewritten when they change.
        m2m_changed.connect(
            categories_changed,
            sender=ServicePage.categories.through,
            dispatch_uid="steward-search-categories",
        )
