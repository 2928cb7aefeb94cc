"""One timeline of everything that happened to a listing, newest first.

Read from what the rest of Steward writes, never from a parallel log:
Wagtail's revisions of the page and of its locations, Wagtail's log
(PageLogEntry for the page, ModelLogEntry for its locations: publish, unpublish,
locks, workflow decisions and every `steward.*` action the other apps
register), Wagtail's workflow task states, `directory.RevisionOrganization`
(which organization an editor acted for) and `SourceRecord` (imports).

Cost is bounded whatever the length of the history: one pass reads the light
columns of every revision and log entry (a handful of queries), the page of
entries shown is chosen, and only then are the revisions of that page loaded
with their content and compared (a fixed number of queries more).

Two readings of the same facts: the professionals' (names of people, drafts,
diffs of pending and rejected suggestions, notes) and the public's (the
organization that acted, "a professional", no draft contents, no reporter
identities, no notes).
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, PageLogEntry, Revision, TaskState

from directory.models import Location, OrganizationPage, ServiceAtLocation, SourceRecord
from directory.models.accounts import RevisionOrganization
from review.models import ReviewDecision
from review.policy import MODERATORS_GROUP

from .diff import Names, compare, version

PER_PAGE = 25

PUBLISHED, PENDING, REJECTED, DRAFT, SAVED, UNDONE = (
    "published",
    "pending",
    "rejected",
    "draft",
    "saved",
    "undone",
)
STATUS_LABELS = {
    PUBLISHED: gettext_lazy("Published"),
    UNDONE: gettext_lazy("Undone before review"),
    PENDING: gettext_lazy("Waiting for review"),
    REJECTED: gettext_lazy("Not accepted"),
    DRAFT: gettext_lazy("Draft"),
    SAVED: gettext_lazy("Saved"),
}

# Log actions that belong to a revision row rather than being rows of their own.
FOLDED = {"wagtail.create", "wagtail.edit", "wagtail.publish", "wagtail.revert"}
REVISION_ACTIONS = {"steward.revert", "steward.rollback"}
REJECTIONS = {"wagtail.workflow.reject", "steward.review.reject"}

# What the public reads for each action; an action not here is not shown publicly
# (comments, workflow plumbing, view restrictions, memberships).
PUBLIC_MESSAGES = {
    "wagtail.unpublish": gettext_lazy("Removed from the public directory"),
    "wagtail.lock": gettext_lazy("Locked for editing"),
    "wagtail.unlock": gettext_lazy("Unlocked"),
    "wagtail.move": gettext_lazy("Moved"),
    "wagtail.rename": gettext_lazy("Renamed"),
    "wagtail.workflow.approve": gettext_lazy("A suggested change was approved"),
    "wagtail.workflow.reject": gettext_lazy("A suggested change was not accepted"),
    "steward.verify": gettext_lazy("Checked and confirmed as still accurate"),
    "steward.report": gettext_lazy("A problem was reported"),
    "steward.report.uphold": gettext_lazy("A reported problem was confirmed"),
    "steward.report.decline": gettext_lazy("A reported problem was checked and not confirmed"),
    "steward.lock": gettext_lazy("Locked: only moderators may edit it for now"),
    "steward.unlock": gettext_lazy("Unlocked for editing"),
    "steward.merge": gettext_lazy("Merged with a duplicate listing"),
    "steward.review.approve": gettext_lazy("A suggested change was approved"),
    "steward.review.reject": gettext_lazy("A suggested change was not accepted"),
    "steward.import": gettext_lazy("Imported"),
    "steward.revert": gettext_lazy("Reverted to an earlier version"),
    "steward.rollback": gettext_lazy("A run of edits was rolled back"),
}


# Whoever reported a problem is never named, not even by organization.
ANONYMOUS_ACTIONS = {"steward.report"}

# One decision on a suggestion is one public event. Wagtail's workflow logs its
# own approve / reject beside Steward's (review.moderation.actions), for the same revision:
# the public reads Steward's, which knows whether more reviews are needed.
DECISIONS = {
    "wagtail.workflow.approve": "approve",
    "steward.review.approve": "approve",
    "wagtail.workflow.reject": "reject",
    "steward.review.reject": "reject",
}
SAME_ACT = dt.timedelta(minutes=1)


@dataclass
class Entry:
    at: dt.datetime
    kind: str  # "revision", "location", "log"
    action: str
    headline: str = ""
    status: str = ""
    user_id: int | None = None
    by_moderator: bool = False
    person: str = ""  # admin only
    organization: str = ""
    changes: list = field(default_factory=list)
    revision_id: int | None = None
    compared_to: int | None = None
    location: str = ""
    details: list = field(default_factory=list)  # short public facts ("Fields: phone")
    note: str = ""  # admin only: comments, reasons
    live: bool = False
    import_source: str = ""
    log_id: int | None = None
    data: dict = field(default_factory=dict)
    log: object = None

    @property
    def status_label(self):
        return str(STATUS_LABELS.get(self.status, ""))

    @property
    def actor(self):
        """Who, as the public reads it. Nobody for a report: reporters stay unnamed."""
        if self.action in ANONYMOUS_ACTIONS:
            return ""
        if self.import_source:
            return gettext("Import from %(source)s") % {"source": self.import_source}
        if self.by_moderator:
            return gettext("A moderator")
        if self.organization:
            return gettext("A professional at %(organization)s") % {
                "organization": self.organization
            }
        if self.user_id:
            return gettext("A professional")
        return "Steward"


@dataclass
class Timeline:
    entries: list
    page_obj: object
    paginator: object
    total: int


def timeline(page, *, public, page_number=1, per_page=PER_PAGE):
    """The listing's timeline, newest first, one page of it read in full."""
    page = page.specific
    rows = _skeleton(page)
    if public:
        rows = _public_rows(rows)
    rows.sort(key=lambda row: (row.at, row.kind != "log", row.revision_id or 0), reverse=True)
    paginator = Paginator(rows, per_page)
    page_obj = paginator.get_page(page_number)
    entries = list(page_obj.object_list)
    _fill(page, entries, public=public)
    return Timeline(entries=entries, page_obj=page_obj, paginator=paginator, total=len(rows))


# --- the light pass ---------------------------------------------------------------------


def _location_ids(page):
    if isinstance(page, OrganizationPage):
        return list(Location.objects.filter(organization=page).values_list("pk", flat=True))
    return list(
        ServiceAtLocation.objects.filter(service_id=page.pk)
        .values_list("location_id", flat=True)
        .distinct()
    )


def _skeleton(page):
    revisions = list(
        Revision.page_revisions.filter(object_id=str(page.pk))
        .order_by("created_at", "pk")
        .values("pk", "created_at", "user_id")
    )
    logs = list(
        PageLogEntry.objects.filter(page_id=page.pk).only(
            "pk", "timestamp", "action", "user_id", "revision_id", "data", "label"
        )
    )
    location_ids = _location_ids(page)
    location_ct = ContentType.objects.get_for_model(Location)
    location_revisions = []
    location_logs = []
    if location_ids:
        location_revisions = list(
            Revision.objects.filter(
                base_content_type=location_ct, object_id__in=[str(pk) for pk in location_ids]
            )
            .order_by("created_at", "pk")
            .values("pk", "created_at", "user_id", "object_id", "object_str")
        )
        location_logs = list(
            ModelLogEntry.objects.filter(
                content_type=location_ct, object_id__in=[str(pk) for pk in location_ids]
            ).exclude(action__in=FOLDED)
        )
    task_states = list(
        TaskState.objects.filter(revision_id__in=[r["pk"] for r in revisions]).values(
            "revision_id", "status", "finished_at"
        )
    )
    restores = {log.revision_id for log in logs if log.action in REVISION_ACTIONS}
    statuses, published_by = _statuses(revisions, logs, task_states, restores)
    # Read afresh: the caller's copy of the page may predate the latest publish.
    live_id = type(page).objects.filter(pk=page.pk).values_list("live_revision_id", flat=True)[0]

    entries = []
    by_revision = {}
    previous = None
    for rev in revisions:
        entry = Entry(
            at=rev["created_at"],
            kind="revision",
            action="wagtail.create" if previous is None else "wagtail.edit",
            status=statuses[rev["pk"]],
            user_id=rev["user_id"],
            revision_id=rev["pk"],
            live=rev["pk"] == live_id,
        )
        entry.compared_to = _base(revisions, statuses, rev)
        by_revision[rev["pk"]] = entry
        entries.append(entry)
        previous = rev
    for log in logs:
        target = by_revision.get(log.revision_id)
        if target is not None and log.action in FOLDED | REVISION_ACTIONS:
            if log.action in REVISION_ACTIONS or log.action == "wagtail.revert":
                target.action = log.action
                target.data = log.data or {}
                target.log_id = log.pk
                target.log = log
            continue
        if log.action in FOLDED:
            continue
        entries.append(
            Entry(
                at=log.timestamp,
                kind="log",
                action=log.action,
                user_id=log.user_id,
                revision_id=log.revision_id,
                log_id=log.pk,
                data=log.data or {},
                log=log,
            )
        )
    previous_by_location = {}
    for rev in location_revisions:
        entries.append(
            Entry(
                at=rev["created_at"],
                kind="location",
                action="wagtail.edit",
                status=SAVED,
                user_id=rev["user_id"],
                revision_id=rev["pk"],
                compared_to=previous_by_location.get(rev["object_id"]),
                location=rev["object_str"],
            )
        )
        previous_by_location[rev["object_id"]] = rev["pk"]
    for log in location_logs:
        entries.append(
            Entry(
                at=log.timestamp,
                kind="log",
                action=log.action,
                user_id=log.user_id,
                log_id=log.pk,
                data=log.data or {},
                location=log.label,
                log=log,
            )
        )
    for entry in entries:
        if entry.revision_id in published_by and entry.kind == "revision":
            entry.data.setdefault("published_by", published_by[entry.revision_id])
    return entries


def _statuses(revisions, logs, task_states, restores=()):
    """Each page revision's fate: published (itself, or stacked under a later
    revision that was published), rejected, undone (a revert or rollback was
    published over it before anyone reviewed it), pending review, or a draft."""
    events = [(rev["created_at"], 0, "revision", rev["pk"]) for rev in revisions]
    published_by = {}
    for log in logs:
        if log.action == "wagtail.publish" and log.revision_id:
            events.append((log.timestamp, 1, "publish", log.revision_id))
            published_by[log.revision_id] = log.user_id
        elif log.action in REJECTIONS and (log.data or {}).get("complete", True):
            # A first reviewer's rejection of two needed is not yet the decision.
            events.append((log.timestamp, 1, "reject", log.revision_id))
    in_progress = set()
    for state in task_states:
        if state["status"] == TaskState.STATUS_REJECTED and state["finished_at"]:
            events.append((state["finished_at"], 1, "reject", state["revision_id"]))
        elif state["status"] == TaskState.STATUS_IN_PROGRESS:
            in_progress.add(state["revision_id"])
    created = {rev["pk"]: rev["created_at"] for rev in revisions}
    statuses = {}
    open_run = []
    for _, _, kind, pk in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == "revision":
            open_run.append(pk)
        elif kind == "publish":
            cut = created.get(pk)
            statuses[pk] = PUBLISHED
            kept = []
            for open_pk in open_run:
                if open_pk == pk:
                    continue
                if cut is not None and created[open_pk] <= cut:
                    statuses[open_pk] = UNDONE if pk in restores else PUBLISHED
                else:
                    kept.append(open_pk)
            open_run = kept
        elif kind == "reject":
            for open_pk in open_run:
                statuses[open_pk] = REJECTED
            open_run = []
    waiting = bool(in_progress & set(open_run))
    for pk in open_run:
        statuses[pk] = PENDING if waiting else DRAFT
    return statuses, published_by


def _base(revisions, statuses, rev):
    """The revision this one is compared with: the latest earlier one that was not
    rejected (after a rejection the listing went back to what was live)."""
    base = None
    for other in revisions:
        if other["pk"] == rev["pk"]:
            break
        if statuses.get(other["pk"]) != REJECTED:
            base = other["pk"]
    return base


def _is_public(entry):
    if entry.kind in ("revision", "location"):
        return True
    # An allowlist: memberships, sign-ups, claims and conflicts are not the public's.
    return entry.action in PUBLIC_MESSAGES


def _public_rows(rows):
    """What the public reads: one event per thing that happened.

    - a decision on a suggestion is one event (Steward's log, not also Wagtail's
      workflow log of the same decision by the same person);
    - a rejected suggestion is that one "not accepted" event: its revisions (whose
      contents the public never sees) and the revision that put the live version
      back (review.moderation.actions.reject) are part of it.
    """
    rows = [row for row in rows if _is_public(row)]
    steward_decided = [
        (DECISIONS[row.action], row.user_id, row.at)
        for row in rows
        if row.kind == "log" and row.action.startswith("steward.review.")
    ]
    rejections = {row.revision_id for row in rows if row.kind == "log" and row.action in REJECTIONS}
    restores = set()
    if rejections:
        page_revisions = [row.revision_id for row in rows if row.kind == "revision"]
        restores = set(
            ReviewDecision.objects.filter(restored_revision_id__in=page_revisions).values_list(
                "restored_revision_id", flat=True
            )
        )

    def duplicate_decision(row):
        # The same decision, by the same person, logged by both (Wagtail names the
        # first revision of the run, Steward the last).
        return any(
            kind == DECISIONS[row.action] and user_id == row.user_id and abs(at - row.at) < SAME_ACT
            for kind, user_id, at in steward_decided
        )

    kept = []
    for row in rows:
        wagtail_decision = row.action in DECISIONS and row.action.startswith("wagtail.")
        if row.kind == "log" and wagtail_decision and duplicate_decision(row):
            continue
        part_of_rejection = row.status == REJECTED or row.revision_id in restores
        if row.kind == "revision" and rejections and part_of_rejection:
            continue
        kept.append(row)
    return kept


# --- the page shown -------------------------------------------------------------------------


def _fill(page, entries, *, public):
    """Load and compare the revisions of the entries shown; name people and
    organizations. A fixed number of queries for any page of entries."""
    show_content = {
        e.revision_id
        for e in entries
        if e.kind == "location" or (e.kind == "revision" and (not public or e.status == PUBLISHED))
    }
    # A log entry (an approval, a lock) may name a revision; the changes are the
    # revision's own entry's, never listed again against the log entry.
    has_changes = {id(e) for e in entries if e.kind in ("revision", "location")}
    wanted = set(show_content)
    wanted |= {e.compared_to for e in entries if e.revision_id in show_content and e.compared_to}
    contents = (
        dict(Revision.objects.filter(pk__in=wanted).values_list("pk", "content")) if wanted else {}
    )
    model = type(page)
    versions = {}
    for entry in entries:
        if entry.revision_id not in show_content:
            continue
        kind_model = Location if entry.kind == "location" else model
        for pk in (entry.revision_id, entry.compared_to):
            if pk and pk in contents and pk not in versions:
                versions[pk] = version(kind_model, contents[pk])
    names = Names(versions.values())

    users = _users({e.user_id for e in entries if e.user_id})
    moderators = _moderators(users.values())
    organizations = _revision_organizations(
        [e.revision_id for e in entries if e.kind in ("revision", "location")]
    )
    imports = _imports(page, entries)

    for entry in entries:
        if entry.kind in ("revision", "location"):
            entry.organization = organizations.get(entry.revision_id, "")
            if entry.user_id is None and entry.revision_id:
                entry.import_source = imports.get(entry.kind, "")
        else:
            entry.organization = _organization_title(entry.data)
        entry.by_moderator = entry.kind == "log" and entry.user_id in moderators
        if not public:
            user = users.get(entry.user_id)
            entry.person = _display_name(user) if user else ("" if entry.user_id else "system")
        if (
            id(entry) in has_changes
            and entry.revision_id in show_content
            and entry.revision_id in versions
        ):
            before = versions.get(entry.compared_to)
            entry.changes = compare(before, versions[entry.revision_id], names=names, public=public)
        entry.headline = _headline(entry, public=public)
        entry.details = _details(entry, public=public)
        if not public:
            entry.note = _note(entry)


def _users(ids):
    if not ids:
        return {}
    return {user.pk: user for user in get_user_model().objects.filter(pk__in=ids)}


def _moderators(users):
    """Ids of the users who act as moderators (review.policy.is_moderator's
    rule, for many users in one query): their locks, approvals and rejections are
    credited to "A moderator"."""
    users = list(users)
    ids = {user.pk for user in users if user.is_superuser}
    others = [user.pk for user in users if not user.is_superuser]
    if others:
        ids |= set(
            get_user_model()
            .objects.filter(pk__in=others, groups__name=MODERATORS_GROUP)
            .values_list("pk", flat=True)
        )
    return ids


def _display_name(user):
    full = (user.get_full_name() or "").strip()
    return full or user.get_username()


def _revision_organizations(revision_ids):
    """revision id -> title of the organization its author acted for
    (directory.RevisionOrganization, written by the accounts work)."""
    ids = [pk for pk in revision_ids if pk]
    if not ids:
        return {}
    rows = RevisionOrganization.objects.filter(revision_id__in=ids, organization__isnull=False)
    return dict(rows.values_list("revision_id", "organization__title"))


def _imports(page, entries):
    """The source a system revision came from (the import writes revisions without
    a user): "ILAO legal aid (services.csv)"."""
    if not any(e.user_id is None and e.kind in ("revision", "location") for e in entries):
        return {}
    found = {}
    kinds = {"revision": getattr(page, "uuid", None)}
    records = SourceRecord.objects.filter(object_uuid__in=[u for u in kinds.values() if u])
    for record in records.order_by("-last_imported_at")[:1]:
        name = PurePath(record.source_file).name if record.source_file else ""
        found["revision"] = f"{record.source} ({name})" if name else record.source
    return found


def _organization_title(data):
    organization = (data or {}).get("organization")
    if isinstance(organization, dict):
        return str(organization.get("title") or "")
    return ""


def _date(value):
    return date_format(value, gettext("M j, Y"))


def _headline(entry, *, public):
    if entry.kind == "location":
        return gettext("Location “%(name)s” edited") % {"name": entry.location}
    if entry.kind == "revision":
        if entry.action == "steward.rollback":
            return gettext("Edits rolled back: the earlier version was restored")
        if entry.action in ("steward.revert", "wagtail.revert"):
            return gettext("Reverted to an earlier version")
        if public and entry.status == PENDING:
            return gettext("A suggested change is waiting for review")
        if public and entry.status == REJECTED:
            return gettext("A suggested change was not accepted")
        if public and entry.status == DRAFT:
            return gettext("A draft was saved (not published)")
        if entry.action == "wagtail.create":
            return gettext("Listing created")
        if entry.status == PENDING:
            return gettext("Suggested change")
        return gettext("Edited")
    if entry.action.startswith("steward.review.") and entry.data.get("complete") is False:
        return gettext("A reviewer looked at a suggested change (one more review is needed)")
    message = PUBLIC_MESSAGES.get(entry.action)
    if message:
        return str(message)
    if entry.action.startswith("steward.") and log_registry.action_exists(entry.action):
        return str(log_registry.get_action_label(entry.action))
    if entry.log is not None:
        try:
            return str(entry.log.message)
        except Exception:  # noqa: BLE001 - a formatter that needs data this entry lacks
            return entry.action
    return entry.action


def _details(entry, *, public):
    data = entry.data or {}
    details = []
    fields = data.get("fields")
    if isinstance(fields, (list, tuple)) and fields:
        details.append(
            gettext("Fields: %(fields)s") % {"fields": ", ".join(str(f) for f in fields)}
        )
    keys = ("reason_category", "category")
    if entry.action.startswith("steward.report"):
        keys += ("reason",)  # the queue logs a report's reason category as "reason"
    for key in keys:
        if isinstance(data.get(key), str) and len(data[key]) <= 60:
            details.append(gettext("Reason: %(reason)s") % {"reason": data[key].replace("_", " ")})
    if entry.action in ("steward.revert", "steward.rollback") and data.get("restored"):
        restored = data["restored"]
        when = (
            parse_datetime(str(restored.get("created", ""))) if isinstance(restored, dict) else None
        )
        if when is not None:
            details.append(
                gettext("Restored the version of %(date)s")
                % {"date": _date(timezone.localtime(when))}
            )
    if entry.action == "steward.merge":
        duplicate = data.get("duplicate")
        if isinstance(duplicate, dict) and duplicate.get("title"):
            details.append(gettext("Duplicate: %(title)s") % {"title": duplicate["title"]})
    return details


def _note(entry):
    """Free text for professionals only: comments and reasons."""
    data = entry.data or {}
    for key in ("comment", "reason", "note"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
