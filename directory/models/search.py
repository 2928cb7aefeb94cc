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
