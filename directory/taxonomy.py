"""The default category tree, derived from Open Eligibility and shipped with Steward."""

import functools
import json
import uuid
from pathlib import Path

OPEN_ELIGIBILITY_PATH = Path(__file__).parent / "data" / "open-eligibility.json"
OPEN_ELIGIBILITY_NAME = "Open Eligibility"

LEVEL_KEYS = ("top_level", "second_level", "third_level", "fourth_level")


def open_eligibility_terms(path=OPEN_ELIGIBILITY_PATH):
    """Yield (code, name, parent_code) in tree order, parents before children."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))

    def walk(nodes, depth, parent_code):
        for node in nodes:
            code, name = node["@id"].strip(), node["@title"].strip()
            yield code, name, parent_code
            if depth + 1 < len(LEVEL_KEYS):
                yield from walk(node.get(LEVEL_KEYS[depth + 1], []), depth + 1, code)

    yield from walk(data["taxonomy"]["top_level"], 0, None)


def load_open_eligibility(Taxonomy, TaxonomyTerm, path=OPEN_ELIGIBILITY_PATH):
    """Create or update the Open Eligibility tree. Idempotent.

    Takes the model classes so a data migration can pass its historical models
    (which have no custom save()); the tree path is computed here for that reason.
    """
    from django.utils.text import slugify

    taxonomy, _ = Taxonomy.objects.get_or_create(
        name=OPEN_ELIGIBILITY_NAME,
        defaults={
            "uuid": uuid.uuid4(),
            "uri": "https://openreferral.org/",
            "description": "Open Referral's Open Eligibility taxonomy of human services.",
        },
    )
    existing = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
    created = 0
    for code, name, parent_code in open_eligibility_terms(path):
        parent = existing.get(parent_code) if parent_code else None
        term = existing.get(code)
        if term is None:
            term = TaxonomyTerm(taxonomy=taxonomy, code=code, uuid=uuid.uuid4())
            created += 1
        wanted = {
            "name": name,
            "slug": slugify(name)[:255],
            "parent_id": parent.pk if parent else None,
            "tree_path": f"{parent.tree_path if parent else ''}{term.uuid.hex}/",
        }
        # Only what changed is written, so a re-run adds no history rows.
        if term.pk is None or any(getattr(term, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(term, key, value)
            term.save()
        existing[code] = term
    return taxonomy, created


SPANISH_NAMES_PATH = Path(__file__).parent / "data" / "open-eligibility-es.json"


@functools.cache
def spanish_names(path=SPANISH_NAMES_PATH):
    """{English term name: Spanish name} from the shipped file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {en.strip(): es.strip() for en, es in data["names"].items()}


def load_spanish_names(TaxonomyTerm, path=SPANISH_NAMES_PATH):
    """Fill `name_es` of every term whose English name the shipped file knows and
    whose Spanish name is blank (a name a professional wrote is kept). Any
    taxonomy: an import's "Food Pantry" gets "Despensa de alimentos" too.
    Takes the model class so the data migration can pass its historical model.
    Returns how many terms were named."""
    names = spanish_names(path)
    named = 0
    for term in TaxonomyTerm.objects.filter(name_es="", name__in=list(names)):
        term.name_es = names[term.name.strip()]
        term.save(update_fields=["name_es"])
        named += 1
    return named


def localized_name(name, name_es, language=None):
    """The name a reader sees: for a Spanish reader (the active language, or
    `language`) the term's `name_es`, else the shipped Spanish name of its English
    name (so an imported "Food Pantry" reads "Despensa de alimentos"), else `name`.
    The one rule every page, the search form and the search index read."""
    from django.utils.translation import get_language

    language = (language or get_language() or "").lower()
    if language.split("-")[0] == "es":
        return name_es or spanish_names().get((name or "").strip()) or name
    return name
