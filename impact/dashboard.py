"""The impact figures: found → contacted → utilized, by group, with suppression.

Every figure comes from aggregates: DailyCount (views and contact actions per
listing per day) and Outcome rows counted per listing. A fixed number of queries
whatever the number of listings: two aggregate queries, plus one or two to map
listings to their groups.

Suppression (DESIGN.md §5): a group with fewer than MIN_REPORTS outcome reports
is never shown, anywhere. And when the hidden groups of a breakdown hold
between 1 and MIN_REPORTS - 1 reports together, the smallest shown group is
hidden too, so that "overall minus the groups shown" never reveals a small group.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from directory.models import ServiceAtLocation, ServicePage, TaxonomyTerm
from impact.models import DailyCount, Outcome, Result
from impact.stats import wilson_interval

MIN_REPORTS = 5
BREAKDOWNS = {
    "category": "Category",
    "organization": "Organization",
    "city": "City",
    "zip": "ZIP code",
    "month": "Month",
}


@dataclass
class Figures:
    key: str
    label: str
    found: int = 0
    contacted: int = 0
    got_help: int = 0
    could_not: int = 0
    did_not_try: int = 0
    contacts: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    suppressed: bool = False

    @property
    def utilized(self):
        return self.got_help

    @property
    def reports(self):
        return self.got_help + self.could_not + self.did_not_try

    @property
    def judged(self):
        return self.got_help + self.could_not

    @property
    def success_rate(self):
        return self.got_help / self.judged if self.judged else None

    @property
    def interval(self):
        return wilson_interval(self.got_help, self.judged)

    def add(self, other_counts, other_results):
        for kind, n in other_counts.items():
            if kind == "view":
                self.found += n
            else:
                self.contacted += n
                self.contacts[kind] = self.contacts.get(kind, 0) + n
        self.got_help += other_results.get(Result.GOT_HELP, 0)
        self.could_not += other_results.get(Result.COULD_NOT, 0)
        self.did_not_try += other_results.get(Result.DID_NOT_TRY, 0)


@dataclass
class Report:
    start: dt.date
    end: dt.date
    by: str
    overall: Figures
    groups: list  # shown groups, largest first
    hidden: int  # how many groups were suppressed


def default_period(today=None):
    today = today or timezone.localdate()
    return today - dt.timedelta(days=364), today


def _aware_bounds(start, end):
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


def _counts(start, end):
    return DailyCount.objects.filter(date__gte=start, date__lte=end)


def _outcomes(start, end):
    low, high = _aware_bounds(start, end)
    return Outcome.objects.filter(created_at__gte=low, created_at__lt=high)


def per_service(start, end):
    """({service: {kind: n}}, {service: {result: n}}): two aggregate queries."""
    counts = defaultdict(dict)
    for row in _counts(start, end).values("page_id", "kind").annotate(n=Sum("count")):
        counts[row["page_id"]][row["kind"]] = row["n"]
    results = defaultdict(dict)
    for row in _outcomes(start, end).values("service_id", "result").annotate(n=Count("id")):
        results[row["service_id"]][row["result"]] = row["n"]
    return counts, results


def _services_with_data(start, end):
    return Q(pk__in=_counts(start, end).values("page_id")) | Q(
        pk__in=_outcomes(start, end).values("service_id")
    )


def groups_of(by, start, end):
    """{service pk: [(group key, label), ...]} for the services with data."""
    services = ServicePage.objects.filter(_services_with_data(start, end))
    mapping = defaultdict(list)
    if by == "organization":
        from directory.members import organizations_by_path
        from directory.models import OrganizationPage

        paths = dict(services.values_list("pk", "path"))
        parents = organizations_by_path(
            paths.values(), OrganizationPage.objects.values("pk", "path", "title")
        )
        for pk, path in paths.items():
            parent = parents.get(path)
            if parent:
                mapping[pk].append((f"org-{parent['pk']}", parent["title"]))
    elif by == "category":
        roots = {
            term.tree_path: term.name for term in TaxonomyTerm.objects.filter(parent__isnull=True)
        }
        through = ServicePage.categories.through
        links = through.objects.filter(servicepage__in=services).values_list(
            "servicepage_id", "taxonomyterm__tree_path"
        )
        seen = set()
        for pk, tree_path in links:
            root = tree_path.split("/", 1)[0] + "/"
            if (pk, root) in seen or root not in roots:
                continue
            seen.add((pk, root))
            mapping[pk].append((f"cat-{root[:-1]}", roots[root]))
    elif by in ("city", "zip"):
        rows = (
            ServiceAtLocation.objects.filter(service__in=services)
            .order_by("service_id", "sort_order", "pk")
            .values_list(
                "service_id",
                "location__city",
                "location__state_province",
                "location__postal_code",
                "location__address_is_public",
            )
        )
        for pk, city, state, postal_code, public in rows:
            if pk in mapping:
                continue  # a service's area is its first location's
            if not public:
                mapping[pk].append(("confidential", "Confidential locations"))
            elif by == "city" and city:
                label = f"{city}, {state}" if state else city
                mapping[pk].append((f"city-{label.lower()}", label))
            elif by == "zip" and postal_code:
                mapping[pk].append((f"zip-{postal_code[:5]}", postal_code[:5]))
    else:
        raise ValueError(f"Unknown breakdown {by!r}")
    return mapping


NO_GROUP = {
    "organization": "No organization",
    "category": "No category",
    "city": "No location",
    "zip": "No location",
}


def _by_month(start, end):
    figures = {}

    def month_figures(month):
        key = month.strftime("%Y-%m")
        if key not in figures:
            figures[key] = Figures(key=key, label=month.strftime("%b %Y"))
        return figures[key]

    for row in (
        _counts(start, end).annotate(month=TruncMonth("date")).values("month", "kind")
    ).annotate(n=Sum("count")):
        month_figures(row["month"]).add({row["kind"]: row["n"]}, {})
    for row in (
        _outcomes(start, end)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "result")
        .annotate(n=Count("id"))
    ):
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        month_figures(month).add({}, {row["result"]: row["n"]})
    return sorted(figures.values(), key=lambda f: f.key)


def suppress(groups, *, minimum=MIN_REPORTS):
    """Mark groups to hide: the small ones, then (complementary suppression) the
    smallest shown ones while the hidden total is between 1 and minimum - 1."""
    for group in groups:
        group.suppressed = group.reports < minimum
    while True:
        hidden_total = sum(g.reports for g in groups if g.suppressed)
        shown = [g for g in groups if not g.suppressed]
        if not (0 < hidden_total < minimum) or not shown:
            break
        min(shown, key=lambda g: (g.reports, g.key)).suppressed = True
    return groups


def impact_report(*, by="organization", start=None, end=None):
    if start is None or end is None:
        start, end = default_period()
    counts, results = per_service(start, end)
    overall = Figures(key="all", label="All listings")
    for pk in set(counts) | set(results):
        overall.add(counts.get(pk, {}), results.get(pk, {}))
    overall.suppressed = overall.reports < MIN_REPORTS

    if by == "month":
        groups = _by_month(start, end)
    else:
        mapping = groups_of(by, start, end)
        by_key = {}
        for pk in set(counts) | set(results):
            for key, label in mapping.get(pk) or [("none", NO_GROUP[by])]:
                figures = by_key.get(key)
                if figures is None:
                    figures = by_key[key] = Figures(key=key, label=label)
                figures.add(counts.get(pk, {}), results.get(pk, {}))
        groups = list(by_key.values())
    suppress(groups)
    shown = sorted(
        (g for g in groups if not g.suppressed),
        key=(lambda g: g.key) if by == "month" else (lambda g: (-g.reports, g.label)),
    )
    return Report(
        start=start,
        end=end,
        by=by,
        overall=overall,
        groups=shown,
        hidden=sum(1 for g in groups if g.suppressed),
    )
