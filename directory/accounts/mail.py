"""Email to professionals, each in their own language.

Every email Steward sends a professional (confirmation, membership, rejected
changes, the reviewers' digest, due-for-verification and referral reminders) is
rendered from a template pair, `<name>_subject.txt` and `<name>.txt`, inside
`translation.override(language_of(user))`, so its words, dates and numbers are
in that person's language:

1. the admin language they chose in Wagtail (Account → Preferences), when set;
2. else the language of the site when they signed up (`Professional.language`);
3. else settings.LANGUAGE_CODE.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def _available(code):
    """`code` ("es", "es-mx") as one of settings.LANGUAGES, or None."""
    codes = {known for known, _name in settings.LANGUAGES}
    for candidate in (code or "", (code or "").split("-")[0]):
        if candidate in codes:
            return candidate
    return None


def language_of(user):
    from wagtail.users.models import UserProfile

    from directory.models import Professional

    preferred = (
        UserProfile.objects.filter(user_id=user.pk).values_list("preferred_language", flat=True)
    ).first()
    if preferred and _available(preferred):
        return preferred
    signed_up_in = (
        Professional.objects.filter(user_id=user.pk).values_list("language", flat=True)
    ).first()
    return _available(signed_up_in) or settings.LANGUAGE_CODE


def render(name, context, language):
    """(subject, body) of the email template `name`, in `language`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        body = render_to_string(f"{name}.txt", context)
    return subject, body


def message(user, name, context):
    """One EmailMessage to `user`, in their language (for a batch send)."""
    subject, body = render(name, {**context, "recipient": user}, language_of(user))
    return EmailMessage(subject=subject, body=body, to=[user.email])


def send(users, name, context):
    """Mail `name` to each of `users` with an email address, one message each,
    in each one's language. Returns how many were sent."""
    messages = [message(user, name, context) for user in users if user.email]
    if not messages:
        return 0
    from django.core.mail import mailers

    mailers.default.send_messages(messages)
    return len(messages)
