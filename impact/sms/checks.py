"""`manage.py check --deploy`: text messages need a token to verify the provider."""

from django.conf import settings
from django.core import checks

TWILIO_BACKEND = "impact.sms.backends.TwilioBackend"


def sms_is_set_up(config):
    """Someone meant to connect a number: an account, a number or the Twilio backend."""
    return bool(config["ACCOUNT_SID"] or config["FROM"] or config["BACKEND"] == TWILIO_BACKEND)


@checks.register(checks.Tags.security, deploy=True)
def sms_token_is_set(app_configs, **kwargs):
    config = settings.STEWARD_SMS
    if config["AUTH_TOKEN"]:
        return []
    if sms_is_set_up(config):
        return [
            checks.Warning(
                "Text messages are configured without TWILIO_AUTH_TOKEN: /sms/inbound/ "
                "refuses every request (403) and no follow-up question can be sent.",
                hint="Set TWILIO_AUTH_TOKEN to the account's auth token.",
                id="steward.W101",
            )
        ]
    return [
        checks.Info(
            "Help by text message is off: /sms/inbound/ answers 403 until TWILIO_AUTH_TOKEN "
            "is set.",
            id="steward.I101",
        )
    ]
