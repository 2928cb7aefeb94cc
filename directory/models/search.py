"""The public search document: one row per service, written whenever the search
backend indexes a service (steward.search_backend calls directory.search_index).

On PostgreSQL `vector` is a stored tsvector with a GIN index (created by the
migration, PostgreSQL only): English text through the `english` configuration,
Spanish text (Spanish category names, Spanish listing fields) through the
`spanish` one, weighted title A, categories and organization B, text C. Public
search matches `vector @@ query` on that index and nothing else.

On SQLite the same columns are copied into an FTS5 table with the porter
tokenizer (`directory_searchdocument_fts`, created by the migration).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    service = models.OneToOneField(
        "directory.ServicePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    title = models.TextField(blank=True)
    # Category names (English and Spanish) and the organization's name.
    categories = models.TextField(blank=True)
    categories_es = models.TextField(blank=True)
    body = models.TextField(blank=True)
    body_es = models.TextField(blank=True)
    # "|title|category|categoría|...|", normalised (directory.synonyms.normalize):
    # what an exact title or category match is tested on.
    exact = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "search document"


class SearchWord(models.Model):
    """Every word the documents hold (PostgreSQL: trigram-indexed), so that a
    misspelt query word can be replaced by the nearest real one."""

    word = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "search word"


class OpenInterval(models.Model):
    """The weekly open hours of each service, as the open-now search filter reads
    them (directory.open_intervals keeps them; ServiceQuerySet.open_now queries
    them): one row per stretch of a local weekday on which the service is open,
    from its effective hours (its own rows, else its places'), in the row's own
    time zone. A stretch past midnight is two rows, one on each day.

    A service whose hours have dated exceptions or weekly rows limited to some
    dates has one row with `by_rule` set instead: open-now judges it with the
    full rule in SQL (ServiceQuerySet.open_now), which is few services.
    """

    service = models.ForeignKey(
        "directory.ServicePage", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    zone = models.CharField(max_length=64, blank=True)
    # ISO weekday (1 = Monday) and seconds since local midnight, [starts, ends).
    weekday = models.PositiveSmallIntegerField(default=0)
    starts = models.PositiveIntegerField(default=0)
    ends = models.PositiveIntegerField(default=0)
    by_rule = models.BooleanField(default=False)

    class Meta:
        verbose_name = "open interval"
        indexes = [
            models.Index(fields=["service", "weekday", "starts"], name="directory_openint_service"),
            models.Index(fields=["zone", "weekday", "starts"], name="directory_openint_when"),
            models.Index(
                fields=["service"],
                condition=models.Q(by_rule=True),
                name="directory_openint_by_rule",
            ),
        ]
