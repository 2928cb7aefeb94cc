"""What an import did: counts per kind, and every skipped row and warning with the
file and row it came from."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

KINDS = ("organization", "location", "service", "phone", "schedule", "taxonomy_term")
OUTCOMES = ("created", "updated", "unchanged", "skipped")


@dataclass(frozen=True)
class Issue:
    file: str
    row: object
    reason: str
    kind: str = ""

    def __str__(self):
        where = f"{self.file} row {self.row}" if self.row not in (None, "") else self.file
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    source: str = ""
    path: str = ""
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    placeholder_organization: str = ""
    services_under_placeholder: int = 0
    locations_under_placeholder: int = 0
    approximate_coordinates: int = 0
    failed_organizations: list = field(default_factory=list)
    cleaned: Counter = field(default_factory=Counter)
    repeated_ids: dict = field(default_factory=dict)
    seconds: float = 0.0
    # (issue, the row it is about): which source unit an issue belongs to, so that
    # a re-import that leaves the unit out still reports it (unchanged.py).
    origins: list = field(default_factory=list, repr=False)

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def skip(self, kind, row, reason):
        issue = Issue(_file(row), _row(row), reason, kind)
        self.skipped.append(issue)
        self.origins.append((issue, row))
        self.count(kind, "skipped")

    def warn(self, kind, row, reason):
        issue = Issue(_file(row), _row(row), reason, kind)
        self.warnings.append(issue)
        self.origins.append((issue, row))

    @property
    def imported(self):
        """Anything landed or was already there: an import that only found its
        data unchanged still succeeded."""
        return any(
            c["created"] + c["updated"] + c["unchanged"]
            for kind, c in self.counts.items()
            if kind in ("organization", "location", "service")
        )

    @property
    def changed(self):
        """Anything was created or updated (an unchanged re-import changes nothing)."""
        return any(c["created"] + c["updated"] for c in self.counts.values())

    def skipped_reasons(self, kind=None):
        return Counter(i.reason for i in self.skipped if kind is None or i.kind == kind)

    def summary_lines(self):
        lines = [f"Imported {self.path} as source “{self.source}” in {self.seconds:.1f} s."]
        others = sorted(k for k in self.counts if k not in KINDS)
        width = max(len(k) for k in (*KINDS, *others))
        for kind in (*KINDS, *others):
            c = self.counts.get(kind, Counter())
            if not any(c[o] for o in OUTCOMES):
                continue
            parts = ", ".join(f"{c[o]} {o}" for o in OUTCOMES)
            lines.append(f"  {kind.ljust(width)}  {parts}")
        if self.placeholder_organization:
            lines.append(
                f"  {self.services_under_placeholder} services and "
                f"{self.locations_under_placeholder} locations whose organization is not in "
                f"the package are under “{self.placeholder_organization}” (needs details)."
            )
        if self.approximate_coordinates:
            lines.append(
                f"  {self.approximate_coordinates} locations placed at their ZIP code's centre "
                "(marked approximate)."
            )
        if self.cleaned:
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.cleaned.items()))
            lines.append(f"  Cleaned values: {kinds} (the source's raw rows are kept).")
        if self.skipped:
            reasons = Counter(f"{i.kind or 'row'}: {_reason_kind(i.reason)}" for i in self.skipped)
            lines.append("  Skipped, by kind and reason:")
            lines.extend(f"    {n} {reason}" for reason, n in reasons.most_common(20))
        lines.extend(f"  Note: {note}" for note in self.notes)
        return lines


def _reason_kind(reason):
    """The reason without the ids and values that make each one unique."""
    reason = re.sub(r"“[^”]*”", "“…”", reason)
    return re.sub(r"\b\d[\w-]*", "N", reason)


def _file(row):
    return (row or {}).get("_file", "") if isinstance(row, dict) else ""


def _row(row):
    return (row or {}).get("_row", "") if isinstance(row, dict) else ""
