import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

import pytest

from impact import tokens
from impact.models import Outcome, Plan, PlanItem, Referral, Result, Source
from tests.factories import OrganizationFactory, UserFactory, make_service, membership

BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def role_group(name):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@pytest.fixture
def organization(db):
    return OrganizationFactory(title="Greater Chicago Food Partners")


@pytest.fixture
def service(organization):
    return make_service(organization=organization, title="Weekly groceries")


def _user(username, *groups):
    user = UserFactory(username=username)
    for name in groups:
        user.groups.add(role_group(name))
    return user


@pytest.fixture
def professional(organization):
    user = _user("pro", "Professionals")
    membership(user, organization)
    return user


@pytest.fixture
def other_professional(db):
    user = _user("pro2", "Professionals")
    membership(user, OrganizationFactory(title="Pilsen Neighbors"))
    return user


@pytest.fixture
def analyst(db):
    return _user("analyst", "Analysts")


@pytest.fixture
def moderator(db):
    return _user("mod", "Moderators")


def make_plan(*services):
    token = tokens.new_token()
    plan = Plan.objects.create(token_hash=tokens.digest(token, tokens.PLAN))
    for service in services:
        PlanItem.objects.create(plan=plan, service=service)
    return plan, token


def make_referral(professional, service, **fields):
    token = tokens.new_token()
    fields.setdefault("follow_up_on", dt.date.today())
    referral = Referral.objects.create(
        professional=professional,
        service=service,
        token_hash=tokens.digest(token, tokens.FOLLOW_UP),
        **fields,
    )
    return referral, token


def add_outcomes(service, result, n, *, at, reason=""):
    """n outcome reports (each from its own plan), created at `at`."""
    for _ in range(n):
        plan, _ = make_plan(service)
        Outcome.objects.create(
            service=service,
            plan=plan,
            result=result,
            reason=reason if result == Result.COULD_NOT else "",
            source=Source.PLAN,
            created_at=at,
        )
