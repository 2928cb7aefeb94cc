"""Import an HSDS package into the directory: `import_package(path) -> ImportReport`.

Three steps. Reading (readers.py) finds the tables and gives them HSDS 3.0
names. Planning (plan.py, with mapping.py for single rows) turns rows into our
objects' values and reports what it skips. Writing (writer.py) saves one
organization per transaction and publishes what changed.
"""

import time

from django.utils import timezone

from directory.maintenance import refresh_planner_statistics
from directory.pagecache import invalidate_all_listings

from . import cleaning
from .plan import Plan
from .readers import read_package
from .report import ImportReport
from .unchanged import count_placeholder, remember_units, skip_unchanged
from .writer import Writer


def import_package(path, *, source=None, now=None, stdout=None):
    """Import the package at `path`; never raises on bad rows (see the report).

    Raises readers.PackageError when `path` is not a package at all.
    """
    started = time.monotonic()
    package = read_package(path)
    report = ImportReport(source=source or package.name, path=str(path))
    now = now or timezone.now()
    # Units whose source rows are as last time are left out before planning.
    package, hashes, skipped = skip_unchanged(package, report.source, report)
    plan = Plan(package, report, today=timezone.localdate(now))
    with cleaning.counting(report.cleaned):
        plan.build()
    writer = Writer(plan, report, now=now)
    writer.write(progress=_progress(stdout))
    remember_units(hashes, plan, writer, skipped, report)
    count_placeholder(hashes, writer, report)
    if report.changed:
        # Bulk writes send no publish signals: every public page is out of date.
        invalidate_all_listings()
        # Fresh statistics, or SQLite's planner mis-joins the search index (see maintenance).
        refresh_planner_statistics()
    report.seconds = time.monotonic() - started
    return report


def _progress(stdout):
    isatty = getattr(stdout, "isatty", None)
    if stdout is None or not callable(isatty) or not isatty():
        return lambda items, **kw: items
    from tqdm import tqdm

    return lambda items, **kw: tqdm(items, unit="org", **kw)
