"""The default category tree, derived from Open Eligibility and shipped with Steward."""

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
