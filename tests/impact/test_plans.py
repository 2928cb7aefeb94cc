"""A person saves services to a plan without an account and comes back to it."""

import re

from django.test import override_settings

import pytest

from impact import tokens
from impact.models import DailyCount, Outcome, Plan, PlanItem
from impact.plans import MAX_ITEMS, PLAN_COOKIE
from tests.factories import make_service
from tests.impact.conftest import BROWSER, make_plan

pytestmark = pytest.mark.django_db


SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def save(client, service, **extra):
    headers = {**SAME_ORIGIN, **extra}
    return client.post("/plan/save/", {"service": service.pk}, HTTP_USER_AGENT=BROWSER, **headers)


def token_from(response):
    match = re.match(r"^/plan/([A-Za-z0-9_-]{43})/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def test_every_service_page_offers_save_to_my_plan_as_a_plain_form(client, service):
    html = client.get(service.url, HTTP_USER_AGENT=BROWSER).content.decode()
    assert '<form class="impact-save" method="post" action="/plan/save/">' in html
    assert f'name="service" value="{service.pk}"' in html


def test_saving_makes_a_plan_behind_a_private_link_and_stores_only_its_digest(client, service):
    response = save(client, service)
    assert response.status_code == 303
    token = token_from(response)
    plan = Plan.objects.get()
    assert plan.token_hash == tokens.digest(token, tokens.PLAN)
    assert token not in plan.token_hash
    assert list(plan.items.values_list("service_id", flat=True)) == [service.pk]
    cookie = response.cookies[PLAN_COOKIE]
    assert cookie.value == token
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert DailyCount.objects.get(page=service, kind="save").count == 1


def test_a_second_save_from_the_same_device_extends_the_same_plan(client, service, organization):
    other = make_service(organization=organization, title="Hot meals")
    token = token_from(save(client, service))
    assert token_from(save(client, other)) == token
    assert Plan.objects.count() == 1
    assert PlanItem.objects.count() == 2
    # Saving the same service again adds nothing.
    save(client, other)
    assert PlanItem.objects.count() == 2


def test_the_plan_page_lists_saved_services_with_phone_address_and_link_to_share(client, service):
    token = token_from(save(client, service))
    response = client.get(f"/plan/{token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Weekly groceries" in html
    assert 'href="tel:+13125550101"' in html
    assert "100 W Randolph St" in html
    assert f"http://testserver/plan/{token}/" in html
    assert "sms:?body=" in html and "mailto:?subject=" in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_plan_page_costs_a_fixed_number_of_queries(
    client, organization, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, one_token = make_plan(make_service(organization=organization, title="Only one"))
    services = [make_service(organization=organization, title=f"Service {n}") for n in range(6)]
    _, token = make_plan(*services)
    client.get(f"/plan/{one_token}/")  # warms Wagtail's site cache
    with CaptureQueriesContext(connection) as for_one:
        client.get(f"/plan/{one_token}/")
    with django_assert_max_num_queries(16):
        response = client.get(f"/plan/{token}/")
    with CaptureQueriesContext(connection) as for_six:
        client.get(f"/plan/{token}/")
    assert len(for_six) == len(for_one)
    assert response.content.decode().count('class="card impact-entry"') == 6


def test_a_wrong_or_malformed_token_is_a_404(client, service):
    make_plan(service)
    assert client.get(f"/plan/{tokens.new_token()}/").status_code == 404
    assert client.get("/plan/not-a-token/").status_code == 404


def test_a_follow_up_token_does_not_open_a_plan(client, service, professional):
    from tests.impact.conftest import make_referral

    _, token = make_referral(professional, service)
    assert client.get(f"/plan/{token}/").status_code == 404


def test_removing_a_service_takes_it_off_the_plan(client, service):
    plan, token = make_plan(service)
    response = client.post(f"/plan/{token}/remove/", {"service": service.pk})
    assert response.status_code == 302
    assert not plan.items.exists()


def test_bad_input_changes_nothing_and_never_fails(client, service):
    plan, token = make_plan(service)
    assert client.post(f"/plan/{token}/remove/", {"service": "abc"}).status_code == 400
    for absurd in ("abc", "999999", str(10**30), "-1", ""):
        response = client.post("/plan/save/", {"service": absurd}, **SAME_ORIGIN)
        assert response.status_code == 400, absurd
    assert client.post("/plan/save/", {}, **SAME_ORIGIN).status_code == 400
    assert client.get("/plan/save/").status_code == 405
    assert client.post(f"/plan/{token}/outcome/", {"service": "x"}).status_code == 400
    response = client.post(f"/plan/{token}/outcome/", {"service": service.pk, "result": "maybe"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert plan.items.count() == 1
    assert not Outcome.objects.exists()
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "", "HTTP_REFERER": "https://evil.example/page"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": ""},  # no token, no Origin, no Referer: refused
    ],
)
def test_a_cross_site_post_cannot_save_to_a_plan(client, service, headers):
    response = save(client, service, **headers)
    assert response.status_code == 403
    assert "did not come from a page of this site" in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": ""},
        {"HTTP_ORIGIN": "", "HTTP_REFERER": "http://testserver/any/page/"},
    ],
)
def test_a_post_from_this_site_saves_without_a_csrf_token(client, service, headers):
    assert save(client, service, **headers).status_code == 303
    assert Plan.objects.count() == 1


def test_an_unpublished_service_cannot_be_saved(client, service):
    service.unpublish()
    assert save(client, service).status_code == 400


def test_a_plan_holds_a_bounded_number_of_services(client, organization, service):
    plan, token = make_plan(*[make_service(organization=organization) for _ in range(MAX_ITEMS)])
    client.cookies[PLAN_COOKIE] = token
    response = save(client, service)
    assert response.status_code == 303
    assert plan.items.count() == MAX_ITEMS
    assert not plan.items.filter(service=service).exists()


@override_settings(STEWARD={"RATE_LIMITS": {"plan_create": (2, 3600)}})
def test_new_plans_are_rate_limited_per_client(client, service):
    for _ in range(2):
        client.cookies.clear()
        assert save(client, service).status_code == 303
    client.cookies.clear()
    assert save(client, service).status_code == 429
    assert Plan.objects.count() == 2


def test_a_listing_in_your_plan_says_so(client, service):
    token = token_from(save(client, service))
    html = client.get(service.url, HTTP_USER_AGENT=BROWSER).content.decode()
    assert "In your plan" in html
    assert f"/plan/{token}/" in html


def test_the_device_can_forget_and_remember_the_plan(client, service):
    plan, token = make_plan(service)
    response = client.post(f"/plan/{token}/device/", {"action": "remember"})
    assert response.cookies[PLAN_COOKIE].value == token
    response = client.post(f"/plan/{token}/device/", {"action": "forget"})
    assert response.cookies[PLAN_COOKIE].value == ""


def test_email_it_to_me_sends_the_link_and_keeps_no_address(client, service, mailoutbox):
    plan, token = make_plan(service)
    response = client.post(f"/plan/{token}/send/", {"email": "person@example.net"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert f"/plan/{token}/" in mailoutbox[0].body
    assert mailoutbox[0].to == ["person@example.net"]
    from django.apps import apps

    for model in apps.get_app_config("impact").get_models():
        for obj in model.objects.all():
            assert "person@example.net" not in str(obj.__dict__)


def test_a_bad_email_address_gets_a_message(client, service, mailoutbox):
    _, token = make_plan(service)
    response = client.post(f"/plan/{token}/send/", {"email": "not an email"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not mailoutbox
