"""Review's verbs: one function per thing a person does (DESIGN.md §2).

Each runs in one transaction, checks who may do it, writes the change, the audit
log entry and the reputation events, and refreshes the freshness store.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.log_actions import log

from directory.members import acting_organization, is_member, organization_data
from review.conf import review_days
from review.policy import (
    is_professional,
)
from review.trust import store
from review.trust.fields import all_fields, fields_for_changes
from review.trust.ledger import events_about, record_event

VERIFY_ACTION = "steward.verify"


def _clean_fields(fields):
    if fields is None:
        return all_fields()
    known = all_fields()
    fields = list(dict.fromkeys(fields))
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise ValidationError(
            gettext("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    if not fields:
        raise ValidationError(gettext("Choose at least one detail to confirm."))
    return sorted(fields, key=known.index)


def _organization_for(user, organization):
    if organization is None:
        return acting_organization(user)
    if not is_member(user, organization):
        raise PermissionDenied(gettext("You can only verify for an organization you belong to."))
    return organization


def _acting_for(user):
    """The log entry's "organization", when the user acts for one."""
    organization = acting_organization(user)
    return {} if organization is None else {"organization": organization_data(organization)}


def _record(service, kind, user, organization, fields, at, *, approver=None):
    """One Verification row: a confirmation (verify_service) or an accepted edit
    (record_approved_edit) of these trust fields, by this user for this
    organization, at this time."""
    from review.models import Verification

    return Verification.objects.create(
        page=service,
        user=user,
        organization=organization,
        kind=kind,
        fields=fields,
        approver=approver,
        verified_at=at,
    )


def verify_service(*, service, user, fields=None, organization=None, now=None):
    """A professional confirms that this listing (or some of its fields) is still
    accurate. Not an edit: it needs no approval and changes nothing on the page.

    `fields=None` confirms everything. Raises PermissionDenied for anyone who is
    not a signed-in professional, ValidationError for unknown or no fields.
    """
    from review.models import Verification

    if not is_professional(user):
        raise PermissionDenied(gettext("Only signed-in professionals verify listings."))
    fields = _clean_fields(fields)
    organization = _organization_for(user, organization)
    now = now or timezone.now()
    with transaction.atomic():
        verification = _record(
            service, Verification.Kind.VERIFICATION, user, organization, fields, now
        )
        log(
            instance=service,
            action=VERIFY_ACTION,
            user=user,
            data={"fields": fields, "organization": organization_data(organization)},
            timestamp=now,
        )
        _credit_reverified_edits(service, verification, now=now)
        _credit_confirmed_values(service, verification)
        store.recompute([service.pk], now=now)
    return verification


def record_approved_edit(*, service, fields, approver, editor, organization=None, now=None):
    """An edit was accepted (published after review, or by a publisher): it counts
    as a fresh verification of the fields it changed, and earns the editor
    "edit accepted" when someone else accepted it, never for self-publishing.

    `fields` are trust fields or ServicePage field / child names (see
    review.trust.fields). `organization` is the one the editor acted for (default: their
    acting organization). Returns the Verification, or None when the edit touched
    no trust field.
    """
    from review.models import Verification

    fields = fields_for_changes(fields)
    now = now or timezone.now()
    if not fields:
        return None
    if organization is None and editor is not None:
        organization = acting_organization(editor)
    with transaction.atomic():
        verification = _record(
            service, Verification.Kind.EDIT, editor, organization, fields, now, approver=approver
        )
        if editor is not None and approver is not None and approver.pk != editor.pk:
            record_event(
                user=editor,
                kind="edit_accepted",
                page=service,
                organization=organization,
                at=now,
                related=verification,
            )
        store.recompute([service.pk], now=now)
    return verification


def record_published_change(change):
    """The one verb every published change passes through (registered on
    directory's `steward_after_publish` hook): a member's direct publish, an
    approval, a revert, a rollback, an import. The fields the change touched count
    as freshly verified, credited to each editor (and the organization they acted
    for); the editor earns "edit accepted" only when someone else published it.

    A first publish with no one behind it (an import creating the listing) records
    nothing: the source's own last-verified date is the listing's baseline.
    """
    from directory.models import ServicePage
    from review.moderation.actions import _revision_organizations, changed_between, editors

    page = change.page
    if not isinstance(page, ServicePage):
        return []
    if change.previous is None and change.user is None:
        return []
    before = change.previous.content if change.previous is not None else {}
    fields = changed_between(before, change.revision.content)
    if not fields_for_changes(fields):
        return []
    revisions = list(change.editors)
    people = editors(revisions)
    if not people:
        return [
            record_approved_edit(
                service=page, fields=fields, approver=change.user, editor=None, now=change.at
            )
        ]
    acted_for = _revision_organizations(revisions)
    recorded = []
    for editor in people:
        organization = next(
            (
                acted_for[r.pk]
                for r in reversed(revisions)
                if r.user_id == editor.pk and r.pk in acted_for
            ),
            None,
        )
        recorded.append(
            record_approved_edit(
                service=page,
                fields=fields,
                approver=change.user,
                editor=editor,
                organization=organization,
                now=change.at,
            )
        )
    return recorded


def _later_edits_of(service, field, after):
    from review.models import Verification

    return [
        v
        for v in Verification.objects.filter(
            page=service, kind=Verification.Kind.EDIT, verified_at__gt=after
        )
        if field in v.fields
    ]


def _credit_reverified_edits(service, verification, *, now):
    """+10 to an editor whose accepted edit still stands and is re-verified by
    another organization at least 30 days later. Once per edit."""
    from review.models import Verification

    accepted = (
        Verification.objects.filter(
            page=service,
            kind=Verification.Kind.EDIT,
            verified_at__lte=now - review_days("REVERIFIED_AFTER_DAYS"),
            user__isnull=False,
            approver__isnull=False,
        )
        .exclude(approver_id=F("user_id"))
        .select_related("user")
    )
    for edit in accepted:
        if edit.organization_id is None or edit.organization_id == verification.organization_id:
            continue
        overlap = [name for name in edit.fields if name in verification.fields]
        still_standing = [
            name for name in overlap if not _later_edits_of(service, name, edit.verified_at)
        ]
        if not still_standing or events_about(edit, kind="edit_reverified").exists():
            continue
        record_event(
            user=edit.user,
            kind="edit_reverified",
            page=service,
            organization=edit.organization,
            at=now,
            related=edit,
        )


def _credit_confirmed_values(service, verification):
    """A "good" judgment for someone whose verification another organization has
    now confirmed (no points: reliability only). Once per earlier verification."""
    from review.models import Verification

    earlier = (
        Verification.objects.filter(
            page=service,
            kind=Verification.Kind.VERIFICATION,
            verified_at__lt=verification.verified_at,
            verified_at__gte=verification.verified_at - review_days("CONFIRMS_WITHIN_DAYS"),
            user__isnull=False,
            organization__isnull=False,
        )
        .exclude(organization_id=verification.organization_id)
        .select_related("user")
    )
    for other in earlier:
        if verification.organization_id is None:
            break
        if not set(other.fields) & set(verification.fields):
            continue
        if events_about(other, kind="value_confirmed").exists():
            continue
        record_event(
            user=other.user,
            kind="value_confirmed",
            page=service,
            organization=other.organization,
            at=verification.verified_at,
            related=other,
        )


def record_shown_wrong(*, service, fields, now=None, note=""):
    """A value of these fields was shown wrong (an upheld report, a correcting
    edit found it wrong): everyone who verified it as accurate in the 90 days
    before loses 20 points and gets a "bad" judgment, once per verification.
    Returns the ledger events written."""
    from review.models import Verification

    fields = set(fields_for_changes(fields))
    now = now or timezone.now()
    events = []
    with transaction.atomic():
        recent = Verification.objects.filter(
            page=service,
            kind=Verification.Kind.VERIFICATION,
            verified_at__gte=now - review_days("SHOWN_WRONG_WITHIN_DAYS"),
            verified_at__lte=now,
            user__isnull=False,
        ).select_related("user", "organization")
        for verification in recent:
            if not fields & set(verification.fields):
                continue
            if events_about(verification, kind="verification_shown_wrong").exists():
                continue
            events.append(
                record_event(
                    user=verification.user,
                    kind="verification_shown_wrong",
                    page=service,
                    organization=verification.organization,
                    at=now,
                    note=note,
                    related=verification,
                )
            )
    return events
