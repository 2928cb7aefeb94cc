"""Field-level comparison of two versions of a listing, in plain language.

"Main phone changed from (312) 555-0101 to (312) 555-0199", "Saturday hours
added: 9am–1pm", "Location removed: 12 Main St". Each change is also
structured (field key, previous, replacement) for the HSDS `metadata` export.

A version is read from a revision's content JSON (or from an object's
`serializable_data()`, so `compare(rev_a.as_object(), rev_b.as_object())` works
too). Reading the JSON directly costs no query per revision, which keeps long
timelines within a fixed query budget: the names of the locations, categories
and languages a version points at are resolved once for a whole page of
changes, through `Names`.

Values are shown with the directory's own display helpers (PhoneView, the
hours spans of the listing page), so a diff reads as the page does.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext

from modelcluster.models import model_from_serializable_data
from wagtail.models import Page

from directory.models import (
    Language,
    Location,
    LocationPhone,
    LocationSchedule,
    OrganizationPage,
    ServiceAtLocation,
    ServicePage,
    ServicePhone,
    ServiceSchedule,
    ServiceURL,
    TaxonomyTerm,
)
from directory.models.hours import Weekday
from directory.selectors import PhoneView

# The listing page's own wording of hours: "9am–5pm", "5pm–8am (next day)",
# "Dec 25, 2026: closed (Holiday)". Private helpers of the directory's selectors,
# imported rather than copied so the history and the page never disagree.
from directory.selectors import _exception_text as exception_text
from directory.selectors import _span as hours_span

SHORT = 120

# HSDS 3.0 field names where ours differ.
HSDS_NAMES = {
    "title": "name",
    "title_es": "name_es",
    "website": "url",
    "hours": "schedules",
    "slug": "url_slug",
}

# Page fields that are the page's machinery, not the listing's content.
PAGE_FIELDS = {"title", "slug"}
SKIPPED = {
    "uuid",
    # Which English each translation was written against (directory.translations):
    # machinery behind "translation out of date", not text anyone wrote.
    "translation_sources",
    "source_id",
    "id",
    "page_ptr",
    "latest_revision",
    "live_revision",
    "sort_order",
    # Draft-state machinery of revisioned snippets (Location): publishing state,
    # not content.
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "go_live_at",
    "expire_at",
    "expired",
    "locked",
    "locked_at",
    "locked_by",
}
# The fields the public may read changes of, per listing model: an allow-list, so
# an internal field (coordinates, "show the address publicly", workflow and
# import flags, any field added later) stays out of the public history and the
# HSDS metadata export until someone decides it is the public's. Child objects
# (locations, phones, hours) and categories and languages are compared apart.
PUBLIC_FIELDS = {
    ServicePage: {
        "title",
        "alternate_name",
        "description",
        "status",
        "alert",
        "website",
        "email",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "application_process",
        "required_documents",
        "fees_description",
        "wait_time",
        "interpretation_services",
        "accessibility",
        "service_area",
        # The listing in Spanish, the public's like its English.
        "title_es",
        "description_es",
        "eligibility_description_es",
        "application_process_es",
        "required_documents_es",
        "fees_description_es",
    },
    OrganizationPage: {
        "title",
        "alternate_name",
        "description",
        "website",
        "email",
        "legal_status",
        "year_incorporated",
    },
    Location: {
        "name",
        "alternate_name",
        "description",
        "transportation",
        "address_1",
        "address_2",
        "city",
        "state_province",
        "postal_code",
        "country",
        "accessibility",
    },
}
# Fields of a confidential location never shown to the public, before or after.
PRIVATE_ADDRESS_FIELDS = {
    "address_1",
    "address_2",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "transportation",
}


@dataclass(frozen=True)
class Change:
    """One difference. `key` is stable for a field (or child object) of a listing;
    `field_name` is its HSDS name; `previous` / `replacement` are display text
    ("" for nothing)."""

    key: str
    field_name: str
    label: str
    previous: str
    replacement: str

    @property
    def action(self):
        if not self.previous:
            return "added"
        if not self.replacement:
            return "removed"
        return "changed"

    @property
    def text(self):
        short = all(len(v) <= SHORT and "\n" not in v for v in (self.previous, self.replacement))
        words = {"label": self.label, "previous": self.previous, "new": self.replacement}
        if self.action == "added":
            if short:
                return gettext("%(label)s added: %(new)s") % words
            return gettext("%(label)s added") % words
        if self.action == "removed":
            if short:
                return gettext("%(label)s removed: %(previous)s") % words
            return gettext("%(label)s removed") % words
        if short and self.previous != self.replacement:
            return gettext("%(label)s changed from %(previous)s to %(new)s") % words
        return gettext("%(label)s changed") % words

    def __str__(self):
        return self.text


@dataclass
class Version:
    """A listing as one revision held it: plain values, child rows, related ids."""

    model: type
    values: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)  # relation name -> [unsaved instances]
    related: dict = field(default_factory=dict)  # m2m name -> [pk]

    @property
    def confidential(self):
        return self.model is Location and (
            self.values.get("address_is_public") is False
            or self.values.get("possible_confidential") is True
        )


def model_of(obj):
    """ServicePage / OrganizationPage / Location for a page, location or revision."""
    if isinstance(obj, (ServicePage, OrganizationPage, Location)):
        return type(obj)
    content_type = getattr(obj, "content_type", None)
    model = content_type.model_class() if content_type is not None else None
    return model


CHILD_MODELS = {
    ServicePage: {
        "service_at_locations": ServiceAtLocation,
        "phones": ServicePhone,
        "hours": ServiceSchedule,
        "additional_urls": ServiceURL,
    },
    Location: {"phones": LocationPhone, "hours": LocationSchedule},
    OrganizationPage: {},
}
M2M = {ServicePage: ("categories", "languages")}


def compared_fields(model):
    """The concrete fields of a listing that a person edits, in form order."""
    own = []
    for f in model._meta.concrete_fields:
        if f.name in SKIPPED or f.auto_created:
            continue
        if issubclass(model, Page) and f.model is Page and f.name not in PAGE_FIELDS:
            continue
        own.append(f)
    return own


def version(model, content):
    """A Version from a revision's content JSON (or `serializable_data()`)."""
    content = content or {}
    result = Version(model=model)
    for f in compared_fields(model):
        if f.name not in content:
            continue
        raw = content[f.name]
        try:
            result.values[f.name] = f.to_python(raw) if raw is not None else None
        except Exception:  # noqa: BLE001 - an old revision's odd value still shows as text
            result.values[f.name] = raw
    for name, child_model in CHILD_MODELS.get(model, {}).items():
        rows = []
        for data in content.get(name) or []:
            row = model_from_serializable_data(child_model, data, check_fks=False)
            if row is not None:
                rows.append(row)
        result.children[name] = rows
    for name in M2M.get(model, ()):
        result.related[name] = list(content.get(name) or [])
    return result


def version_of(obj):
    """A Version of a revision, or of an object as it stands (e.g. `as_object()`)."""
    if hasattr(obj, "content") and hasattr(obj, "object_id"):
        return version(model_of(obj), obj.content)
    return version(type(obj), obj.serializable_data())


class Names:
    """Display names of the locations, categories and languages that versions point
    at: three queries for any number of versions."""

    def __init__(self, versions=()):
        location_ids, term_ids, language_ids = set(), set(), set()
        for v in versions:
            if v is None:
                continue
            for name in ("service_at_locations", "phones", "hours"):
                for row in v.children.get(name, ()):
                    if getattr(row, "location_id", None):
                        location_ids.add(row.location_id)
            term_ids.update(v.related.get("categories", ()))
            language_ids.update(v.related.get("languages", ()))
        self.locations = (
            {loc.pk: loc for loc in Location.objects.filter(pk__in=location_ids)}
            if location_ids
            else {}
        )
        self.terms = (
            dict(TaxonomyTerm.objects.filter(pk__in=term_ids).values_list("pk", "name"))
            if term_ids
            else {}
        )
        self.languages = (
            dict(Language.objects.filter(pk__in=language_ids).values_list("pk", "name"))
            if language_ids
            else {}
        )

    def location(self, pk):
        """ "Pilsen pantry, 1850 S Blue Island Ave"; only the name for a confidential place."""
        loc = self.locations.get(pk)
        if loc is None:
            return "a location that no longer exists"
        if not loc.is_confidential and loc.address_1:
            return f"{loc.name}, {loc.address_1}"
        return loc.name

    def location_name(self, pk):
        loc = self.locations.get(pk)
        return loc.name if loc else "a removed location"


def compare(old, new, *, names=None, public=False):
    """Changes from `old` to `new` (revisions, objects or Versions; `old` may be None
    for the first version). With `public`, a confidential location's address
    values are never shown."""
    new_v = new if isinstance(new, Version) else version_of(new)
    old_v = old if isinstance(old, Version) or old is None else version_of(old)
    if names is None:
        names = Names([old_v, new_v])
    if old_v is None:
        old_v = Version(model=new_v.model)
    changes = []
    changes += _field_changes(old_v, new_v, public=public)
    if new_v.model is ServicePage:
        changes += _location_changes(old_v, new_v, names)
    several = len(_places(old_v) | _places(new_v)) > 1
    changes += _phone_changes(old_v, new_v, names, several=several)
    changes += _hours_changes(old_v, new_v, names, several=several)
    if new_v.model is ServicePage:
        changes += _url_changes(old_v, new_v)
        changes += _related_changes(old_v, new_v, "categories", "Category", names.terms)
        changes += _related_changes(old_v, new_v, "languages", "Language", names.languages)
    return changes


# --- fields ---------------------------------------------------------------------------


def _label(f):
    if f.name == "title":
        return gettext("Name")
    if f.name == "slug":
        return gettext("Web address")
    text = str(f.verbose_name)
    return text[:1].upper() + text[1:]


def _display(f, value):
    if value is None or value == "":
        return ""
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(f, models.ForeignKey):
        return f"#{value}"
    return str(value).strip()


def _field_changes(old, new, *, public):
    changes = []
    hidden = public and (old.confidential or new.confidential)
    shown = PUBLIC_FIELDS.get(new.model, set()) if public else None
    for f in compared_fields(new.model):
        if f.name not in new.values:
            continue
        if shown is not None and f.name not in shown:
            continue
        before = old.values.get(f.name)
        after = new.values.get(f.name)
        if before == after or (not before and not after and before != 0 and after != 0):
            continue
        previous, replacement = _display(f, before), _display(f, after)
        if isinstance(f, models.ForeignKey):
            previous = "an earlier one" if before else ""
            replacement = "a new one" if after else ""
        if previous == replacement:
            continue
        if hidden and f.name in PRIVATE_ADDRESS_FIELDS:
            previous = "(kept private)" if previous else ""
            replacement = "(kept private)" if replacement else ""
        changes.append(
            Change(
                key=f.name,
                field_name=HSDS_NAMES.get(f.name, f.name),
                label=_label(f),
                previous=previous,
                replacement=replacement,
            )
        )
    return changes


# --- child objects ------------------------------------------------------------------------


def _match(old_rows, new_rows):
    """Pairs (old, new) of the same child across versions, by uuid then by pk;
    None on one side for an added or removed child."""
    remaining = list(old_rows)
    pairs = []
    for row in new_rows:
        twin = next((o for o in remaining if o.uuid and o.uuid == row.uuid), None)
        if twin is None and row.pk:
            twin = next((o for o in remaining if o.pk == row.pk), None)
        if twin is not None:
            remaining.remove(twin)
        pairs.append((twin, row))
    pairs += [(o, None) for o in remaining]
    return pairs


def _location_changes(old, new, names):
    changes = []
    old_ids = [row.location_id for row in old.children.get("service_at_locations", ())]
    new_ids = [row.location_id for row in new.children.get("service_at_locations", ())]
    for pk in new_ids:
        if pk not in old_ids:
            changes.append(_child_change("service_at_locations", pk, "Location", "", names, pk))
    for pk in old_ids:
        if pk not in new_ids:
            changes.append(_child_change("service_at_locations", pk, "Location", pk, names, ""))
    return changes


def _child_change(field_name, pk, label, before, names, after):
    return Change(
        key=f"{field_name}:{pk}",
        field_name=field_name,
        label=label,
        previous=names.location(before) if before else "",
        replacement=names.location(after) if after else "",
    )


def phone_text(phone):
    view = PhoneView.of(phone)
    text = view.display
    if view.extension:
        text += f" ext. {view.extension}"
    details = [d for d in (view.kind, view.language, view.description) if d]
    if details:
        text += f" ({', '.join(details)})"
    return text


def _places(v):
    """The locations a service is given at (phones and hours name theirs only when
    there are several)."""
    return {row.location_id for row in v.children.get("service_at_locations", ())}


def _phone_changes(old, new, names, *, several):
    changes = []
    new_rows = new.children.get("phones", [])
    first = new_rows[0] if new_rows else None
    for before, after in _match(old.children.get("phones", []), new_rows):
        previous = phone_text(before) if before is not None else ""
        replacement = phone_text(after) if after is not None else ""
        if previous == replacement and _at(before) == _at(after):
            continue
        row = after if after is not None else before
        label = "Main phone" if row is first and before is not None else "Phone"
        where = _at(row)
        if where and several:
            label += f" at {names.location_name(where)}"
        changes.append(
            Change(
                key=f"phones:{row.uuid}",
                field_name="phones",
                label=label,
                previous=previous,
                replacement=replacement,
            )
        )
    return changes


def url_text(row):
    return f"{row.label}: {row.url}" if row.label else row.url


def _url_changes(old, new):
    """Added, removed or edited other web addresses (HSDS 3.1 additional_urls)."""
    changes = []
    pairs = _match(old.children.get("additional_urls", []), new.children.get("additional_urls", []))
    for before, after in pairs:
        previous = url_text(before) if before is not None else ""
        replacement = url_text(after) if after is not None else ""
        if previous == replacement:
            continue
        row = after if after is not None else before
        changes.append(
            Change(
                key=f"additional_urls:{row.uuid}",
                field_name="additional_urls",
                label="Web address",
                previous=previous,
                replacement=replacement,
            )
        )
    return changes


def _at(row):
    return getattr(row, "location_id", None) if row is not None else None


def _hours_by_day(rows):
    """{(location id, weekday): "9am–1pm, 2pm–5pm"} and {location id: {exception text}}."""
    days = defaultdict(list)
    exceptions = defaultdict(set)
    for row in rows:
        place = getattr(row, "location_id", None)
        if row.is_exception:
            if row.valid_from:
                exceptions[place].add(exception_text(row))
        elif row.opens_at is not None and row.closes_at is not None:
            days[(place, row.weekday)].append(row)
    spans = {
        key: ", ".join(hours_span(r) for r in sorted(rows, key=lambda r: r.opens_at))
        for key, rows in days.items()
    }
    return spans, exceptions


def _hours_changes(old, new, names, *, several):
    old_days, old_exceptions = _hours_by_day(old.children.get("hours", []))
    new_days, new_exceptions = _hours_by_day(new.children.get("hours", []))
    changes = []

    def where(place):
        if place and several:
            return gettext(" at %(place)s") % {"place": names.location_name(place)}
        return ""

    for key in sorted(set(old_days) | set(new_days), key=lambda k: (k[0] or 0, k[1])):
        before, after = old_days.get(key, ""), new_days.get(key, "")
        if before == after:
            continue
        place, weekday = key
        changes.append(
            Change(
                key=f"hours:{place or ''}:{weekday}",
                field_name="schedules",
                label=gettext("%(day)s hours%(where)s")
                % {"day": Weekday(weekday).label, "where": where(place)},
                previous=before,
                replacement=after,
            )
        )
    for place in sorted(set(old_exceptions) | set(new_exceptions), key=lambda p: p or 0):
        before, after = old_exceptions.get(place, set()), new_exceptions.get(place, set())
        for text in sorted(after - before):
            changes.append(
                Change(f"hours:{place or ''}:{text}", "schedules", _special(place, where), "", text)
            )
        for text in sorted(before - after):
            changes.append(
                Change(f"hours:{place or ''}:{text}", "schedules", _special(place, where), text, "")
            )
    return changes


def _special(place, where):
    return gettext("Special hours%(where)s") % {"where": where(place)}


def _related_changes(old, new, name, label, display):
    before, after = old.related.get(name, []), new.related.get(name, [])
    changes = []
    for pk in after:
        if pk not in before:
            changes.append(
                Change(f"{name}:{pk}", name, label, "", display.get(pk, "a removed entry"))
            )
    for pk in before:
        if pk not in after:
            changes.append(
                Change(f"{name}:{pk}", name, label, display.get(pk, "a removed entry"), "")
            )
    return changes
