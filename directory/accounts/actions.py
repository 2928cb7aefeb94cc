"""The membership verbs. Each runs in one transaction, checks who may do it,
writes the change (rows keep their history), keeps groups and permissions in
step, and writes Wagtail's audit log. Views call these and turn
`MembershipError` into a message; `PermissionDenied` into a 403.

Log data carries the organization concerned ({"organization": {"id", "title"}})
and ids, never emails or notes.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.log_actions import log

from directory.accounts import notify, permissions
from directory.accounts.domains import normalize_email_domain
from directory.accounts.groups import reconcile
from directory.members import ACTING_ORGANIZATION_SESSION_KEY, organization_data
from directory.models import (
    Membership,
    MembershipRequest,
    OrganizationDomain,
    Professional,
)


class MembershipError(Exception):
    """A request that cannot be carried out, with a message for the person."""


def _person(user):
    return user.get_full_name() or f"user #{user.pk}"


def _log(instance, action, *, by, organization, title, **data):
    log(
        instance,
        action,
        user=by,
        title=title[:255],
        data={"organization": organization_data(organization), **data},
    )


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def request_membership(*, user, organization, note="", now=None):
    """Ask to join an organization; its admins or a moderator decide."""
    _require(permissions.is_signed_in(user))
    if Membership.objects.current(now=now).filter(user=user, organization=organization).exists():
        raise MembershipError(
            gettext("You are already a member of %(organization)s.")
            % {"organization": organization.title}
        )
    return _open_request(user, organization, MembershipRequest.Kind.JOIN, note, now)


def claim_organization(*, user, organization, note="", now=None):
    """Ask to become the admin of an organization that has none; a moderator decides."""
    if not permissions.can_claim(user, organization):
        raise PermissionDenied
    return _open_request(user, organization, MembershipRequest.Kind.CLAIM, note, now)


def register_organization(*, user, organization, note="", now=None):
    """Ask for `organization` (a draft page, not yet live) to be listed, with the
    person as its admin; a moderator decides."""
    _require(permissions.is_signed_in(user) and not organization.live)
    return _open_request(user, organization, MembershipRequest.Kind.NEW, note, now)


# Kinds a moderator decides (nobody in the organization can yet), making the person its admin.
MODERATOR_KINDS = (MembershipRequest.Kind.CLAIM, MembershipRequest.Kind.NEW)
LOG_ACTIONS = {
    MembershipRequest.Kind.CLAIM: "steward.organization.claim",
    MembershipRequest.Kind.NEW: "steward.organization.new",
}


def _open_request(user, organization, kind, note, now):
    now = now or timezone.now()
    if MembershipRequest.objects.pending().filter(user=user, organization=organization).exists():
        raise MembershipError(
            gettext(
                "You already have an open request for %(organization)s; "
                "it is waiting for a decision."
            )
            % {"organization": organization.title}
        )
    try:
        with transaction.atomic():
            request = MembershipRequest.objects.create(
                user=user, organization=organization, kind=kind, note=note, created_at=now
            )
    except IntegrityError as error:  # a second submit raced the first
        raise MembershipError(
            gettext("You already have an open request for %(organization)s.")
            % {"organization": organization.title}
        ) from error
    action = LOG_ACTIONS.get(kind, "steward.membership.request")
    _log(
        request,
        action,
        by=user,
        organization=organization,
        title=f"{_person(user)} → {organization.title}",
        request={"id": request.pk, "kind": kind},
    )
    transaction.on_commit(lambda: notify.tell_of_request(request))
    return request


def _pending_for_update(membership_request):
    row = MembershipRequest.objects.select_for_update().get(pk=membership_request.pk)
    if not row.is_pending:
        raise MembershipError(
            gettext("This request was already %(status)s; nothing changed.")
            % {"status": row.get_status_display().lower()}
        )
    return row


def _may_decide(by, membership_request):
    if membership_request.kind in MODERATOR_KINDS:
        return permissions.decides_everywhere(by)
    return permissions.can_approve_requests(by, membership_request.organization)


@transaction.atomic
def approve_request(*, membership_request, by, now=None):
    """Approve: the requester becomes a member (an admin, for a claim)."""
    _require(_may_decide(by, membership_request))
    now = now or timezone.now()
    row = _pending_for_update(membership_request)
    row.status = MembershipRequest.Status.APPROVED
    row.decided_by, row.decided_at = by, now
    row.save()
    _log(
        row,
        "steward.membership.approve",
        by=by,
        organization=row.organization,
        title=f"{_person(row.user)} → {row.organization.title}",
        request={"id": row.pk, "kind": row.kind},
    )
    role = Membership.Role.ADMIN if row.kind in MODERATOR_KINDS else None
    if row.kind == MembershipRequest.Kind.NEW and not row.organization.live:
        # The organization is listed from its draft, as a new revision by the moderator.
        row.organization.save_revision(user=by, log_action=True).publish(
            user=by, skip_permission_checks=True
        )
    transaction.on_commit(lambda: notify.tell_approved(row))
    return start_membership(user=row.user, organization=row.organization, role=role, by=by, now=now)


@transaction.atomic
def decline_request(*, membership_request, by, now=None):
    _require(_may_decide(by, membership_request))
    now = now or timezone.now()
    row = _pending_for_update(membership_request)
    row.status = MembershipRequest.Status.DECLINED
    row.decided_by, row.decided_at = by, now
    row.save()
    _log(
        row,
        "steward.membership.decline",
        by=by,
        organization=row.organization,
        title=f"{_person(row.user)} → {row.organization.title}",
        request={"id": row.pk, "kind": row.kind},
    )
    return row


@transaction.atomic
def withdraw_request(*, membership_request, by, now=None):
    _require(permissions.is_signed_in(by) and membership_request.user_id == by.pk)
    row = _pending_for_update(membership_request)
    row.status = MembershipRequest.Status.WITHDRAWN
    row.decided_by, row.decided_at = by, now or timezone.now()
    row.save()
    _log(
        row,
        "steward.membership.withdraw",
        by=by,
        organization=row.organization,
        title=f"{_person(row.user)} → {row.organization.title}",
        request={"id": row.pk, "kind": row.kind},
    )
    return row


@transaction.atomic
def start_membership(*, user, organization, role=None, by=None, now=None, via="approval"):
    """Make `user` a current member (keeping a current membership, raising it to
    admin when asked). Callers check permission: this runs after an approval or
    a confirmed address at a registered domain (`via="domain"`)."""
    now = now or timezone.now()
    current = (
        Membership.objects.current(now=now)
        .select_for_update()
        .filter(user=user, organization=organization)
        .first()
    )
    if current is not None:
        if role == Membership.Role.ADMIN and current.role != role:
            _change_role(current, role, by=by)
        return current
    membership = Membership.objects.create(
        user=user, organization=organization, role=role or Membership.Role.MEMBER, since=now
    )
    reconcile(user=user, now=now)
    _log(
        membership,
        "steward.membership.start",
        by=by,
        organization=organization,
        title=f"{_person(user)} in {organization.title}",
        membership={"id": membership.pk, "role": membership.role, "via": via},
    )
    return membership


@transaction.atomic
def end_membership(*, membership, by, now=None):
    """End a membership now: its page and admin rights go at once, the row stays."""
    _require(permissions.can_manage_members(by, membership.organization))
    now = now or timezone.now()
    row = Membership.objects.select_for_update().get(pk=membership.pk)
    if not row.is_current:
        raise MembershipError(gettext("This membership has already ended; nothing changed."))
    row.until = max(now, row.since + dt.timedelta(microseconds=1))
    row.save()
    reconcile(user=row.user, now=row.until)
    _log(
        row,
        "steward.membership.end",
        by=by,
        organization=row.organization,
        title=f"{_person(row.user)} in {row.organization.title}",
        membership={"id": row.pk, "role": row.role},
    )
    return row


@transaction.atomic
def set_role(*, membership, role, by, now=None):
    """Make a member an organization admin, or an admin a member again."""
    _require(permissions.can_manage_members(by, membership.organization))
    if role not in Membership.Role.values:
        raise MembershipError(gettext("Choose a role: member or organization admin."))
    row = Membership.objects.select_for_update().get(pk=membership.pk)
    if not row.is_current:
        raise MembershipError(gettext("This membership has ended; start a new one instead."))
    if row.role == role:
        return row
    _change_role(row, role, by=by)
    return row


def _change_role(row, role, *, by):
    previous = row.role
    row.role = role
    row.save()
    reconcile(user=row.user)
    _log(
        row,
        "steward.membership.role",
        by=by,
        organization=row.organization,
        title=f"{_person(row.user)} in {row.organization.title}",
        membership={"id": row.pk, "role": role, "previous_role": previous},
    )


@transaction.atomic
def add_domain(*, organization, domain, by, now=None):
    """Register an email domain: confirmed addresses there join without approval."""
    _require(permissions.can_register_domains(by, organization))
    try:
        domain = normalize_email_domain(domain)
    except ValidationError as error:
        raise MembershipError(" ".join(error.messages)) from error
    taken = OrganizationDomain.objects.filter(domain=domain).first()
    if taken is not None:
        if taken.organization_id == organization.pk:
            raise MembershipError(
                gettext("%(domain)s is already registered for %(organization)s.")
                % {"domain": domain, "organization": organization.title}
            )
        raise MembershipError(
            gettext(
                "%(domain)s is registered by another organization. "
                "Ask a moderator if it should move."
            )
            % {"domain": domain}
        )
    row = OrganizationDomain.objects.create(
        organization=organization, domain=domain, added_by=by, created_at=now or timezone.now()
    )
    _log(
        row,
        "steward.domain.add",
        by=by,
        organization=organization,
        title=f"{domain} for {organization.title}",
        domain=domain,
    )
    return row


@transaction.atomic
def remove_domain(*, domain, by):
    """Unregister a domain. Members who joined through it stay members."""
    _require(permissions.can_register_domains(by, domain.organization))
    _log(
        domain,
        "steward.domain.remove",
        by=by,
        organization=domain.organization,
        title=f"{domain.domain} for {domain.organization.title}",
        domain=domain.domain,
    )
    domain.delete()


def choose_acting_organization(*, user, organization, request=None):
    """Act for one of the user's current organizations from now on: kept in the
    session and on the profile (for the next session)."""
    _require(permissions.is_signed_in(user))
    if not Membership.objects.current().filter(user=user, organization=organization).exists():
        raise MembershipError(
            gettext("You are not a current member of %(organization)s.")
            % {"organization": organization.title}
        )
    profile, _ = Professional.objects.get_or_create(user=user)
    if profile.acting_organization_id != organization.pk:
        profile.acting_organization = organization
        profile.save()
    if request is not None:
        request.session[ACTING_ORGANIZATION_SESSION_KEY] = organization.pk
    return organization
