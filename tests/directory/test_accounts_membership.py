"""Membership flows in the workspace: requests, approval, ending, roles, domains,
the acting organization, and which organization each revision was made for."""

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import nested_form_data

import pytest

from directory.accounts import actions
from directory.accounts.groups import reconcile
from directory.accounts.permissions import can_manage_members, can_register_domains
from directory.members import ACTING_ORGANIZATION_SESSION_KEY, acting_organization, is_member
from directory.models import (
    Membership,
    MembershipRequest,
    OrganizationDomain,
    OrganizationPage,
    Professional,
    RevisionOrganization,
)
from steward.periodic import all_jobs, run_due_jobs
from tests.directory.accounts_support import fresh, member
from tests.factories import LocationFactory, OrganizationFactory, make_service
from tests.roles import moderator, professional

pytestmark = pytest.mark.django_db


def assert_refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with
    an error message."""
    assert response.status_code == 302 and response["Location"] == "/admin/"


def url(name, *args):
    return reverse(f"steward_accounts:{name}", args=args)


def publish_title(client, organization, title):
    """Edit the organization page in Wagtail's editor and press Publish."""
    return client.post(
        f"/admin/pages/{organization.pk}/edit/",
        nested_form_data(
            {
                "title": title,
                "slug": organization.slug,
                "description": organization.description,
                "action-publish": "action-publish",
            }
        ),
    )


def test_a_request_approved_by_the_organization_admin_makes_a_member(client):
    organization = OrganizationFactory(title="Pilsen Health")
    admin = member("admin", organization, role="admin")
    applicant = professional(
        username="applicant", confirmed=True, first_name="Ana", last_name="Lopez"
    )

    client.force_login(applicant)
    response = client.post(url("join"), {"organization": organization.pk, "note": "Nurse"})
    assert response.status_code == 302
    request = MembershipRequest.objects.get(user=applicant)
    assert (request.status, request.note) == ("pending", "Nurse")
    again = client.post(url("join"), {"organization": organization.pk}, follow=True)
    assert b"already have an open request" in again.content
    assert MembershipRequest.objects.count() == 1

    client.force_login(admin)
    page = client.get(url("members", organization.pk))
    assert b"Ana Lopez" in page.content and b"Approve" in page.content
    response = client.post(url("approve", request.pk))

    assert response.status_code == 302
    assert is_member(applicant, organization)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", admin)
    assert fresh(applicant).groups.filter(name="Pilsen Health editors").exists()
    actions_logged = list(
        ModelLogEntry.objects.filter(user=admin).order_by("pk").values_list("action", flat=True)
    )
    assert actions_logged == ["steward.membership.approve", "steward.membership.start"]
    twice = client.post(url("approve", request.pk), follow=True)
    assert b"already approved" in twice.content
    assert Membership.objects.filter(user=applicant).count() == 1


def test_a_declined_request_makes_no_member_and_a_withdrawn_one_leaves_the_list(client):
    organization = OrganizationFactory()
    admin = member("admin", organization, role="admin")
    first, second = (
        professional(username="first", confirmed=True),
        professional(username="second", confirmed=True),
    )
    declined = actions.request_membership(user=first, organization=organization)
    withdrawn = actions.request_membership(user=second, organization=organization)

    client.force_login(admin)
    client.post(url("decline", declined.pk))
    client.force_login(second)
    client.post(url("withdraw", withdrawn.pk))
    client.force_login(first)
    assert client.post(url("withdraw", declined.pk)).status_code == 302

    assert MembershipRequest.objects.get(pk=declined.pk).status == "declined"
    assert MembershipRequest.objects.get(pk=withdrawn.pk).status == "withdrawn"
    assert not is_member(first, organization) and not is_member(second, organization)
    # someone else's request cannot be withdrawn
    other = actions.request_membership(user=first, organization=OrganizationFactory())
    client.force_login(second)
    assert_refused(client.post(url("withdraw", other.pk)))
    assert MembershipRequest.objects.get(pk=other.pk).status == "pending"


def test_ending_a_membership_removes_page_rights_at_once_and_keeps_its_history(client):
    organization = OrganizationFactory(title="Food Partners")
    admin = member("admin", organization, role="admin")
    worker = member("worker", organization)
    client.force_login(worker)
    assert publish_title(client, organization, "Food Partners (edited)").status_code == 302
    assert OrganizationPage.objects.get(pk=organization.pk).title == "Food Partners (edited)"

    client.force_login(admin)
    row = Membership.objects.get(user=worker)
    assert client.post(url("end", row.pk)).status_code == 302

    client.force_login(worker)
    refused = publish_title(client, OrganizationPage.objects.get(pk=organization.pk), "Hijacked")
    assert refused.status_code in (302, 403)
    live = OrganizationPage.objects.get(pk=organization.pk)
    assert live.title == "Food Partners (edited)"  # the live page is untouched
    assert not fresh(worker).groups.filter(name="Food Partners editors").exists()
    assert not live.permissions_for_user(fresh(worker)).can_publish()
    row.refresh_from_db()
    assert row.until is not None and not row.is_current
    assert row.history.count() == 2  # created, ended: the row and its past remain
    assert ModelLogEntry.objects.filter(action="steward.membership.end", user=admin).exists()


def test_a_membership_whose_end_date_passes_loses_its_rights_in_the_periodic_job():
    organization = OrganizationFactory(title="Legal Aid")
    worker = member("worker", organization)
    row = Membership.objects.get(user=worker)
    row.until = timezone.now() + dt.timedelta(hours=1)
    row.save()
    reconcile(user=worker)
    assert fresh(worker).groups.filter(name="Legal Aid editors").exists()

    later = timezone.now() + dt.timedelta(hours=2)
    assert "directory.memberships.reconcile" in {job.name for job in all_jobs()}
    outcomes = dict(run_due_jobs(now=later, force=True))

    assert outcomes["directory.memberships.reconcile"] == "ok"
    assert not fresh(worker).groups.filter(name="Legal Aid editors").exists()
    assert not Membership.objects.current(now=later).filter(user=worker).exists()


def test_making_and_unmaking_an_admin_follows_in_the_guardian_rights(client):
    organization = OrganizationFactory()
    admin = member("admin", organization, role="admin")
    worker = member("worker", organization)
    row = Membership.objects.get(user=worker)
    assert not can_manage_members(fresh(worker), organization)

    client.force_login(admin)
    client.post(url("role", row.pk), {"role": "admin"})
    assert Membership.objects.get(pk=row.pk).role == "admin"
    assert can_manage_members(fresh(worker), organization)
    assert can_register_domains(fresh(worker), organization)

    client.post(url("role", row.pk), {"role": "member"})
    assert not can_manage_members(fresh(worker), organization)
    bad = client.post(url("role", row.pk), {"role": "owner"}, follow=True)
    assert b"Choose a role" in bad.content
    assert Membership.objects.get(pk=row.pk).role == "member"
    roles = [h.role for h in Membership.history.filter(id=row.pk).order_by("history_date")]
    assert roles == ["member", "admin", "member"]
    logged = ModelLogEntry.objects.filter(action="steward.membership.role")
    assert [entry.data["membership"]["role"] for entry in logged.order_by("pk")] == [
        "admin",
        "member",
    ]


def test_a_claim_approved_by_a_moderator_makes_the_claimant_admin(client):
    placeholder = OrganizationFactory(title="Unknown organization (ilao)", needs_details=True)
    claimant = professional(username="claimant", confirmed=True)
    client.force_login(claimant)
    assert client.get(url("claim", placeholder.pk)).status_code == 200
    assert client.post(url("claim", placeholder.pk), {"note": "I run it"}).status_code == 302
    claim = MembershipRequest.objects.get(user=claimant)
    assert claim.kind == "claim"
    assert ModelLogEntry.objects.filter(action="steward.organization.claim").count() == 1

    client.force_login(moderator())
    assert client.post(url("approve", claim.pk)).status_code == 302
    row = Membership.objects.get(user=claimant, organization=placeholder)
    assert row.role == "admin"
    assert can_manage_members(fresh(claimant), placeholder)
    # Now it has an admin: nobody else can claim it.
    client.force_login(professional(username="latecomer", confirmed=True))
    assert_refused(client.get(url("claim", placeholder.pk)))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("gmail.com", b"public mail service"),
        ("not a domain", b"is not a domain name"),
        ("taken.example.org", b"registered by another organization"),
        ("", b"Enter a domain"),
    ],
)
def test_registering_a_bad_domain_is_refused_with_a_message(client, typed, message):
    organization = OrganizationFactory()
    OrganizationDomain.objects.create(
        organization=OrganizationFactory(), domain="taken.example.org"
    )
    client.force_login(member("admin", organization, role="admin"))
    response = client.post(url("add_domain", organization.pk), {"domain": typed}, follow=True)
    assert response.status_code == 200 and message in response.content
    assert not OrganizationDomain.objects.filter(organization=organization).exists()


def test_domains_are_registered_lowercased_and_removed_with_history(client):
    organization = OrganizationFactory()
    admin = member("admin", organization, role="admin")
    client.force_login(admin)
    client.post(url("add_domain", organization.pk), {"domain": " @Pilsen.Example.ORG "})
    domain = OrganizationDomain.objects.get(organization=organization)
    assert (domain.domain, domain.added_by) == ("pilsen.example.org", admin)
    client.post(url("remove_domain", domain.pk))
    assert not OrganizationDomain.objects.exists()
    kinds = list(
        OrganizationDomain.history.filter(id=domain.pk)
        .order_by("history_date")
        .values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-"]
    logged = ModelLogEntry.objects.order_by("pk").values_list("action", "data")
    assert [a for a, _ in logged if a.startswith("steward.domain")] == [
        "steward.domain.add",
        "steward.domain.remove",
    ]


def test_one_history_row_per_change_on_the_membership_models():
    organization = OrganizationFactory()
    user = professional(username="worker", confirmed=True)
    request = actions.request_membership(user=user, organization=organization)
    assert MembershipRequest.history.filter(id=request.pk).count() == 1
    actions.approve_request(membership_request=request, by=moderator())
    assert MembershipRequest.history.filter(id=request.pk).count() == 2
    row = Membership.objects.get(user=user)
    assert row.history.count() == 1
    actions.set_role(membership=row, role="admin", by=moderator("moderator2"))
    assert row.history.count() == 2
    actions.choose_acting_organization(user=user, organization=organization)
    profile = Professional.objects.get(user=user)
    assert profile.history.count() == 2  # created, then the acting organization chosen
    actions.choose_acting_organization(user=user, organization=organization)
    assert profile.history.count() == 2  # choosing the same again writes nothing


def test_the_acting_organization_is_chosen_in_the_session_and_kept_on_the_profile(client):
    first, second = OrganizationFactory(title="First"), OrganizationFactory(title="Second")
    user = member("worker", first)
    actions.start_membership(user=user, organization=second)
    client.force_login(user)
    page = client.get(url("mine"))
    assert b"data-acting-organization>First<" in page.content

    client.post(url("act"), {"organization": second.pk})

    assert client.session[ACTING_ORGANIZATION_SESSION_KEY] == second.pk
    assert Professional.objects.get(user=user).acting_organization == second
    assert acting_organization(user) == second  # no session: the profile's choice
    outsider = OrganizationFactory()
    refused = client.post(url("act"), {"organization": outsider.pk})
    assert refused.status_code == 400
    assert Professional.objects.get(user=user).acting_organization == second


def test_every_admin_revision_records_the_organization_acted_for(client):
    organization = OrganizationFactory(title="Food Partners")
    service = make_service(organization=organization)
    other = OrganizationFactory(title="Other")
    user = member("worker", organization)
    actions.start_membership(user=user, organization=other)
    client.force_login(user)
    client.post(url("act"), {"organization": organization.pk})

    publish_title(client, organization, "Food Partners (new)")
    location = LocationFactory(organization=organization)
    location.save_revision()
    group = Group.objects.get(name="Food Partners editors")
    group.permissions.add(Permission.objects.get(codename="change_location"))
    response = client.post(
        f"/admin/snippets/directory/location/edit/{location.pk}/",
        nested_form_data(
            {
                "organization": organization.pk,
                "name": "New name",
                "country": "US",
                "timezone": "America/Chicago",
                "phones": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
                "hours": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
            }
        ),
    )
    assert response.status_code == 302, response.content[:2000]

    page_revision = OrganizationPage.objects.get(pk=organization.pk).latest_revision
    location.refresh_from_db()
    for revision in (page_revision, location.latest_revision):
        row = RevisionOrganization.objects.get(revision=revision)
        assert (row.organization, row.user) == (organization, user)
    assert service.latest_revision_id not in set(
        RevisionOrganization.objects.values_list("revision_id", flat=True)
    )


def test_the_admins_are_told_of_a_request_and_the_member_of_the_approval(
    client, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.STEWARD = {**settings.STEWARD, "PUBLIC_URL": "https://help.example.org"}
    organization = OrganizationFactory(title="Pilsen Health")
    admin = member("admin", organization, role="admin")
    admin.email = "admin@pilsen.example.org"
    admin.save()
    applicant = professional(
        username="applicant", confirmed=True, first_name="Ana", last_name="Lopez"
    )
    applicant.email = "ana@example.org"
    applicant.save()

    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("join"), {"organization": organization.pk, "note": "Nurse"})
    (told,) = mail.outbox
    assert told.to == ["admin@pilsen.example.org"]
    assert "Ana Lopez asks to join Pilsen Health" in told.subject
    assert f"https://help.example.org{url('members', organization.pk)}" in told.body

    request = MembershipRequest.objects.get(user=applicant)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("approve", request.pk))
    approved = mail.outbox[-1]
    assert approved.to == ["ana@example.org"]
    assert approved.subject == "You are now a member of Pilsen Health"
    assert "https://help.example.org/admin/" in approved.body
    assert "localhost" not in told.body + approved.body
