"""The scan: every trigger makes exactly one item, a second scan nothing, and an
item closes when its trigger no longer holds."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from wagtail import hooks
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

import pytest

from review.models import ReviewItem
from review.queue import actions
from review.queue import scan as queue
from review.queue.scan import Freshness, count_reversions, scan
from tests.factories import OrganizationFactory, category, make_service

pytestmark = pytest.mark.django_db

NOW = timezone.now() + dt.timedelta(
    hours=6
)  # after every revision the tests save, however slow the run


def submit_for_review(page, user=None):
    workflow = Workflow.objects.create(name=f"Review {page.pk}")
    task = GroupApprovalTask.objects.create(name=f"Approve {page.pk}")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    page.title = f"{page.title} (edited)"
    page.save_revision(user=user)
    return workflow.start(page, user)


def verified(service, *, days_ago, organization=None, fields=None):
    """A professional (of `organization`, or of a new one) verified the listing."""
    from review.trust.actions import verify_service
    from tests.roles import professional

    user = professional(organization or OrganizationFactory())
    verify_service(service=service, user=user, fields=fields, now=NOW - dt.timedelta(days=days_ago))
    return user


def fresh_service(**kwargs):
    service = make_service(**kwargs)
    verified(service, days_ago=0)
    return service


def aged_service(days, **kwargs):
    service = make_service(**kwargs)
    verified(service, days_ago=days)
    return service


def open_items(kind=None):
    items = ReviewItem.objects.open()
    return items.filter(kind=kind) if kind else items


def assert_one_item_then_nothing(kind, page):
    first = scan(now=NOW)
    assert [i.page_id for i in first.created if i.kind == kind] == [page.pk]
    second = scan(now=NOW)
    assert (second.created, second.closed, second.updated) == ([], [], 0)
    assert open_items(kind).count() == 1


def assert_open_at_once_then_scan_changes_nothing(kind, page):
    """A report opens or joins its listing's item when it is filed, not at the next scan."""
    assert list(open_items(kind).values_list("page_id", flat=True)) == [page.pk]
    again = scan(now=NOW)
    assert (again.created, again.closed) == ([], [])
    assert open_items(kind).count() == 1


def test_a_fresh_listing_with_nothing_reported_is_not_in_the_queue():
    fresh_service()
    result = scan(now=NOW)
    assert result.created == [] and not ReviewItem.objects.exists()


class TestPendingEdits:
    def test_an_edit_in_the_workflow_is_one_item_until_the_workflow_ends(self):
        service = fresh_service()
        state = submit_for_review(service)
        assert_one_item_then_nothing("pending_edit", service)
        item = open_items("pending_edit").get()
        assert item.data["workflow_state"] == state.pk
        assert service.get_latest_revision().pk in item.revision_ids

        state.cancel()
        # The workflow's end closes the item at once (review.apps), not at the next scan.
        item.refresh_from_db()
        assert item.status == "resolved" and item.resolved_by is None
        assert scan(now=NOW).closed == []


class TestStale:
    def test_a_listing_unverified_for_more_than_a_year_is_stale(self):
        service = aged_service(400)
        assert_one_item_then_nothing("stale", service)
        item = open_items("stale").get()
        assert "Last fully verified 400 days ago" in item.reason

    def test_a_listing_never_verified_is_stale(self):
        service = make_service()
        assert_one_item_then_nothing("stale", service)
        assert open_items("stale").get().reason == "Never fully verified."

    def test_a_key_field_below_half_freshness_is_stale_before_a_year(self):
        from django.conf import settings
        from django.test import override_settings

        from review.conf import TRUST_DEFAULTS

        steward = dict(settings.STEWARD)
        half_lives = {**TRUST_DEFAULTS["HALF_LIVES"], "hours": 180}
        steward["TRUST"] = {**steward.get("TRUST", {}), "HALF_LIVES": half_lives}
        with override_settings(STEWARD=steward):
            service = aged_service(200)
            assert_one_item_then_nothing("stale", service)
            reason = open_items("stale").get().reason
        assert "Hours due for checking (freshness 0.46)" in reason
        assert "Last fully verified" not in reason

    def test_a_stale_item_closes_once_the_listing_is_verified_again(self):
        service = aged_service(400)
        scan(now=NOW)
        verified(service, days_ago=0)
        assert len(scan(now=NOW).closed) == 1
        assert not open_items().exists()


class TestDisputed:
    def test_one_anonymous_report_alone_reaches_a_reviewer_marked_single(self):
        service = fresh_service()
        one = actions.report_problem(service=service, reason="wrong_phone", client_key="a" * 64)
        two = actions.report_problem(service=service, reason="wrong_hours", client_key="a" * 64)
        assert_open_at_once_then_scan_changes_nothing("disputed", service)
        item = open_items("disputed").get()
        assert item.report_ids == [one.pk, two.pk]
        assert item.data["single_anonymous"] is True
        assert item.reason == "Someone reported a problem."

    def test_a_single_anonymous_report_ranks_below_a_members_report(self, make_member):
        food = [category("102")]
        anonymous = fresh_service(title="Pantry A", categories=food)
        by_member = fresh_service(title="Pantry B", categories=food)
        actions.report_problem(service=anonymous, reason="closed", client_key="a" * 64, now=NOW)
        member = make_member(OrganizationFactory())
        actions.report_problem(service=by_member, reason="closed", user=member, now=NOW)
        scan(now=NOW)
        ranked = list(open_items("disputed").by_priority().values_list("page_id", flat=True))
        assert ranked == [by_member.pk, anonymous.pk]
        # 0.5 (disputed) · 0.5 (one anonymous report) · log2(2) · S(food) = 0.75
        assert open_items("disputed").get(page=anonymous).priority == 0.8
        assert open_items("disputed").get(page=by_member).priority == 1.5

    def test_reports_from_two_clients_are_a_dispute(self):
        service = fresh_service()
        one = actions.report_problem(service=service, reason="wrong_phone", client_key="a" * 64)
        two = actions.report_problem(service=service, reason="closed", client_key="b" * 64)
        assert_open_at_once_then_scan_changes_nothing("disputed", service)
        item = open_items("disputed").get()
        assert item.report_ids == [one.pk, two.pk]
        assert item.data == {"reasons": ["closed", "wrong_phone"], "single_anonymous": False}

    def test_a_report_from_a_member_of_any_organization_is_a_dispute(self, make_member):
        service = fresh_service()
        member = make_member(OrganizationFactory())
        actions.report_problem(service=service, reason="wrong_address", user=member)
        assert_open_at_once_then_scan_changes_nothing("disputed", service)

    @pytest.mark.parametrize("reason", ["closed", "no_answer", "not_eligible"])
    def test_an_outcome_report_is_a_dispute(self, reason):
        service = fresh_service()
        actions.report_problem(service=service, reason=reason, source="outcome")
        assert_open_at_once_then_scan_changes_nothing("disputed", service)

    def test_the_dispute_closes_when_its_reports_are_resolved(self, moderator):
        service = fresh_service()
        report = actions.report_problem(service=service, reason="closed", source="outcome")
        item = open_items("disputed").get()
        actions.resolve_report(report=report, reviewer=moderator, upheld=True)
        # Closed at once, credited to the reviewer; the scan finds nothing to do.
        item.refresh_from_db()
        assert (item.status, item.resolved_by) == ("resolved", moderator)
        assert scan(now=NOW).closed == []


class TestConflicts:
    def test_a_value_flipped_back_and_forth_twice_in_30_days_is_a_conflict(self):
        service = fresh_service(title="Open kitchen")
        for title in ("Closed kitchen", "Open kitchen", "Closed kitchen"):
            service.title = title
            service.save_revision().publish()
        assert_one_item_then_nothing("conflict", service)
        item = open_items("conflict").get()
        assert item.data["fields"] == ["name"]
        assert "name back and forth" in item.reason

    def test_one_revert_is_not_a_conflict(self):
        service = fresh_service(title="Open kitchen")
        for title in ("Closed kitchen", "Open kitchen"):
            service.title = title
            service.save_revision().publish()
        assert scan(now=NOW).created == []

    def test_flips_older_than_30_days_do_not_count(self):
        service = fresh_service(title="Open kitchen")
        for title in ("Closed kitchen", "Open kitchen", "Closed kitchen"):
            service.title = title
            service.save_revision().publish()
        assert scan(now=NOW + dt.timedelta(days=31)).created == []

    def test_a_pending_edit_against_another_organizations_recent_verification(self):
        from tests.roles import professional

        service = make_service(title="Open kitchen")
        checker = OrganizationFactory(title="Northside Legal Aid")
        verified(service, days_ago=10, organization=checker, fields=["name"])
        editor = professional(OrganizationFactory(title="Eastside Outreach"))
        submit_for_review(service, user=editor)  # renames it
        scan(now=NOW)
        item = open_items("conflict").get()
        assert item.page_id == service.pk
        assert item.data["fields"] == ["name"]
        assert "Northside Legal Aid verified in the last 90 days" in item.reason
        assert scan(now=NOW).created == []

    def test_a_pending_edit_against_the_editors_own_or_an_old_verification_is_no_conflict(self):
        from tests.roles import professional

        service = make_service(title="Open kitchen")
        own = OrganizationFactory(title="Eastside Outreach")
        verified(service, days_ago=10, organization=own, fields=["name"])
        verified(service, days_ago=120, fields=["name"])
        verified(service, days_ago=5, fields=["phone"])  # a field the edit leaves alone
        submit_for_review(service, user=professional(own))
        scan(now=NOW)
        assert not open_items("conflict").exists()

    def test_counting_reversions(self):
        assert count_reversions(list("ABAB")) == 2
        assert count_reversions(list("ABA")) == 1
        assert count_reversions(list("ABCD")) == 0
        assert count_reversions(list("AABBA")) == 1


class TestPriority:
    def test_the_design_examples_order_the_queue(self, monkeypatch):
        """DESIGN.md §4: F = 0.2, 1022 views, S = 1 → 8.0; crisis, F = 0.5, 30 views → 7.5."""
        busy = aged_service(400, title="Busy tax clinic")
        crisis = aged_service(400, title="Crisis line", categories=[category("101")])
        quiet = aged_service(400, title="Quiet pantry")
        freshness = {busy.pk: 0.2, crisis.pk: 0.5, quiet.pk: 0.9}

        def fake_freshness(page_ids, *, now):
            return {
                pk: Freshness(listing=freshness[pk], weakest_key_field=(0.1, "hours"))
                for pk in page_ids
            }

        def views(page_ids, since):
            assert since == NOW - dt.timedelta(days=30)
            return {busy.pk: 1022, crisis.pk: 30}

        monkeypatch.setattr(queue, "listing_freshness", fake_freshness)
        with hooks.register_temporarily("steward_listing_views", views):
            scan(now=NOW)
        ordered = [(i.page_id, i.priority) for i in ReviewItem.objects.open().by_priority()]
        assert ordered == [(busy.pk, 8.0), (crisis.pk, 7.5), (quiet.pk, pytest.approx(0.1))]

    def test_without_a_views_hook_views_count_as_zero_and_waiting_adds_up(self, monkeypatch):
        aged_service(400)
        scan(now=NOW)
        item = open_items("stale").get()
        first = item.priority
        scan(now=NOW + dt.timedelta(hours=50))
        item.refresh_from_db()
        assert item.priority == pytest.approx(first + 1.0, abs=0.11)

    def test_disputed_items_count_at_least_half_stale(self):
        service = fresh_service(title="Food shelf", categories=[category("102")])
        actions.report_problem(service=service, reason="closed", source="outcome", now=NOW)
        scan(now=NOW)
        # (1 − F ≥ 0.5) · log2(2 + 0) · S(food) = 0.5 · 1 · 3
        assert open_items("disputed").get().priority == 1.5


def test_review_scan_command_prints_what_it_did(capsys):
    service = aged_service(400, title="Warm meals")
    call_command("review_scan")
    out = capsys.readouterr().out
    assert f"created  Stale        page {service.pk}" in out
    assert "1 created, 0 closed" in out


def test_the_scan_is_a_periodic_job_every_15_minutes():
    from steward.periodic import all_jobs, run_due_jobs

    job = next(j for j in all_jobs() if j.name == "review.scan")
    assert job.every == dt.timedelta(minutes=15)
    aged_service(400)
    outcomes = dict(run_due_jobs(now=timezone.now(), jobs=[job]))
    assert outcomes == {"review.scan": "ok"}
    assert open_items("stale").count() == 1


def test_a_resolved_dispute_stays_resolved_until_new_evidence(moderator):
    from review.queue.actions import resolve_item

    service = fresh_service()
    actions.report_problem(
        service=service, reason="closed", source="outcome", now=NOW - dt.timedelta(hours=1)
    )
    scan(now=NOW)
    item = open_items("disputed").get()
    resolve_item(item=item, reviewer=moderator, resolution="Called them: open as usual.", now=NOW)
    assert scan(now=NOW).created == []
    actions.report_problem(
        service=service, reason="no_answer", source="outcome", now=NOW + dt.timedelta(hours=1)
    )
    assert open_items("disputed").count() == 1  # the new report opened it at once
    assert scan(now=NOW + dt.timedelta(hours=2)).created == []
