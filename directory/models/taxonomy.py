import uuid

from django.db import models
from django.db.models.functions import Length

from wagtail.search import index

from simple_history.models import HistoricalRecords


class Taxonomy(models.Model):
    """A vocabulary of categories: Open Eligibility (shipped), or one an import brings."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "taxonomies"
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaxonomyTermQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)

    def descendants_of(self, term, *, include_self=True):
        qs = self.filter(tree_path__startswith=term.tree_path)
        return qs if include_self else qs.exclude(pk=term.pk)


class TaxonomyTerm(index.Indexed, models.Model):
    """One category. The tree is an adjacency list plus a materialised path
    (`tree_path`), so "this category and everything under it" is one indexed
    prefix query, however deep the tree."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(max_length=64, blank=True, help_text="The source's code, e.g. 1102.")
    name = models.CharField(max_length=255)
    name_es = models.CharField(
        "Spanish name",
        max_length=255,
        blank=True,
        help_text="Shown to Spanish readers and searched in Spanish; blank shows the name.",
    )
    slug = models.SlugField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    tree_path = models.CharField(max_length=1024, editable=False, db_index=True)

    objects = TaxonomyTermQuerySet.as_manager()
    history = HistoricalRecords()

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["tree_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"],
                condition=~models.Q(code=""),
                name="taxonomy_term_unique_code",
            )
        ]
        indexes = [models.Index(Length("tree_path"), name="taxonomy_term_depth")]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        """The name in the reader's language: the Spanish name for Spanish readers
        when there is one (directory.taxonomy.localized_name), else the name."""
        from directory.taxonomy import localized_name

        return localized_name(self.name, self.name_es)

    @property
    def depth(self):
        return self.tree_path.count("/")

    def save(self, *args, **kwargs):
        from django.utils.text import slugify

        if not self.slug:
            self.slug = slugify(self.name)[:255]
        old_path = self.tree_path
        prefix = self.parent.tree_path if self.parent_id else ""
        self.tree_path = f"{prefix}{self.uuid.hex}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.tree_path:
            # Moved: children carry the old prefix. Re-save them so each recomputes
            # (and each write goes through save(), keeping any history hooks).
            for child in self.children.all():
                child.save()

    def ancestors(self):
        """From the root down to this term's parent."""
        hexes = [h for h in self.tree_path.split("/") if h][:-1]
        by_hex = {t.uuid.hex: t for t in TaxonomyTerm.objects.filter(uuid__in=hexes)}
        return [by_hex[h] for h in hexes if h in by_hex]


class Language(models.Model):
    """A language a service is offered in (ISO 639 code and English name)."""

    code = models.CharField(max_length=16, unique=True, help_text="ISO 639-1 or 639-3, e.g. es.")
    name = models.CharField(max_length=128)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
