"""The SQLite half of steward.search_backend (imported only on SQLite: the FTS5
index model it uses exists only there)."""

from django.db.models import Case, IntegerField, Value, When

from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks


class RankedSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
    def _ranks_apply(self, score_field):
        query = normalize(self.query)
        plain = not isinstance(query, (MatchAll, Not))
        return plain and self.order_by_relevance and score_field is None

    def _unranked(self, config):
        """The stock compiler's matching rows, filtered, without relevance ordering."""
        self.order_by_relevance = False
        try:
            return super().search(config, None, None)
        finally:
            self.order_by_relevance = True

    def _scores(self, config):
        """{object pk: bm25 score} for every match, in one FTS query (lower is better)."""
        search_query = self.build_search_query(normalize(self.query), config=config)
        rank = self._build_rank_expression(self.get_search_vectors(), config)
        entries = (
            SQLiteFTSIndexEntry.objects.filter(
                MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query)
            )
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model)
            )
            .annotate(score=rank)
            .values_list("index_entry__object_id", "score")
        )
        return {str(object_id): score for object_id, score in entries}

    def search(self, config, start, stop, score_field=None):
        if not self._ranks_apply(score_field):
            return super().search(config, start, stop, score_field=score_field)
        unranked = self._unranked(config)
        scores = self._scores(config)
        pks = list(unranked.values_list("pk", flat=True))
        pks.sort(key=lambda pk: (scores.get(str(pk), 0.0), -pk))
        page = pks[start or 0 : stop]
        if not page:
            return unranked.none()
        position = Case(
            *(When(pk=pk, then=Value(i)) for i, pk in enumerate(page)),
            output_field=IntegerField(),
        )
        return unranked.filter(pk__in=page).order_by(position)

    def count(self, config):
        return self._unranked(config).count()


class RankedSQLiteSearchResults(SQLiteSearchResults):
    def _do_count(self):
        compiler = self.query_compiler
        if isinstance(compiler, RankedSQLiteSearchQueryCompiler) and compiler._ranks_apply(
            self._score_field
        ):
            return compiler.count(compiler.get_config(self.backend))
        return super()._do_count()


class RankedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = RankedSQLiteSearchQueryCompiler
    results_class = RankedSQLiteSearchResults
