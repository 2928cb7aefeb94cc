"""Phone numbers: a keyed hash to recognise one, encryption only while a follow-up waits.

The hash key and the encryption key are derived from SECRET_KEY (or
STEWARD_SMS["KEY"] when set, so SECRET_KEY can rotate without forgetting who said
STOP). The hash is stable, unlike impact.clients' daily one: STOP must hold.
"""

import base64
import hashlib
import hmac

from django.conf import settings

from cryptography.fernet import Fernet, InvalidToken


def _secret():
    return (settings.STEWARD_SMS.get("KEY") or settings.SECRET_KEY).encode()


def normalize_number(number):
    """E.164 as providers send it: "+" and digits only."""
    number = (number or "").strip()
    digits = "".join(ch for ch in number if ch.isdigit())
    return ("+" + digits) if digits else ""


def number_hash(number):
    key = hashlib.sha256(_secret() + b":impact-sms-number").digest()
    return hmac.new(key, normalize_number(number).encode(), hashlib.sha256).hexdigest()


def _fernet():
    key = hashlib.sha256(_secret() + b":impact-sms-fernet").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_number(number):
    return _fernet().encrypt(normalize_number(number).encode()).decode()


def decrypt_number(token):
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""
