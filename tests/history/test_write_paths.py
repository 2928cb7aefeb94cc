"""No write path skips history: every tracked model's changes leave one history row
per change, with the acting user where there is one; and no code writes tracked
models around simple-history (QuerySet.update, bulk_create, bulk_update, delete)."""

import ast
import contextlib
from pathlib import Path

from django.core.management import call_command
from django.test import RequestFactory

import pytest
from simple_history.models import HistoricalRecords, registered_models

from directory.accounts.actions import end_membership, set_role, start_membership
from directory.models import (
    Language,
    Membership,
    SourceRecord,
    Taxonomy,
    TaxonomyTerm,
)
from directory.taxonomy import load_open_eligibility
from review.models import ListingLock, MergeRecord
from review.moderation.locks import lock, unlock
from review.moderation.merge import merge_listings
from tests.factories import make_service

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
APPS = ("directory", "review", "history", "impact", "site")


@contextlib.contextmanager
def request_by(user):
    """What HistoryRequestMiddleware does for every request: the request's user is
    the acting user of every history row written meanwhile."""
    request = RequestFactory().post("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def rows(model):
    return list(model.history.order_by("history_date", "history_id"))


def tracked_names():
    return {model.__name__ for model in registered_models.values()}


def test_every_model_whose_changes_matter_is_tracked():
    expected = {
        "Membership",
        "MembershipRequest",
        "OrganizationDomain",
        "Professional",
        "TaxonomyTerm",
        "Taxonomy",
        "Language",
        "SourceRecord",
        "ListingLock",
        "MergeRecord",
        "Verification",
    }
    assert expected <= tracked_names()


def test_memberships_start_change_role_and_end_with_one_row_each(home, moderator):
    from tests.factories import OrganizationFactory, UserFactory

    organization = OrganizationFactory()
    user = UserFactory(username="newcomer")
    with request_by(moderator):
        membership = start_membership(user=user, organization=organization, by=moderator)
        set_role(membership=membership, role=Membership.Role.ADMIN, by=moderator)
        end_membership(membership=membership, by=moderator)
    history = list(membership.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~", "~"]
    assert {h.history_user_id for h in history} == {moderator.pk}
    assert history[-1].until is not None


def test_taxonomy_terms_and_languages_create_update_move_delete(home, moderator):
    with request_by(moderator):
        taxonomy = Taxonomy.objects.create(name="Local codes")
        parent = TaxonomyTerm.objects.create(taxonomy=taxonomy, name="Food")
        other = TaxonomyTerm.objects.create(taxonomy=taxonomy, name="Meals")
        child = TaxonomyTerm.objects.create(taxonomy=taxonomy, name="Pantry", parent=parent)
        child.name = "Food pantry"
        child.save()
        parent.parent = other  # a move re-saves the children, each through save()
        parent.save()
        language = Language.objects.create(code="xx", name="Test")
        language.name = "Testish"
        language.save()
        language.delete()
    assert [h.history_type for h in child.history.order_by("history_id")] == ["+", "~", "~"]
    assert [h.history_type for h in parent.history.order_by("history_id")] == ["+", "~"]
    assert [h.history_type for h in Language.history.filter(code="xx").order_by("history_id")] == [
        "+",
        "~",
        "-",
    ]
    assert set(
        TaxonomyTerm.history.filter(taxonomy=taxonomy).values_list("history_user", flat=True)
    ) == {moderator.pk}


def test_the_taxonomy_loader_writes_history_only_for_changes(home):
    before = TaxonomyTerm.history.count()
    load_open_eligibility(Taxonomy, TaxonomyTerm)
    assert TaxonomyTerm.history.count() == before
    term = TaxonomyTerm.objects.get(code="102")
    term.name = "Renamed"
    term.save()
    load_open_eligibility(Taxonomy, TaxonomyTerm)
    assert TaxonomyTerm.objects.get(code="102").name != "Renamed"
    assert TaxonomyTerm.history.count() == before + 2


def test_import_hsds_records_its_sources_once_and_a_reimport_adds_nothing(home):
    example = SHARED / "hsds-3.0" / "examples" / "service_full.json"
    if not example.exists():
        pytest.fail(f"{example} is missing")
    call_command("import_hsds", str(example), verbosity=0)
    records = SourceRecord.objects.count()
    assert records > 0
    first = SourceRecord.history.count()
    assert first >= records
    assert set(SourceRecord.history.values_list("history_type", flat=True)) <= {"+", "~"}
    call_command("import_hsds", str(example), verbosity=0)
    assert SourceRecord.history.count() == first


def test_locks_through_the_screens_record_the_moderator(client, service, moderator):
    client.force_login(moderator)
    response = client.post(f"/admin/steward/pages/{service.pk}/lock/", {"reason": "vandalism"})
    assert response.status_code == 302
    response = client.post(f"/admin/steward/pages/{service.pk}/unlock/")
    assert response.status_code == 302
    history = list(ListingLock.history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "-"]
    assert {h.history_user_id for h in history} == {moderator.pk}


def test_lock_verbs_and_merges_write_one_row_each(service, moderator, home):
    duplicate = make_service(
        title="Weekly groceries (copy)", organization=service.get_parent().specific
    )
    with request_by(moderator):
        lock(page=service, user=moderator, reason="vandalism")
        lock(page=service, user=moderator, reason="other", note="second thoughts")
        unlock(page=service, user=moderator)
        merge_listings(survivor=service, duplicate=duplicate, user=moderator)
    assert [h.history_type for h in ListingLock.history.order_by("history_id")] == ["+", "~", "-"]
    merged = list(MergeRecord.history.all())
    assert len(merged) == 1 and merged[0].history_user_id == moderator.pk


# --- the code itself ---------------------------------------------------------------------------

WRITES_AROUND_HISTORY = {"update", "bulk_create", "bulk_update", "delete"}
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update", "only", "order_by"}


def _chain(node):
    """Names along `Model.objects.filter(...).update` from the root to the call."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return list(reversed(names))
        else:
            return list(reversed(names))


def writes_around_history(source, tracked):
    """(line, code) of each QuerySet write on a tracked model in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES_AROUND_HISTORY:
            continue
        chain = _chain(node.func.value)
        if chain and chain[0] in tracked and QUERYSET_STEPS & set(chain[1:]):
            found.append((node.lineno, ".".join([*chain, node.func.attr])))
    return found


def test_the_scanner_finds_what_it_looks_for():
    tracked = {"Membership"}
    bad = "Membership.objects.filter(user=u).update(until=now)\nMembership.objects.bulk_create(x)"
    assert [code for _, code in writes_around_history(bad, tracked)] == [
        "Membership.objects.filter.update",
        "Membership.objects.bulk_create",
    ]
    good = "row.save()\nrow.delete()\nbulk_create_with_history(rows, Membership)"
    assert writes_around_history(good, tracked) == []


def test_no_code_writes_tracked_models_around_simple_history():
    tracked = tracked_names()
    offences = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, code in writes_around_history(path.read_text(encoding="utf-8"), tracked):
                offences.append(f"{path.relative_to(ROOT)}:{line}: {code}")
    assert offences == [], "Write through save()/delete() or simple_history's bulk helpers:\n" + (
        "\n".join(offences)
    )
