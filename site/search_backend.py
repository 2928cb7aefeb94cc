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
"""

from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks for in a backend module
    backend = database_backend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        from steward.search_sqlite import RankedSQLiteSearchBackend

        return RankedSQLiteSearchBackend(params)
    if type(backend).__name__ == "PostgresSearchBackend":
        from steward.search_postgres import PrefilteredPostgresSearchBackend

        return PrefilteredPostgresSearchBackend(params)
    return backend
