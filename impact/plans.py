"""Saved plans: a person's list of services behind a private link, no account."""

from django.db import IntegrityError, transaction

from directory.ids import parse_id
from directory.models import ServicePage
from impact import tokens
from impact.counts import increment
from impact.models import Plan, PlanItem

PLAN_COOKIE = "steward_plan"
MAX_ITEMS = 50


class PlanFull(ValueError):
    pass


def find_plan(token):
    if not tokens.looks_like_token(token):
        return None
    return Plan.objects.filter(token_hash=tokens.digest(token, tokens.PLAN)).first()


def create_plan():
    """A new empty plan and its token (the token is never stored)."""
    token = tokens.new_token()
    plan = Plan.objects.create(token_hash=tokens.digest(token, tokens.PLAN))
    return plan, token


def save_to_plan(*, plan, service):
    """Add a service to the plan (once); counts a "save" for the listing.

    Returns True when it was added, False when it was already there.
    """
    if plan.items.count() >= MAX_ITEMS:
        raise PlanFull(f"A plan holds up to {MAX_ITEMS} services. Remove one to add another.")
    try:
        with transaction.atomic():
            PlanItem.objects.create(plan=plan, service=service)
    except IntegrityError:
        return False
    plan.save(update_fields=["updated_at"])
    increment(service.pk, "save")
    return True


def remove_from_plan(*, plan, service_id):
    deleted, _ = PlanItem.objects.filter(plan=plan, service_id=service_id).delete()
    return bool(deleted)


def saveable_service(service_id):
    """The live, public service with this id, or None."""
    service_id = parse_id(service_id)
    if service_id is None:
        return None
    return ServicePage.objects.listed().filter(pk=service_id).first()
