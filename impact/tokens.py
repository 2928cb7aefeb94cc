"""Private links: random tokens of which only a digest is stored.

A token is `secrets.token_urlsafe(32)` (256 bits). The database keeps
SHA-256(purpose + ":" + token), which is enough to look a link up and useless to
anyone who reads the table. The purpose is part of the digest, so a plan token
opens no follow-up link and a follow-up token opens no plan.
"""

import hashlib
import re
import secrets

PLAN = "plan"
FOLLOW_UP = "followup"
PURPOSES = (PLAN, FOLLOW_UP)

# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; anything else is not a token.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token():
    return secrets.token_urlsafe(32)


def digest(token, purpose):
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown token purpose {purpose!r}")
    return hashlib.sha256(f"{purpose}:{token}".encode()).hexdigest()


def looks_like_token(value):
    return bool(value) and bool(TOKEN_RE.match(value))
