"""Issue 11: the public base URL is configuration. Share links, the print footer,
the Wagtail Site and every email follow it; production refuses to start without
it or with a local one; `make serve` (no setting) uses the request's host."""

import re

from django.core import mail
from django.core.management import call_command

from wagtail.models import Site

import pytest

from tests.factories import OrganizationFactory, make_service
from tests.steward.test_settings import PRODUCTION, run

pytestmark = pytest.mark.django_db

PUBLIC = "https://help.example.org"


@pytest.fixture
def production_like(settings):
    settings.STEWARD = {**settings.STEWARD, "PUBLIC_URL": PUBLIC}
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


def share_url_of(html):
    return re.search(r'data-copy="([^"]+)"', html).group(1)


def test_share_link_and_print_footer_use_the_public_base_url(client, production_like):
    service = make_service(title="Warm meals")
    html = client.get(service.url, HTTP_HOST="localhost").content.decode()
    assert share_url_of(html) == f"{PUBLIC}{service.url}"
    assert f"This page: {PUBLIC}{service.url}" in html
    assert "http://localhost" not in html
    # The text and email share links carry it too.
    assert "help.example.org" in re.search(r'href="(sms:[^"]+)"', html).group(1)


def test_without_a_setting_links_use_the_request_host(client):
    service = make_service(title="Warm meals")
    html = client.get(service.url, HTTP_HOST="127.0.0.1:8000").content.decode()
    assert share_url_of(html) == f"http://127.0.0.1:8000{service.url}"


def test_the_signup_email_links_to_the_public_base_url(client, production_like):
    from django.core.cache import cache

    cache.clear()
    org = OrganizationFactory(title="Pilsen Aid")
    client.post(
        "/accounts/signup/",
        {
            "first_name": "Dana",
            "last_name": "K",
            "email": "dana@pilsen.example.org",
            "organization": org.pk,
            "password1": "a long and unusual passphrase 42",
            "password2": "a long and unusual passphrase 42",
        },
        HTTP_HOST="localhost",
    )
    (message,) = mail.outbox
    assert f"{PUBLIC}/accounts/confirm/" in message.body
    assert "localhost/" not in message.body


def test_the_due_reminder_links_to_the_public_base_url(production_like):
    from review.trust import store
    from review.trust.due import send_reminders
    from tests.review.test_due import NOW, professional, verified

    org = OrganizationFactory(title="Lakeview Pantry")
    checker = professional(OrganizationFactory(), email="checker@example.org")
    professional(org, email="a@example.org")
    verified(make_service(organization=org, title="Evening meals"), checker, days_ago=335)
    store.recompute(now=NOW)
    send_reminders(now=NOW)
    (message,) = mail.outbox
    assert f"{PUBLIC}/admin/" in message.body
    assert "127.0.0.1" not in message.body and "localhost" not in message.body


def test_the_wagtail_site_follows_the_public_base_url_after_migrate(production_like):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()
    call_command("migrate", verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("help.example.org", 443)
    assert site.root_url == PUBLIC


PRINT_URLS = (
    "import django; django.setup(); from django.conf import settings as s;"
    "print(s.STEWARD['PUBLIC_URL'], s.WAGTAILADMIN_BASE_URL)"
)


def test_production_reads_the_public_url_and_the_admin_follows_it():
    result = run({**PRODUCTION, "STEWARD_PUBLIC_URL": "https://help.example.org/"}, PRINT_URLS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://help.example.org", "https://help.example.org"]


@pytest.mark.parametrize("value", [None, "", "http://localhost", "http://127.0.0.1:8000"])
def test_production_refuses_a_missing_or_local_public_url(value):
    env = dict(PRODUCTION)
    env.pop("STEWARD_PUBLIC_URL", None)
    if value is not None:
        env["STEWARD_PUBLIC_URL"] = value
    result = run(env, PRINT_URLS)
    assert result.returncode != 0
    assert "STEWARD_PUBLIC_URL" in result.stderr


def test_check_deploy_warns_when_the_public_url_is_local(settings):
    from django.core.management import CommandError

    settings.STEWARD = {**settings.STEWARD, "PUBLIC_URL": ""}
    with pytest.raises(CommandError, match="steward.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
