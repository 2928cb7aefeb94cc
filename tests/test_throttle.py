"""One rate limiter and one client fingerprint, behind a trusted proxy (issue 12).

Behind a load balancer every request comes from the proxy's address; with
STEWARD["TRUSTED_PROXY_COUNT"] = 1 the client is the address the proxy appends to
X-Forwarded-For, for reports as for every other limit."""

from django.conf import settings
from django.test import override_settings

import pytest

from review.models import Report
from tests.factories import make_service

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def behind_proxy(**more):
    return override_settings(STEWARD={**settings.STEWARD, "TRUSTED_PROXY_COUNT": 1, **more})


def report(client, service, forwarded_for):
    return client.post(
        f"/report/{service.pk}/",
        {"reason": "wrong_phone", "note": "", "website": ""},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_trusted_proxy_two_clients_are_limited_separately_for_reports(client):
    service = make_service()
    with behind_proxy(RATE_LIMITS={"report_anonymous": (2, 3600)}):
        assert report(client, service, "198.51.100.1").status_code == 302
        assert report(client, service, "198.51.100.1").status_code == 302
        assert report(client, service, "198.51.100.1").status_code == 429
        # Same proxy address, another client: not held back by the first one.
        assert report(client, service, "198.51.100.2").status_code == 302
    keys = list(Report.objects.order_by("pk").values_list("client_key", flat=True))
    assert len(keys) == 3 and keys[0] == keys[1] != keys[2]
    # No address is stored anywhere on the report.
    assert not any("198.51.100" in (key or "") for key in keys)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client):
    service = make_service()
    steward = {**settings.STEWARD, "TRUSTED_PROXY_COUNT": 0}
    steward["RATE_LIMITS"] = {"report_anonymous": (1, 3600)}
    with override_settings(STEWARD=steward):
        assert report(client, service, "198.51.100.1").status_code == 302
        # A forged header does not make a new client.
        assert report(client, service, "198.51.100.9").status_code == 429


def test_sign_up_is_limited_per_client_behind_the_proxy(client):
    def sign_up(forwarded_for):
        return client.post(
            "/accounts/signup/",
            {"first_name": "", "email": "not-an-email"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    with behind_proxy(RATE_LIMITS={"signup": (1, 3600)}):
        assert "Too many sign-ups" not in sign_up("198.51.100.1").content.decode()
        assert "Too many sign-ups" in sign_up("198.51.100.1").content.decode()
        assert "Too many sign-ups" not in sign_up("198.51.100.2").content.decode()
