"""Roles and editor helpers for the editing tests (issue 3, "Editing as a wiki"). Its
`world` fixture is offered to every review test through conftest."""

from types import SimpleNamespace

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from directory.models import Membership
from tests.factories import OrganizationFactory, make_service
from tests.roles import give_points, professional, superuser
from tests.roles import moderator as moderator_user

PRIVILEGED = "privileged"


@pytest.fixture
def world(db):
    """Two organizations with a service each, and one user per role."""
    return make_world()


def make_world():
    """The editing tests' world (the `world` fixture); read-only modules build it
    once (tests.once.built_once)."""
    org_a = OrganizationFactory(title="Alpha Aid")
    org_b = OrganizationFactory(title="Beta Help")
    org_c = OrganizationFactory(title="Gamma Care")
    org_d = OrganizationFactory(title="Delta Works")
    service_a = make_service(organization=org_a, title="Alpha pantry")
    service_b = make_service(organization=org_b, title="Beta shelter")
    moderator = moderator_user("moderator", first_name="Moderator")
    users = SimpleNamespace(
        outsider=professional(username="outsider", first_name="Outsider"),
        member_a=professional(org_a, username="member_a", first_name="Member_a"),
        admin_a=professional(
            org_a, role=Membership.Role.ADMIN, username="admin_a", first_name="Admin_a"
        ),
        member_b=professional(org_b, username="member_b", first_name="Member_b"),
        privileged=professional(username=PRIVILEGED, first_name="Privileged"),
        moderator=moderator,
        superuser=superuser(),
        reviewer_c=professional(org_c, username="reviewer_c", first_name="Reviewer_c"),
        reviewer_c2=professional(org_c, username="reviewer_c2", first_name="Reviewer_c2"),
        reviewer_d=professional(org_d, username="reviewer_d", first_name="Reviewer_d"),
    )
    # Reputation from the real ledger (tests.roles.give_points), never patched:
    # the privileged user publishes anywhere, the reviewers review.
    give_points(users.privileged, 1000)
    for reviewer in (users.reviewer_c, users.reviewer_c2, users.reviewer_d):
        give_points(reviewer, 600)
    return SimpleNamespace(
        org_a=org_a,
        org_b=org_b,
        org_c=org_c,
        org_d=org_d,
        service_a=service_a,
        service_b=service_b,
        users=users,
    )


def _rows(children, fields):
    return [{"id": child.pk or "", **{f: getattr(child, f) for f in fields}} for child in children]


def service_form(service, *, phones=None, **fields):
    """The editor's POST data for `service` as it stands (live or a draft object);
    `phones` replaces its phone numbers."""
    phone_rows = _rows(service.phones.all(), ("number", "type"))
    if phones is not None:
        phone_rows = [{**row, "DELETE": "1"} for row in phone_rows if row["id"]] + [
            {"number": number, "type": "voice"} for number in phones
        ]
    existing = sum(1 for child in service.phones.all() if child.pk)
    hour_rows = [
        {
            "id": h.pk or "",
            "weekday": h.weekday,
            "opens_at": h.opens_at.strftime("%H:%M") if h.opens_at else "",
            "closes_at": h.closes_at.strftime("%H:%M") if h.closes_at else "",
            "location": h.location_id or "",
        }
        for h in service.hours.all()
    ]
    links = list(service.service_at_locations.all())
    data = {
        "title": service.title,
        "slug": service.slug,
        "status": service.status,
        "description": service.description,
        "alert": service.alert,
        "eligibility_description": service.eligibility_description,
        "website": service.website,
        "email": service.email,
        "service_at_locations": inline_formset(
            [{"id": link.pk or "", "location": link.location_id} for link in links],
            initial=sum(1 for link in links if link.pk),
        ),
        "phones": inline_formset(phone_rows, initial=existing),
        "additional_urls": inline_formset([]),
        "hours": inline_formset(hour_rows, initial=sum(1 for h in service.hours.all() if h.pk)),
        **fields,
    }
    return nested_form_data(data)


def latest(service):
    return type(service).objects.get(pk=service.pk).get_latest_revision_as_object()
