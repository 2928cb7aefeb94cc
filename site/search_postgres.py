"""The PostgreSQL half of steward.search_backend.

Wagtail's PostgreSQL compiler matches `title || body` against the query. The
index entries have GIN indexes on `title` and on `body`, but none on their
concatenation, so every search reads every listing's vectors. Here a plain-words
search first narrows the candidates with those two indexes, to the entries that
contain at least one of the words in the title or the body (a superset of the
matches: a listing matches only if each word is in one of them). The stock
compiler then matches, ranks and orders exactly as before, on far fewer rows.
"""

from django.db.models import IntegerField, Q
from django.db.models.functions import Cast

from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.query import PlainText
from modelsearch.utils import get_descendants_content_types_pks


class PrefilteredPostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
    def _candidates(self, config):
        any_word = self.build_tsquery(
            PlainText(self.query.query_string, operator="or"), config=config
        )
        if any_word is None:
            return None
        entries = IndexEntry.objects.filter(
            Q(title=any_word) | Q(body=any_word),
            content_type__in=get_descendants_content_types_pks(self.queryset.model),
        )
        return entries.annotate(object_pk=Cast("object_id", IntegerField())).values("object_pk")

    def search(self, config, start, stop, score_field=None, backend=None):
        candidates = None
        if isinstance(self.query, PlainText) and self.fields is None:
            candidates = self._candidates(config)
        if candidates is None:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        # search() runs once for the count and once per page: narrow a copy.
        source = self.queryset
        self.queryset = source.filter(pk__in=candidates)
        try:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        finally:
            self.queryset = source


class PrefilteredPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = PrefilteredPostgresSearchQueryCompiler
