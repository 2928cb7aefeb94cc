"""Outgoing text messages (follow-up questions): a small backend interface.

settings.STEWARD_SMS["BACKEND"] names one: console (development), locmem (tests,
messages kept in `outbox`), Twilio (production, through the twilio REST client).
Replies to an inbound message are not sent here: they go back in the TwiML answer.
"""

import sys

from django.conf import settings
from django.utils.module_loading import import_string


class SMSBackend:
    def send(self, *, to, body):
        raise NotImplementedError


class ConsoleBackend(SMSBackend):
    """Prints the message (make serve). The number is shown masked."""

    def send(self, *, to, body):
        sys.stdout.write(f"SMS to …{to[-2:]}: {body}\n")
        sys.stdout.flush()
        return True


outbox = []


class LocmemBackend(SMSBackend):
    """Tests: messages are appended to impact.sms.backends.outbox."""

    def send(self, *, to, body):
        outbox.append({"to": to, "body": body})
        return True


class TwilioBackend(SMSBackend):
    def send(self, *, to, body):
        from twilio.rest import Client

        config = settings.STEWARD_SMS
        client = Client(config["ACCOUNT_SID"], config["AUTH_TOKEN"])
        client.messages.create(to=to, from_=config["FROM"], body=body)
        return True


def get_backend():
    return import_string(settings.STEWARD_SMS["BACKEND"])()


def send(*, to, body):
    return get_backend().send(to=to, body=body)
