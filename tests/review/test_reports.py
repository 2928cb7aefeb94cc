"""Report a problem: anyone may, nothing identifies an anonymous reporter, and a
reviewer upholds or declines it."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from review.models import Report
from review.queue import actions
from tests.factories import UserFactory, make_service

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (Linux; Android 10) test"


def report_url(service):
    return f"/report/{service.pk}/"


def post_report(client, service, *, ip="203.0.113.9", **data):
    payload = {"reason": "wrong_phone", "note": "", "website": "", **data}
    return client.post(report_url(service), payload, REMOTE_ADDR=ip, HTTP_USER_AGENT=UA)


class TestTheReportForm:
    def test_every_service_page_links_to_the_form(self, client):
        service = make_service()
        html = client.get(service.get_url()).content.decode()
        assert f'href="/report/{service.pk}/"' in html
        assert "Report a problem" in html

    def test_the_form_shows_the_reasons_and_a_hidden_honeypot(
        self, client, django_assert_max_num_queries
    ):
        service = make_service(title="Night shelter")
        with django_assert_max_num_queries(8):
            response = client.get(report_url(service))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Night shelter" in html
        for reason in (
            "wrong_phone",
            "wrong_hours",
            "wrong_address",
            "closed",
            "eligibility_wrong",
            "other",
        ):
            assert f'value="{reason}"' in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert 'class="report-website" aria-hidden="true"' in html

    def test_an_anonymous_report_is_saved_without_the_address_and_thanked(self, client):
        service = make_service()
        response = post_report(
            client, service, ip="198.51.100.77", note="  The number is 312-555-0199  "
        )
        assert response.status_code == 302
        assert response["Location"] == f"/report/{service.pk}/thanks/"
        report = Report.objects.get()
        assert (report.page_id, report.reason, report.source) == (
            service.pk,
            "wrong_phone",
            "public",
        )
        assert report.note == "The number is 312-555-0199"
        assert report.user is None and report.organization is None
        assert len(report.client_key) == 64
        stored = " ".join(str(v) for v in Report.objects.values().get().values())
        assert "198.51.100.77" not in stored
        assert "198.51.100.77" not in " ".join(
            str(v) for v in Report.history.values().get().values()
        )
        thanks = client.get(response["Location"])
        assert "Thank you" in thanks.content.decode()

    def test_the_client_key_is_the_same_all_day_and_differs_between_clients(self, client):
        service = make_service()
        post_report(client, service, ip="198.51.100.1")
        post_report(client, service, ip="198.51.100.1")
        post_report(client, service, ip="198.51.100.2")
        keys = list(Report.objects.order_by("pk").values_list("client_key", flat=True))
        assert keys[0] == keys[1] != keys[2]

    def test_a_signed_in_member_reports_for_their_organization(self, client, make_member):
        service = make_service()
        from tests.factories import OrganizationFactory

        other_org = OrganizationFactory(title="Legal Aid North")
        member = make_member(other_org)
        client.force_login(member)
        post_report(client, service, reason="wrong_hours")
        report = Report.objects.get()
        assert (report.user, report.organization, report.source) == (
            member,
            other_org.page_ptr.specific,
            "member",
        )

    def test_the_honeypot_thanks_a_bot_and_saves_nothing(self, client):
        service = make_service()
        response = post_report(client, service, website="http://spam.example")
        assert response.status_code == 302
        assert not Report.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"reason": "wrong_colour"}, "Choose one of the problems listed."),
            ({"reason": ""}, "Choose what is wrong with this listing."),
            ({"reason": "no_answer"}, "Choose one of the problems listed."),
            ({"note": "x" * 1001}, "Please keep the note under 1000 characters."),
        ],
    )
    def test_bad_input_gets_a_clear_message_and_saves_nothing(self, client, data, message):
        service = make_service()
        response = post_report(client, service, **data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Report.objects.exists()
        assert not PageLogEntry.objects.filter(action="steward.report").exists()

    def test_a_post_without_the_csrf_token_is_refused(self):
        from django.test import Client

        service = make_service()
        response = post_report(Client(enforce_csrf_checks=True), service)
        assert response.status_code == 403
        assert not Report.objects.exists()

    def test_anonymous_clients_may_send_five_reports_an_hour(self, client):
        service = make_service()
        for _ in range(5):
            assert post_report(client, service, ip="192.0.2.5").status_code == 302
        refused = post_report(client, service, ip="192.0.2.5")
        assert refused.status_code == 429
        assert "several reports in the last hour" in refused.content.decode()
        assert Report.objects.count() == 5
        # Another client is not held back.
        assert post_report(client, service, ip="192.0.2.6").status_code == 302

    def test_an_unpublished_or_unknown_listing_has_no_form(self, client):
        service = make_service()
        service.unpublish()
        assert client.get(report_url(service)).status_code == 404
        assert client.post(report_url(service), {"reason": "closed"}).status_code == 404
        assert client.get("/report/999999/").status_code == 404

    def test_the_audit_log_carries_the_reason_category_only(self, client, make_member):
        service = make_service()
        from tests.factories import OrganizationFactory

        member = make_member(OrganizationFactory())
        client.force_login(member)
        post_report(client, service, reason="closed", note="Secret: call Maria at home")
        entry = PageLogEntry.objects.get(action="steward.report")
        assert entry.page_id == service.pk
        assert entry.data == {"reason": "closed"}
        assert entry.user is None


class TestReportProblemAction:
    def test_outcome_reports_take_the_outcome_reasons(self):
        service = make_service()
        report = actions.report_problem(service=service, reason="no_answer", source="outcome")
        assert (report.reason, report.source) == ("no_answer", "outcome")
        with pytest.raises(ValidationError):
            actions.report_problem(service=service, reason="wrong_phone", source="outcome")
        with pytest.raises(ValidationError):
            actions.report_problem(service=service, reason="no_answer", source="public")

    def test_no_one_reports_for_an_organization_they_do_not_belong_to(self):
        from tests.factories import OrganizationFactory

        with pytest.raises(PermissionDenied):
            actions.report_problem(
                service=make_service(),
                reason="closed",
                user=UserFactory(),
                organization=OrganizationFactory(),
            )
        assert not Report.objects.exists()


class TestResolvingAReport:
    def test_a_reviewer_upholds_a_report_and_it_is_logged(self, reviewer):
        service = make_service()
        report = actions.report_problem(service=service, reason="closed", note="Shut in May")
        now = timezone.now()
        actions.resolve_report(
            report=report, reviewer=reviewer, upheld=True, note="Confirmed by phone", now=now
        )
        report.refresh_from_db()
        assert (report.status, report.resolved_by, report.resolved_at) == ("upheld", reviewer, now)
        assert report.resolution_note == "Confirmed by phone"
        entry = PageLogEntry.objects.get(action="steward.report.uphold")
        assert entry.user == reviewer and entry.data["reason"] == "closed"
        assert report.history.count() == 2

    def test_a_declined_report_cannot_be_resolved_again(self, reviewer):
        report = actions.report_problem(service=make_service(), reason="other")
        actions.resolve_report(report=report, reviewer=reviewer, upheld=False)
        with pytest.raises(ValidationError, match="already declined"):
            actions.resolve_report(report=report, reviewer=reviewer, upheld=True)
        assert PageLogEntry.objects.filter(action__startswith="steward.report.").count() == 1

    def test_newcomers_and_the_listings_own_members_may_not_resolve(
        self, plain_professional, make_member, points
    ):
        service = make_service()
        report = actions.report_problem(service=service, reason="closed")
        own = points(make_member(service.get_parent().specific), 900)
        for user in (plain_professional, own):
            with pytest.raises(PermissionDenied):
                actions.resolve_report(report=report, reviewer=user, upheld=True)
        report.refresh_from_db()
        assert report.is_open

    def test_a_moderator_may_resolve_on_any_listing_but_not_their_own_report(
        self, moderator, make_member
    ):
        service = make_service()
        moderator_report = actions.report_problem(service=service, reason="closed", user=moderator)
        with pytest.raises(PermissionDenied):
            actions.resolve_report(report=moderator_report, reviewer=moderator, upheld=True)
        other = actions.report_problem(service=service, reason="wrong_hours")
        actions.resolve_report(report=other, reviewer=moderator, upheld=False)
        assert Report.objects.get(pk=other.pk).status == "declined"

    def test_a_reviewers_daily_cap_stops_the_21st_decision(self, reviewer):
        service = make_service()
        now = timezone.now()
        reports = [
            actions.report_problem(service=service, reason="other", now=now) for _ in range(21)
        ]
        for report in reports[:20]:
            actions.resolve_report(report=report, reviewer=reviewer, upheld=False, now=now)
        from review.moderation.decisions import DailyCapReached

        with pytest.raises(DailyCapReached, match="daily limit"):
            actions.resolve_report(report=reports[20], reviewer=reviewer, upheld=False, now=now)
        assert Report.objects.get(pk=reports[20].pk).is_open
        # Tomorrow is another day.
        actions.resolve_report(
            report=reports[20], reviewer=reviewer, upheld=False, now=now + dt.timedelta(days=1)
        )


class TestReputationOfReporters:
    def test_an_upheld_report_earns_two_points_and_a_declined_one_costs_one(
        self, reviewer, make_member
    ):
        from review.models import LedgerEvent
        from review.trust.standing import standing_for
        from tests.factories import OrganizationFactory

        reporter = make_member(OrganizationFactory())
        service = make_service()
        upheld = actions.report_problem(service=service, reason="closed", user=reporter)
        declined = actions.report_problem(service=service, reason="other", user=reporter)
        actions.resolve_report(report=upheld, reviewer=reviewer, upheld=True)
        assert standing_for(reporter).points == 3  # the floor of 1, +2
        actions.resolve_report(report=declined, reviewer=reviewer, upheld=False)
        assert standing_for(reporter).points == 2
        kinds = list(LedgerEvent.objects.filter(user=reporter).values_list("kind", "points"))
        assert sorted(kinds) == [("report_declined", -1), ("report_upheld", 2)]

    def test_anonymous_reporters_have_no_ledger(self, reviewer):
        from review.models import LedgerEvent

        report = actions.report_problem(service=make_service(), reason="closed")
        before = LedgerEvent.objects.count()
        actions.resolve_report(report=report, reviewer=reviewer, upheld=True)
        assert LedgerEvent.objects.count() == before


def test_an_upheld_report_costs_the_recent_verifiers_of_that_value(reviewer):
    from review.trust.actions import verify_service
    from review.trust.standing import standing_for
    from tests.factories import OrganizationFactory
    from tests.roles import professional

    service = make_service()
    checker = professional(OrganizationFactory())
    verify_service(service=service, user=checker, fields=["phone"])
    before = standing_for(checker).points
    report = actions.report_problem(service=service, reason="wrong_hours")
    actions.resolve_report(report=report, reviewer=reviewer, upheld=True)
    assert standing_for(checker).points == before  # hours were not what they verified
    report = actions.report_problem(service=service, reason="wrong_phone")
    actions.resolve_report(report=report, reviewer=reviewer, upheld=True)
    assert standing_for(checker).bad == 1


class TestASingleReportReachesAReviewer:
    """Issue 11: the form promises "a local reviewer checks every report"."""

    def test_one_anonymous_report_is_in_the_queue_with_its_note_for_reviewers_only(
        self, client, moderator
    ):
        from django.test import Client

        service = make_service(title="Lakeside pantry")
        post_report(client, service, reason="closed", note="Door was chained on Tuesday")
        moderator_client = Client()
        moderator_client.force_login(moderator)
        queue = moderator_client.get("/admin/review-queue/").content.decode()
        assert "Lakeside pantry" in queue
        assert "Someone reported a problem." in queue
        from review.models import ReviewItem

        item = ReviewItem.objects.open().get(page=service, kind="disputed")
        page = moderator_client.get(f"/admin/review-queue/{item.pk}/").content.decode()
        assert "Door was chained on Tuesday" in page
        # The outcome's comment (the reviewer's note) too, and never the public.
        report = Report.objects.get()
        moderator_client.post(
            f"/admin/review-queue/{item.pk}/act/",
            {"action": "decline", "report": report.pk, "note": "Called: open as usual"},
        )
        assert (
            "Called: open as usual"
            in moderator_client.get(f"/admin/review-queue/{item.pk}/").content.decode()
        )
        item.refresh_from_db()
        assert item.status == "resolved"  # closed at once: its only report was decided
        for url in (service.url, f"/history/{service.pk}/"):
            public = Client().get(url)
            html = public.content.decode()
            assert public.status_code == 200, url
            assert "Door was chained" not in html and "Called: open as usual" not in html

    def test_rate_limits_stay(self, client):
        service = make_service()
        for _ in range(5):
            post_report(client, service)
        post_report(client, service)
        assert Report.objects.count() == 5
