"""Wagtail's database search backend, with relevance ranking that scales on SQLite.

Configured as `WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "steward.search_backend"`.
On PostgreSQL, plain-word searches are first narrowed with the index entries' GIN
indexes (see steward/search_postgres.py); elsewhere this is exactly Wagtail's
database backend.

On SQLite, the stock query compiler orders by relevance through a correlated
subquery that re-runs the FTS5 MATCH once for every matching row: a common word
("food") over 10,000 listings costs about 1,600 MATCH queries and 0.6 s. Here the
scores of all matches come from one MATCH query, the filtered candidates from one
indexed query, and the requested page is ordered by score (best first, then
newest, as the stock compiler does). Matching, filtering and scores are the stock
compiler's own; only the way they are combined differs.


Every index write also writes the public search document of the services
written (directory.search_index: the stored, indexed document that public search
matches), so a publish, `update_index`, an import or the generator keeps both in
step.
"""

from modelsearch.backends.database import SearchBackend as database_backend


class SearchDocumentIndexMixin:
    """Wagtail's index, plus directory.search_index's documents for services."""

    def add_items(self, model, items):
        super().add_items(model, items)
        from directory.models import ServicePage
        from directory.search_index import index_services

        if issubclass(model, ServicePage):
            index_services(list(items))

    def delete_item(self, item):
        super().delete_item(item)
        from directory.models import ServicePage
        from directory.search_index import remove_services

        if isinstance(item, ServicePage):
            remove_services([item.pk])

    def reset(self):
        super().reset()
        from directory.search_index import clear_documents

        clear_documents()


def _with_documents(backend):
    base = backend.index_class
    backend.index_class = type(f"Documented{base.__name__}", (SearchDocumentIndexMixin, base), {})
    return backend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks for in a backend module
    backend = database_backend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        from steward.search_sqlite import RankedSQLiteSearchBackend

        return _with_documents(RankedSQLiteSearchBackend(params))
    if type(backend).__name__ == "PostgresSearchBackend":
        from steward.search_postgres import PrefilteredPostgresSearchBackend

        return _with_documents(PrefilteredPostgresSearchBackend(params))
    return _with_documents(backend)
