"""Review test helpers: professionals by role, the editing tests' world and
editor form data, and the reports and queue tests' fixtures."""

import datetime as dt
from types import SimpleNamespace
from unittest import mock

from django.contrib.auth.models import Group, Permission

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from directory.models import Membership
from review import privileges
from review.standing import Standing, newcomer
from tests.factories import OrganizationFactory, UserFactory, make_service, membership
from tests.review.roles import (  # noqa: F401 - fixtures of the reports and queue tests
    _fresh_cache,
    make_member,
    moderator,
    plain_professional,
    points,
    reviewer,
)

LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _group(name):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def professional(who=None, *organizations, role=Membership.Role.MEMBER, **fields):
    """A signed-in professional (admin access), member of the organizations given.

    Called as professional("username", org, ...) by the editing tests and as
    professional(org, **user fields) by the trust tests.
    """
    if isinstance(who, str):
        fields.setdefault("username", who)
        fields.setdefault("first_name", who.capitalize())
    elif who is not None:
        organizations = (who, *organizations)
    user = UserFactory(**fields)
    user.groups.add(_group("Professionals"))
    for organization in organizations:
        # Members since long before the test clocks, so "current" holds at any `now`.
        membership(user, organization, role=role, since=LONG_AGO)
    return user


@pytest.fixture
def make_professional(db):
    def make(organization=None, **fields):
        return professional(organization, **fields)

    return make


@pytest.fixture
def other_org(db):
    return OrganizationFactory(title="Northside Legal Aid")


PRIVILEGED = "privileged"


def standing_of(user):
    if user.username == PRIVILEGED:
        return Standing(points=1000, good=40, bad=0)
    if user.username.startswith("reviewer"):
        return Standing(points=600, good=0, bad=0)
    return newcomer()


@pytest.fixture
def world(db):
    """Two organizations with a service each, and one user per role."""
    with mock.patch.object(privileges, "standing_for", side_effect=standing_of):
        org_a = OrganizationFactory(title="Alpha Aid")
        org_b = OrganizationFactory(title="Beta Help")
        org_c = OrganizationFactory(title="Gamma Care")
        org_d = OrganizationFactory(title="Delta Works")
        service_a = make_service(organization=org_a, title="Alpha pantry")
        service_b = make_service(organization=org_b, title="Beta shelter")
        moderator = professional("moderator")
        moderator.groups.add(_group("Moderators"))
        users = SimpleNamespace(
            outsider=professional("outsider"),
            member_a=professional("member_a", org_a),
            admin_a=professional("admin_a", org_a, role=Membership.Role.ADMIN),
            member_b=professional("member_b", org_b),
            privileged=professional(PRIVILEGED),
            moderator=moderator,
            superuser=UserFactory(username="root", is_superuser=True, is_staff=True),
            reviewer_c=professional("reviewer_c", org_c),
            reviewer_c2=professional("reviewer_c2", org_c),
            reviewer_d=professional("reviewer_d", org_d),
        )
        yield SimpleNamespace(
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
        "hours": inline_formset(hour_rows, initial=sum(1 for h in service.hours.all() if h.pk)),
        **fields,
    }
    return nested_form_data(data)


def latest(service):
    return type(service).objects.get(pk=service.pk).get_latest_revision_as_object()
