"""Categories an import brings or refers to.

Terms are matched to ours by source id (SourceRecord), then by code within the
same taxonomy (Open Eligibility codes such as "101-01" land on the shipped
tree), and created otherwise. A taxonomy named by the package is created when
we do not have it. Terms we did not create (the shipped tree) are never edited
by an import.
"""

import functools
import json
import re
import uuid
from pathlib import Path

from directory.models import SourceRecord, Taxonomy, TaxonomyTerm

from . import mapping, values
from .readers import OPEN_ELIGIBILITY


def _id(row, name="id"):
    return values.one_line(row.get(name), 255)


class TaxonomyImport:
    def __init__(self, package, report):
        self.package, self.report = package, report
        self.source = report.source
        self.terms = {}
        self.by_ref = {}

    def prepare(self):
        names = {
            _id(r): values.one_line(r.get("name"))
            for r in self.package.rows("taxonomies")
            if _id(r)
        }
        seen = set()
        for row in self.package.rows("taxonomy_terms"):
            key = _id(row)
            name = values.one_line(row.get("name"))
            if not key or key in seen:
                continue
            seen.add(key)
            if not name:
                self.report.skip("taxonomy_term", row, "category has no name")
                continue
            taxonomy = (
                names.get(_id(row, "taxonomy_id"))
                or values.one_line(row.get("taxonomy"))
                or f"{self.source} categories"
            )
            self.terms[key] = {
                "key": key,
                "row": row,
                "taxonomy": _taxonomy_name(taxonomy),
                "code": values.one_line(row.get("code"), 64),
                "name": name,
                "description": values.text(row.get("description")),
                "parent": _id(row, "parent_id"),
            }
        self._load_existing()
        # HSDS 1.x/2.x taxonomy tables have no code column; their ids often are
        # the codes (Open Eligibility "101-01").
        for key, spec in self.terms.items():
            if not spec["code"] and (spec["taxonomy"].lower(), key) in self.existing:
                spec["code"] = key
        self.by_code = {
            (t["taxonomy"].lower(), t["code"]): k for k, t in self.terms.items() if t["code"]
        }

    def _load_existing(self):
        wanted = {t["taxonomy"].lower() for t in self.terms.values()} | {OPEN_ELIGIBILITY.lower()}
        self.existing = {}
        for term in TaxonomyTerm.objects.select_related("taxonomy").filter(
            taxonomy__name__in=_spellings(wanted)
        ):
            self.existing[(term.taxonomy.name.lower(), term.code)] = term

    def term_ref(self, row):
        """A stable reference to a category, or None when we cannot find it."""
        term_id = _id(row, "taxonomy_term_id")
        if term_id and term_id in self.terms:
            return f"id:{term_id}"
        code = _id(row, "code") or term_id
        taxonomy = _taxonomy_name(values.one_line(row.get("taxonomy")) or OPEN_ELIGIBILITY)
        key = self.by_code.get((taxonomy.lower(), code))
        if code and key:
            return f"id:{key}"
        if code and (taxonomy.lower(), code) in self.existing:
            return f"code:{taxonomy.lower()}:{code}"
        return None

    def write(self, records):
        """Create or update the package's terms; called inside a transaction."""
        taxonomies = {}
        for spec in self.terms.values():
            name = spec["taxonomy"]
            if name not in taxonomies:
                taxonomies[name] = Taxonomy.objects.filter(
                    name__iexact=name
                ).first() or Taxonomy.objects.create(name=name)
        by_uuid = {}
        record_uuids = [
            r.object_uuid
            for (k, key), r in records.items()
            if k == "taxonomy_term" and key in self.terms
        ]
        for term in TaxonomyTerm.objects.filter(uuid__in=record_uuids):
            by_uuid[term.uuid] = term
        saved = {}
        for key, spec in self.terms.items():
            saved[key] = self._write_term(spec, taxonomies[spec["taxonomy"]], records, by_uuid)
        self._link_parents(saved, records)
        for key, (term, _) in saved.items():
            self.by_ref[f"id:{key}"] = term
        for (taxonomy, code), term in self.existing.items():
            self.by_ref[f"code:{taxonomy}:{code}"] = term

    def _write_term(self, spec, taxonomy, records, by_uuid):
        record = records.get(("taxonomy_term", spec["key"]))
        term = by_uuid.get(record.object_uuid) if record else None
        ours = term is not None and record.digest != "matched"
        if term is None and spec["code"]:
            term = self.existing.get((taxonomy.name.lower(), spec["code"]))
            ours = False
        if term is None:
            uid = values.as_uuid(spec["key"]) or uuid.uuid4()
            if TaxonomyTerm.objects.filter(uuid=uid).exists():
                uid = uuid.uuid4()
            term = TaxonomyTerm(uuid=uid, taxonomy=taxonomy, code=spec["code"], name=spec["name"])
            term.description = spec["description"]
            term.save()
            self.existing[(taxonomy.name.lower(), spec["code"])] = term
            self.report.count("taxonomy_term", "created")
            outcome = "created"
        elif ours and (term.name, term.description) != (spec["name"], spec["description"]):
            term.name, term.description = spec["name"], spec["description"]
            term.save()
            self.report.count("taxonomy_term", "updated")
            outcome = "updated"
        else:
            self.report.count("taxonomy_term", "unchanged")
            outcome = "unchanged" if ours else "matched"
        digest = "matched" if outcome == "matched" else mapping.digest(spec["name"])
        if record is None:
            record = SourceRecord(
                source=self.source,
                kind="taxonomy_term",
                source_id=spec["key"],
                object_uuid=term.uuid,
            )
        if record.pk is None or record.digest != digest or record.object_uuid != term.uuid:
            record.object_uuid, record.digest = term.uuid, digest
            record.source_file = str(spec["row"].get("_file", ""))
            record.save()
            records[("taxonomy_term", spec["key"])] = record
        return term, outcome != "matched"

    def _link_parents(self, saved, records):
        """Set parents on the terms we own, roots first so tree paths are right."""
        for key in sorted(saved, key=lambda k: self._depth(k)):
            term, ours = saved[key]
            if not ours:
                continue
            parent_key = self.terms[key]["parent"]
            parent = saved.get(parent_key, (None, None))[0] if parent_key else None
            if parent_key and parent is None:
                self.report.warn(
                    "taxonomy_term",
                    self.terms[key]["row"],
                    f"parent {parent_key} is not in the package; kept at the top level",
                )
            if parent is not None and parent.taxonomy_id != term.taxonomy_id:
                parent = None
            if term.parent_id != (parent.pk if parent else None):
                term.parent = parent
                term.save()

    def _depth(self, key, limit=32):
        depth = 0
        while key in self.terms and self.terms[key]["parent"] and depth < limit:
            key = self.terms[key]["parent"]
            depth += 1
        return depth

    def terms_by_ref(self):
        return self.by_ref


def _taxonomy_name(name):
    squashed = name.lower().replace("_", " ").replace("-", " ")
    if squashed in ("open eligibility", "openeligibility", "oe"):
        return OPEN_ELIGIBILITY
    return name


def _spellings(lowered):
    names = set(Taxonomy.objects.values_list("name", flat=True))
    return [n for n in names if n.lower() in lowered]


# --- crosswalk: 211 / AIRS codes and term names onto our browse categories ------

CROSSWALK_PATH = Path(__file__).parents[1] / "data" / "airs-crosswalk.json"


@functools.cache
def _crosswalk():
    data = json.loads(CROSSWALK_PATH.read_text(encoding="utf-8"))
    codes = sorted(
        ((prefix.upper(), tuple(target.split())) for prefix, target in data["codes"]),
        key=lambda item: -len(item[0]),
    )
    names = [
        (re.compile(rf"\b(?:{pattern})\b", re.I), tuple(target.split()))
        for pattern, target in data["names"]
    ]
    return codes, names


def browse_codes(code="", name=""):
    """Our browse categories (Open Eligibility top-level codes) for a 211 / AIRS term:
    by its code's longest known prefix, else by words in its name."""
    codes, names = _crosswalk()
    code = (code or "").strip().upper()
    if code:
        for prefix, targets in codes:
            if code.startswith(prefix):
                return set(targets)
    found = set()
    for pattern, targets in names:
        if name and pattern.search(name):
            found.update(targets)
    return found


def browse_ref(code):
    return f"code:{OPEN_ELIGIBILITY.lower()}:{code}"


@functools.cache
def _names():
    data = json.loads(CROSSWALK_PATH.read_text(encoding="utf-8"))
    return data["categories"], data.get("sections", {})


def term_name(code):
    """A readable name for a 211 / AIRS term a file carries as a bare code: the
    browse categories its code maps to, else its taxonomy section, with the code
    ("Health (LT-1800)"), so no bare code is shown to the public."""
    code = (code or "").strip()
    categories, sections = _names()
    words = [categories[c] for c in sorted(browse_codes(code)) if c in categories]
    if not words and code[:1].upper() in sections:
        words = [sections[code[:1].upper()]]
    return f"{' and '.join(words)} ({code})" if words else code
