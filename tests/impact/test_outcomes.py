"""Did you get help? Answers from plans and follow-up links, forwarded to review."""

import datetime as dt
from unittest import mock

from django.test import override_settings
from django.utils import timezone

import pytest

from impact.models import Outcome, Reason, Result, Source
from impact.outcomes import OutcomeError, forward_to_review, record_outcome
from tests.impact.conftest import BROWSER, make_plan, make_referral

pytestmark = pytest.mark.django_db


def answer(client, token, service, **data):
    return client.post(
        f"/plan/{token}/outcome/",
        {"service": service.pk, **data},
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="203.0.113.7",
    )


def test_a_person_says_they_got_help_from_their_plan(client, service):
    plan, token = make_plan(service)
    response = answer(client, token, service, result="got_help", comment="Kind staff")
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.result, outcome.reason, outcome.source) == ("got_help", "", "plan")
    assert outcome.plan == plan and outcome.comment == "Kind staff"
    page = client.get(f"/plan/{token}/").content.decode()
    assert "You said:" in page and "Yes, I got help" in page


def test_couldnt_get_help_needs_a_reason(client, service):
    _, token = make_plan(service)
    response = answer(client, token, service, result="could_not")
    assert response.status_code == 400
    assert "Tell us why you couldn’t get help." in response.content.decode()
    assert not Outcome.objects.exists()


def test_answering_again_changes_the_answer_and_history_keeps_the_first(client, service):
    _, token = make_plan(service)
    answer(client, token, service, result="did_not_try")
    answer(client, token, service, result="got_help")
    outcome = Outcome.objects.get()
    assert outcome.result == "got_help"
    assert [h.result for h in outcome.history.order_by("history_date")] == [
        "did_not_try",
        "got_help",
    ]


def test_the_comment_is_length_limited(client, service):
    _, token = make_plan(service)
    response = answer(client, token, service, result="got_help", comment="x" * 501)
    assert response.status_code == 400
    assert not Outcome.objects.exists()


def test_an_outcome_stores_no_personal_data(client, service):
    _, token = make_plan(service)
    answer(client, token, service, result="could_not", reason="cost")
    outcome = Outcome.objects.get()
    stored = {f.name for f in Outcome._meta.get_fields()}
    assert not stored & {"ip", "ip_address", "user_agent", "email", "phone", "name", "user"}
    values = " ".join(str(v) for v in outcome.__dict__.values())
    assert "203.0.113.7" not in values and "Mozilla" not in values
    history = outcome.history.get()
    assert history.history_user is None
    assert "203.0.113.7" not in " ".join(str(v) for v in history.__dict__.values())


@override_settings(STEWARD={"RATE_LIMITS": {"outcome": (3, 3600)}})
def test_answers_are_rate_limited_per_client(client, organization):
    from tests.factories import make_service

    services = [make_service(organization=organization) for _ in range(4)]
    _, token = make_plan(*services)
    for service in services[:3]:
        assert answer(client, token, service, result="got_help").status_code == 302
    answer(client, token, services[3], result="got_help")
    assert Outcome.objects.count() == 3
    # Another client is not limited by the first one's answers.
    other = client.post(
        f"/plan/{token}/outcome/",
        {"service": services[3].pk, "result": "got_help"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert other.status_code == 302
    assert Outcome.objects.count() == 4


def test_the_rate_limit_cache_keys_hold_no_address(client, service):
    from django.core.cache import cache

    _, token = make_plan(service)
    answer(client, token, service, result="got_help")
    keys = list(cache._cache.keys())
    assert keys and not any("203.0.113.7" in key for key in keys)


def test_only_a_plans_own_services_can_be_answered(client, service, organization):
    from tests.factories import make_service

    other = make_service(organization=organization)
    _, token = make_plan(service)
    assert answer(client, token, other, result="got_help").status_code == 400
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("reason", ["closed", "no_answer", "not_eligible"])
def test_closed_no_answer_and_not_eligible_go_to_the_review_queue(service, reason):
    plan, _ = make_plan(service)
    with mock.patch("impact.outcomes.forward_to_review", return_value=object()) as forward:
        outcome = record_outcome(
            service=service, plan=plan, result="could_not", reason=reason, source=Source.PLAN
        )
    forward.assert_called_once()
    assert forward.call_args.args[0] == outcome
    assert outcome.forwarded_at is not None


@pytest.mark.parametrize("reason", ["waitlist", "cost", "too_far", "other"])
def test_other_reasons_are_counted_but_not_reported(service, reason):
    plan, _ = make_plan(service)
    with mock.patch("impact.outcomes.forward_to_review") as forward:
        record_outcome(
            service=service, plan=plan, result="could_not", reason=reason, source=Source.PLAN
        )
    forward.assert_not_called()


def test_the_same_answer_is_forwarded_once(service):
    plan, _ = make_plan(service)
    with mock.patch("impact.outcomes.forward_to_review", return_value=object()) as forward:
        for _ in range(2):
            record_outcome(
                service=service, plan=plan, result="could_not", reason="closed", source="plan"
            )
    assert forward.call_count == 1


def test_forward_to_review_files_an_outcome_report(service):
    plan, _ = make_plan(service)
    outcome = Outcome.objects.create(
        service=service,
        plan=plan,
        result=Result.COULD_NOT,
        reason=Reason.CLOSED,
        source=Source.PLAN,
        comment="Call me on 312 555 0199",
        created_at=timezone.now(),
    )
    report_problem = mock.Mock(return_value="report")
    fake = mock.Mock(report_problem=report_problem)
    with mock.patch.dict("sys.modules", {"review.queue.actions": fake}):
        assert forward_to_review(outcome, client_key="abc") == "report"
    kwargs = report_problem.call_args.kwargs
    assert kwargs["service"] == service
    assert kwargs["reason"] == "closed"
    assert kwargs["source"] == "outcome"
    # The person's free-text comment never leaves impact: it may hold personal data.
    assert "312" not in kwargs["note"]


def test_a_report_needs_a_plan_or_a_referral(service):
    with pytest.raises(ValueError):
        record_outcome(service=service, result="got_help", source="plan")
    with pytest.raises(OutcomeError):
        record_outcome(service=service, result="nope", source="plan", plan=make_plan(service)[0])


def test_a_client_answers_through_the_follow_up_link_without_an_account(
    client, service, professional
):
    referral, token = make_referral(professional, service, follow_up_on=dt.date.today())
    page = client.get(f"/followup/{token}/")
    assert page.status_code == 200
    assert "Did you get help?" in page.content.decode()
    response = client.post(f"/followup/{token}/", {"result": "got_help"})
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.referral, outcome.source, outcome.result) == (referral, "referral", "got_help")
    referral.refresh_from_db()
    assert referral.closed_at is not None


def test_a_plan_token_does_not_open_a_follow_up(client, service):
    _, token = make_plan(service)
    assert client.get(f"/followup/{token}/").status_code == 404
    assert client.post(f"/followup/{token}/", {"result": "got_help"}).status_code == 404
    assert not Outcome.objects.exists()


def test_bad_follow_up_input_gets_a_message(client, service, professional):
    _, token = make_referral(professional, service)
    response = client.post(f"/followup/{token}/", {"result": "could_not", "reason": "bogus"})
    assert response.status_code == 400
    assert not Outcome.objects.exists()


def test_follow_up_page_query_budget(client, service, professional, django_assert_max_num_queries):
    _, token = make_referral(professional, service)
    client.get(f"/followup/{token}/")
    with django_assert_max_num_queries(14):
        assert client.get(f"/followup/{token}/").status_code == 200


def test_a_closed_answer_becomes_an_outcome_report_in_the_review_queue(client, service):
    from review.models import Report

    _, token = make_plan(service)
    answer(client, token, service, result="could_not", reason="closed", comment="Tel 3125550199")
    report = Report.objects.get()
    assert (report.page_id, report.reason, report.source) == (service.pk, "closed", "outcome")
    assert "3125550199" not in report.note
    assert report.user is None
    assert "203.0.113.7" not in report.client_key
    assert Outcome.objects.get().forwarded_at is not None


def test_a_cost_answer_makes_no_report(client, service):
    from review.models import Report

    _, token = make_plan(service)
    answer(client, token, service, result="could_not", reason="cost")
    assert not Report.objects.exists()
