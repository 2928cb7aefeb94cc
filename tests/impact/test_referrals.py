"""Referrals: professionals refer, follow up and record outcomes; nobody else sees them."""

import datetime as dt
import re

from django.utils import timezone

import pytest

from impact import tokens
from impact.models import DailyCount, Outcome, Referral
from impact.referrals import send_follow_up_reminders
from tests.impact.conftest import make_referral

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def referral_data(service, overrides=None, **more):
    data = {
        "service": service.pk,
        "client_reference": "C-2041",
        "note": "Bring proof of address.",
        "follow_up_on": (TODAY() + dt.timedelta(days=7)).isoformat(),
    }
    data.update(overrides or {}, **more)
    return data


def test_a_professional_refers_a_client_and_gets_a_link_and_a_slip_with_a_qr_code(
    client, professional, service
):
    client.force_login(professional)
    response = client.post("/admin/referrals/new/", referral_data(service))
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r"/followup/([A-Za-z0-9_-]{43})/", html).group(1)
    referral = Referral.objects.get()
    assert referral.token_hash == tokens.digest(token, tokens.FOLLOW_UP)
    assert referral.professional == professional
    assert referral.organization.title == "Greater Chicago Food Partners"
    assert "<svg" in html and "referral-slip" in html
    assert "no-store" in response["Cache-Control"]
    assert DailyCount.objects.get(page=service, kind="referral").count == 1
    # The client opens it without an account.
    client.logout()
    assert client.get(f"/followup/{token}/").status_code == 200


def test_the_referral_form_is_prefilled_from_the_listing(client, professional, service):
    client.force_login(professional)
    html = client.get(f"/admin/referrals/new/?service={service.pk}").content.decode()
    assert "Weekly groceries" in html
    listing = client.get(service.url).content.decode()
    assert f"/admin/referrals/new/?service={service.pk}" in listing


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("maria@example.org", "email address"),
        ("312-555-0199", "phone number"),
        ("(312) 555 0199", "phone number"),
        ("Maria Lopez", "name"),
    ],
)
def test_a_client_reference_that_looks_like_personal_data_is_refused(
    client, professional, service, reference, message
):
    client.force_login(professional)
    response = client.post(
        "/admin/referrals/new/", referral_data(service, client_reference=reference)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize("reference", ["C-2041", "case 88", "ml-0412", ""])
def test_opaque_references_are_accepted(client, professional, service, reference):
    client.force_login(professional)
    response = client.post(
        "/admin/referrals/new/", referral_data(service, client_reference=reference)
    )
    assert response.status_code == 200
    assert Referral.objects.get().client_reference == reference


@pytest.mark.parametrize(
    "overrides",
    [
        {"follow_up_on": "yesterday"},
        {"follow_up_on": (dt.date.today() - dt.timedelta(days=2)).isoformat()},
        {"follow_up_on": (dt.date.today() + dt.timedelta(days=800)).isoformat()},
        {"service": "999999"},
        {"service": "abc"},
        {"service": ""},
        {"note": "call her at 312 555 0199"},
        {"note": "x" * 1001},
    ],
)
def test_bad_referral_input_gets_a_message_and_changes_nothing(
    client, professional, service, overrides
):
    client.force_login(professional)
    response = client.post("/admin/referrals/new/", referral_data(service, overrides))
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_my_referrals_lists_those_due_first(client, professional, service, organization):
    from tests.factories import make_service

    later = make_service(organization=organization, title="Later service")
    done = make_service(organization=organization, title="Done service")
    make_referral(professional, later, follow_up_on=TODAY() + dt.timedelta(days=5))
    make_referral(professional, service, follow_up_on=TODAY() - dt.timedelta(days=1))
    closed, _ = make_referral(professional, done, follow_up_on=TODAY() - dt.timedelta(days=9))
    closed.closed_at = timezone.now()
    closed.save()
    client.force_login(professional)
    html = client.get("/admin/referrals/").content.decode()
    order = [html.index(t) for t in ("Weekly groceries", "Later service", "Done service")]
    assert order == sorted(order)
    assert "Due for follow-up" in html


def test_the_professional_records_the_outcome(client, professional, service):
    referral, _ = make_referral(professional, service)
    client.force_login(professional)
    response = client.post(
        f"/admin/referrals/{referral.pk}/outcome/", {"result": "could_not", "reason": "waitlist"}
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.source, outcome.reason) == ("professional", "waitlist")
    referral.refresh_from_db()
    assert referral.closed_at is not None


def test_a_new_link_replaces_the_old_one(client, professional, service):
    referral, old = make_referral(professional, service)
    client.force_login(professional)
    html = client.post(f"/admin/referrals/{referral.pk}/link/").content.decode()
    new = re.search(r"/followup/([A-Za-z0-9_-]{43})/", html).group(1)
    client.logout()
    assert client.get(f"/followup/{old}/").status_code == 404
    assert client.get(f"/followup/{new}/").status_code == 200


# --- who sees a referral -------------------------------------------------------

ROLES = ["anonymous", "other_professional", "analyst", "professional", "moderator"]
SEES = {"professional", "moderator"}


def sign_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_referring_professional_and_moderators_see_a_referral(
    client, request, professional, service, role
):
    referral, _ = make_referral(professional, service, client_reference="C-77")
    sign_in(client, request, role)
    response = client.get(f"/admin/referrals/{referral.pk}/")
    if role in SEES:
        assert response.status_code == 200
        assert "C-77" in response.content.decode()
    elif role == "anonymous":
        assert response.status_code == 302  # to the sign-in page
        assert response["Location"].startswith("/admin/login/")
    else:
        # Wagtail turns a refusal into a redirect to the dashboard with a message.
        assert response.status_code in (302, 403, 404)
        assert "C-77" not in response.content.decode()
        if response.status_code == 302:
            assert response["Location"] == "/admin/"


@pytest.mark.parametrize("role", ROLES)
def test_crafted_posts_on_someone_elses_referral_change_nothing(
    client, request, professional, service, role
):
    referral, token = make_referral(professional, service)
    sign_in(client, request, role)
    outcome = client.post(f"/admin/referrals/{referral.pk}/outcome/", {"result": "got_help"})
    link = client.post(f"/admin/referrals/{referral.pk}/link/")
    referral.refresh_from_db()
    if role in SEES:
        assert outcome.status_code == 302 and link.status_code == 200
        assert Outcome.objects.count() == 1
    else:
        assert outcome.status_code in (302, 403, 404) and link.status_code in (302, 403, 404)
        assert not Outcome.objects.exists()
        assert referral.token_hash == tokens.digest(token, tokens.FOLLOW_UP)
        if role == "anonymous":
            assert outcome["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_make_referrals(client, request, service, role):
    sign_in(client, request, role)
    page = client.get("/admin/referrals/new/")
    post = client.post("/admin/referrals/new/", referral_data(service))
    listing = client.get("/admin/referrals/")
    if role in ("professional", "other_professional", "moderator"):
        assert page.status_code == 200 and listing.status_code == 200
        assert post.status_code == 200 and Referral.objects.count() == 1
    else:
        assert page.status_code in (302, 403)
        assert post.status_code in (302, 403)
        assert listing.status_code in (302, 403)
        assert not Referral.objects.exists()


def test_my_referrals_never_shows_another_professionals(
    client, professional, other_professional, service
):
    make_referral(other_professional, service, client_reference="THEIRS-1")
    client.force_login(professional)
    assert "THEIRS-1" not in client.get("/admin/referrals/").content.decode()
    assert "THEIRS-1" not in client.get("/admin/referrals/?all=1").content.decode()


def test_referral_pages_query_budget(client, professional, service, django_assert_max_num_queries):
    for _ in range(5):
        make_referral(professional, service)
    referral, _ = make_referral(professional, service)
    client.force_login(professional)
    client.get("/admin/referrals/")
    with django_assert_max_num_queries(25):
        assert client.get("/admin/referrals/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(f"/admin/referrals/{referral.pk}/").status_code == 200


# --- reminders -------------------------------------------------------------------


def test_reminders_go_once_to_each_professional_with_due_referrals(
    professional, other_professional, service, mailoutbox
):
    now = timezone.now()
    make_referral(professional, service, follow_up_on=TODAY() - dt.timedelta(days=1))
    make_referral(professional, service, follow_up_on=TODAY())
    make_referral(professional, service, follow_up_on=TODAY() + dt.timedelta(days=3))
    make_referral(other_professional, service, client_reference="C-9", follow_up_on=TODAY())
    assert send_follow_up_reminders(now=now) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["pro2@example.org", "pro@example.org"]
    mine = next(m for m in mailoutbox if m.to == ["pro@example.org"])
    assert mine.subject == "2 referrals due for follow-up"
    assert "C-9" not in mailoutbox[0].body + mailoutbox[1].body
    # Idempotent: running again sends nothing new.
    assert send_follow_up_reminders(now=now) == 0
    assert len(mailoutbox) == 2


def test_reminders_run_from_the_periodic_jobs(professional, service, mailoutbox):
    from steward.periodic import run_due_jobs

    make_referral(professional, service, follow_up_on=TODAY())

    def reminders():
        return [m for m in mailoutbox if "due for follow-up" in m.subject]

    outcomes = dict(run_due_jobs())
    assert outcomes["impact.referral_reminders"] == "ok"
    assert len(reminders()) == 1
    run_due_jobs(force=True)
    assert len(reminders()) == 1


def test_the_sms_backend_prints_in_development(capsys):
    from impact import notify

    notify.send("sms", to="+13125550101", subject="", body="Your plan: https://x/plan/abc/")
    assert "SMS to +13125550101: Your plan" in capsys.readouterr().out


# --- the public base URL (issue 11) ------------------------------------------------

PUBLIC = "https://help.example.org"


@pytest.fixture
def public_url(settings):
    settings.STEWARD = {**settings.STEWARD, "PUBLIC_URL": PUBLIC}
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


def test_the_slip_links_to_the_public_base_url_never_the_request_host(
    client, professional, service, public_url
):
    client.force_login(professional)
    html = client.post(
        "/admin/referrals/new/", referral_data(service), HTTP_HOST="localhost"
    ).content.decode()
    assert re.search(r"https://help\.example\.org/followup/[A-Za-z0-9_-]{43}/", html)
    assert f"{PUBLIC}{service.url}" in html
    assert "http://localhost" not in html


def test_follow_up_reminders_link_to_the_public_base_url(
    professional, service, mailoutbox, public_url
):
    make_referral(professional, service, follow_up_on=TODAY())
    send_follow_up_reminders(now=timezone.now())
    (message,) = mailoutbox
    assert f"{PUBLIC}/admin/referrals/" in message.body
    assert "localhost" not in message.body and "127.0.0.1" not in message.body
