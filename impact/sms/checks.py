"""`manage.py check --deploy`: text messages need a token to verify the provider."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def sms_token_is_set(app_configs, **kwargs):
    config = settings.STEWARD_SMS
    if config["AUTH_TOKEN"]:
        return []
    if config["ACCOUNT_SID"] or config["FROM"]:
        return [
            checks.Warning(
                "Text messages are configured without TWILIO_AUTH_TOKEN: /sms/inbound/ "
                "refuses every request (403).",
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
