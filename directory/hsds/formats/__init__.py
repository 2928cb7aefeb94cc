"""Formats other than HSDS that `import_hsds` reads, recognised by their content.

Each reader turns its format into the canonical HSDS 3.0 tables of a
`readers.Package` (services, organizations, locations, service_at_location,
phones, addresses, languages, service_areas, taxonomy_terms, service_taxonomy),
each row with `_file` and `_row`, so planning and writing are shared by all.

A format is one entry of FORMATS: `claims(name, head)` looks at a file's name and
first bytes and says whether it is that format (never by the name alone); `read`
builds the package from the claimed files. HSDS itself is the fallback in
readers.read_package.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import airs, icarol, ohana_json

HEAD_BYTES = 8192
SUFFIXES = (".csv", ".xml", ".json", ".ndjson", ".jsonl")


@dataclass(frozen=True)
class Format:
    name: str
    claims: Callable[[str, bytes], bool]
    read: Callable  # (package, [(name, read_bytes)]) -> None


FORMATS = (
    Format("AIRS XML 3.0 (iCarol XML export)", airs.claims, airs.read),
    Format("iCarol CSV resources export", icarol.claims, icarol.read),
    Format("Ohana API JSON (array or one object per line)", ohana_json.claims, ohana_json.read),
)
HSDS_FORMATS = (
    "HSDS 1.x–3.x CSV tables (a folder or .zip, with or without datapackage.json)",
    "Ohana API CSV export (a folder)",
    "HSDS 3.0 JSON",
)


def known_formats():
    """The formats we read, for messages."""
    return "; ".join((*HSDS_FORMATS, *(f.name for f in FORMATS)))


def detect(path):
    """(format, [(name, read_bytes)]) for the first format that claims the files at
    `path` (a file or a folder), or None."""
    path = Path(path)
    if path.is_dir():
        files = [
            (str(p.relative_to(path)), p.read_bytes)
            for p in sorted(path.rglob("*"))
            if p.is_file() and p.suffix.lower() in SUFFIXES
        ]
    elif path.is_file():
        files = [(path.name, path.read_bytes)]
    else:
        return None
    heads = {name: _head(path if path.is_file() else path / name) for name, _ in files}
    for fmt in FORMATS:
        claimed = [(n, r) for n, r in files if fmt.claims(n, heads[n])]
        if claimed:
            return fmt, claimed
    return None


def _head(path):
    with open(path, "rb") as handle:
        return handle.read(HEAD_BYTES)
