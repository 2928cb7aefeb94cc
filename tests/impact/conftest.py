import datetime as dt

from django.core.cache import cache

import pytest

from impact import tokens
from impact.models import Outcome, Plan, PlanItem, Referral, Result, Source
from tests import roles
from tests.factories import OrganizationFactory, make_service

BROWSER = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organization(db):
    return OrganizationFactory(title="Greater Chicago Food Partners")


@pytest.fixture
def service(organization):
    return make_service(organization=organization, title="Weekly groceries")


@pytest.fixture
def professional(organization):
    return roles.professional(organization, username="pro")


@pytest.fixture
def other_professional(db):
    return roles.professional(OrganizationFactory(title="Pilsen Neighbors"), username="pro2")


@pytest.fixture
def analyst(db):
    return roles.analyst("analyst")


@pytest.fixture
def moderator(db):
    return roles.moderator("mod")


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
