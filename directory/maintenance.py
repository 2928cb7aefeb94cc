"""Database upkeep that the application itself must do."""

from django.db import connections


def refresh_planner_statistics(using="default"):
    """Run ANALYZE so the query planner knows the tables' sizes.

    On SQLite this decides whether a search is 3 ms or 300 ms: without statistics
    the planner drives the full-text join from the index-entry table and re-runs
    the FTS5 MATCH once per row. PostgreSQL's autovacuum analyzes eventually; after
    a bulk load (an import, synthetic listings) it is worth doing at once.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
