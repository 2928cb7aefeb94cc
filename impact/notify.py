"""Notifications through a pluggable backend.

settings.STEWARD["NOTIFICATIONS"] names a backend per channel:

    STEWARD["NOTIFICATIONS"] = {
        "email": "impact.notify.DjangoMailBackend",   # Django mail (MAILERS)
        "sms": "impact.notify.ConsoleSMSBackend",     # development: prints
    }

A backend is a class with `send(*, to, subject, body)`. A production SMS
provider is one small class implementing it; none is bundled. Addresses and
numbers pass through and are never stored.
"""

import sys

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

DEFAULTS = {
    "email": "impact.notify.DjangoMailBackend",
    "sms": "impact.notify.ConsoleSMSBackend",
}


class NotificationBackend:
    def send(self, *, to, subject, body):
        raise NotImplementedError


class DjangoMailBackend(NotificationBackend):
    """Email through Django's mail (Django 6.1 `MAILERS`)."""

    def send(self, *, to, subject, body):
        return EmailMessage(subject=subject, body=body, to=[to]).send()


class ConsoleSMSBackend(NotificationBackend):
    """Development: prints the text message instead of sending it."""

    stream = None

    def send(self, *, to, subject, body):
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {to}: {body}\n")
        stream.flush()
        return 1


class SMSBackend(NotificationBackend):
    """The interface a real SMS provider implements: `send(to=E.164, body=...)`."""


def backend(channel):
    configured = {**DEFAULTS, **settings.STEWARD.get("NOTIFICATIONS", {})}
    try:
        path = configured[channel]
    except KeyError:
        raise ValueError(f"No notification backend for {channel!r}") from None
    return import_string(path)()


def send(channel, *, to, subject, body):
    return backend(channel).send(to=to, subject=subject, body=body)
