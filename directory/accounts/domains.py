"""Email domains: which ones an organization may register, and which never join
anyone automatically (public mail services anyone can get an address at)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# Mail services where anyone can open an address: an address there proves nothing
# about where someone works, so it never joins an organization by itself.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "att.net",
        "bellsouth.net",
        "comcast.net",
        "duck.com",
        "fastmail.com",
        "gmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hey.com",
        "hotmail.co.uk",
        "hotmail.com",
        "hushmail.com",
        "icloud.com",
        "inbox.com",
        "live.com",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "outlook.com",
        "pm.me",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "rocketmail.com",
        "sbcglobal.net",
        "tutanota.com",
        "verizon.net",
        "yahoo.co.uk",
        "yahoo.com",
        "yandex.com",
        "yandex.ru",
        "ymail.com",
        "zoho.com",
        "zohomail.com",
    }
)

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
DOMAIN_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})*\.[a-z]{{2,63}}$")


def email_domain(email):
    """The domain of an address, lowercased ("" when there is none)."""
    _, _, domain = (email or "").strip().rpartition("@")
    return domain.lower().rstrip(".")


def is_public_mail_domain(domain):
    return (domain or "").lower() in PUBLIC_MAIL_DOMAINS


def normalize_email_domain(raw):
    """Lowercase a domain someone typed ("@Example.ORG " → "example.org") and
    check it can be registered; raises ValidationError with a message to act on."""
    domain = (raw or "").strip().lower().lstrip("@").rstrip(".")
    if not domain:
        raise ValidationError(gettext("Enter a domain, e.g. example.org."))
    if len(domain) > 253 or not DOMAIN_RE.match(domain):
        raise ValidationError(
            gettext("“%(domain)s” is not a domain name. Enter one like example.org.")
            % {"domain": domain}
        )
    if is_public_mail_domain(domain):
        raise ValidationError(
            gettext(
                "%(domain)s is a public mail service: anyone can get an address there, so it "
                "cannot prove someone works for this organization."
            )
            % {"domain": domain}
        )
    return domain
