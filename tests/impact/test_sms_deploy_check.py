"""`manage.py check --deploy` with the production settings, as `make check` runs
it: text messages set up without the provider's token fail the deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def deploy_check(tmp_path, **sms_environment):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TWILIO_", "STEWARD_SMS_", "DJANGO_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="steward.settings.production",
        SECRET_KEY="check-" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2,
        ALLOWED_HOSTS="steward.example.org",
        STEWARD_PUBLIC_URL="https://steward.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/13",
        **sms_environment,
    )
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "set_up",
    [
        {"TWILIO_ACCOUNT_SID": "AC0123456789"},
        {"STEWARD_SMS_FROM": "+13125550100"},
        {"STEWARD_SMS_BACKEND": "impact.sms.backends.TwilioBackend"},
    ],
    ids=["account", "number", "backend"],
)
def test_sms_set_up_without_a_token_fails_the_deploy_check(tmp_path, set_up):
    result = deploy_check(tmp_path, **set_up)
    assert result.returncode != 0
    assert "steward.W101" in result.stderr
    assert "TWILIO_AUTH_TOKEN" in result.stderr


def test_with_the_token_the_deploy_check_passes(tmp_path):
    result = deploy_check(
        tmp_path,
        TWILIO_ACCOUNT_SID="AC0123456789",
        TWILIO_AUTH_TOKEN="a-real-token",
        STEWARD_SMS_FROM="+13125550100",
        STEWARD_SMS_BACKEND="impact.sms.backends.TwilioBackend",
    )
    assert result.returncode == 0, result.stderr
    assert "steward.W101" not in result.stdout + result.stderr
