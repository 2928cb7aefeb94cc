"""Every number of review, defined once (DESIGN.md §4).

Three blocks of defaults, each overridden key by key from the settings block
`STEWARD` (site/settings): `STEWARD["TRUST"]` (freshness, reputation, privileges,
queue priority), `STEWARD["REVIEW"]` (stale and due, the queue, reports, the
reviewers' daily cap) and `STEWARD["NEW_ACCOUNTS"]` (who is a new account). Every
module of review reads its numbers here, through `trust_setting`, `review_setting`,
`new_account_setting` or `review_days`; the tests check the formulas with these
defaults. Rate limits are directory.throttle's (`STEWARD["RATE_LIMITS"]`).
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_noop

TRUST_DEFAULTS = {
    # Freshness: half-life in days of a verified value, per field.
    "HALF_LIVES": {
        "hours": 365,
        "eligibility": 365,
        "intake": 365,
        "fees": 365,
        "phone": 365,
        "email": 365,
        "url": 365,
        "status": 730,
        "address": 730,
        "name": 1095,
        "description": 1095,
    },
    # Weights of fields in a listing's freshness; fields not named weigh 1.
    "WEIGHTS": {"phone": 3, "hours": 3, "eligibility": 3, "status": 3, "address": 2},
    # Confidence: a verification by the listing's own organization counts for less.
    "OWN_ORGANIZATION_WEIGHT": 0.6,
    # Reliability prior: a new user starts at 7 / 10.
    "RELIABILITY_PRIOR_GOOD": 7,
    "RELIABILITY_PRIOR_TOTAL": 10,
    # Privilege gates use the Wilson lower bound, only after this many judged items.
    "WILSON_Z": 1.96,
    "WILSON_MIN_JUDGED": 10,
    # Reputation ledger.
    "POINTS": {
        "edit_accepted": 5,
        "edit_reverified": 10,
        "report_upheld": 2,
        "report_declined": -1,
        "verification_shown_wrong": -20,
        "edit_reverted": -10,
        "spam": -100,
        # Judgments without points: another organization confirmed (or contradicted)
        # a value the user verified. They count toward reliability only.
        "value_confirmed": 0,
        "value_contradicted": 0,
    },
    "DAILY_GAIN_CAP": 200,
    # Privileges (DESIGN.md §4): points and, where given, the Wilson lower bound.
    "PUBLISH_ANYWHERE_POINTS": 1000,
    "PUBLISH_ANYWHERE_WILSON": 0.8,
    "REVIEW_POINTS": 500,
    "ROLLBACK_POINTS": 2000,
    "ROLLBACK_WILSON": 0.8,
    "REPUTATION_FLOOR": 1,
    # Review queue priority.
    "SEVERITY": {"crisis": 3, "shelter": 3, "food": 3, "health": 2, "legal": 2},
    "WAITING_WEIGHT_PER_HOUR": 0.02,
    "DISPUTED_MIN_STALENESS": 0.5,
    # A disputed item resting on one anonymous report counts this share of a
    # member's or several people's: it reaches a reviewer, below them.
    "SINGLE_ANONYMOUS_REPORT_WEIGHT": 0.5,
}

REVIEW_DEFAULTS = {
    # Reports.
    "REPORT_NOTE_MAX_LENGTH": 1000,
    # Report rate limits: directory.throttle (STEWARD["RATE_LIMITS"]).
    # Daily cap on a reviewer's decisions (moderators have none).
    "DAILY_DECISIONS": 20,
    "DAILY_DECISIONS_BUSY": 40,
    "BUSY_BACKLOG": 200,
    # Stale and due (DESIGN.md §4), decided by the freshness store alone
    # (review.trust.store); the queue, badges, due list and reminders read its rows.
    "STALE_FIELD_FRESHNESS": 0.5,
    "STALE_AFTER_DAYS": 365,
    "DUE_AFTER_DAYS": 330,
    # A listing still due is reminded again this many days after its last reminder
    # (review.trust.due.send_reminders): one email is easy to miss.
    "DUE_REMIND_AGAIN_DAYS": 14,
    # A report that a value is wrong makes the listing due at once and emails its
    # organization (review.queue.reports), at most once per listing in this time.
    "REPORT_NOTIFY_EVERY_HOURS": 24,
    # A field of this weight (TRUST WEIGHTS) below STALE_FIELD_FRESHNESS makes the
    # listing stale before STALE_AFTER_DAYS.
    "STALE_FIELD_WEIGHT": 3,
    # The yearly cycle: "verified by 3 organizations" counts organizations over it,
    # and a verification confirms another organization's earlier one within it.
    "ORGANIZATIONS_WINDOW_DAYS": 365,
    "CONFIRMS_WITHIN_DAYS": 365,
    # An accepted edit re-verified this long after earns its editor edit_reverified.
    "REVERIFIED_AFTER_DAYS": 30,
    # A verification of a value shown wrong this soon afterwards costs its verifier.
    "SHOWN_WRONG_WITHIN_DAYS": 90,
    "CONFLICT_WINDOW_DAYS": 30,
    "CONFLICT_FLIPS": 2,
    "CONFLICT_VERIFIED_WITHIN_DAYS": 90,
    "VIEWS_WINDOW_DAYS": 30,
    # Category families for severity S, matched on a term's or an ancestor's name
    # (whole words, case-insensitive); S itself comes from review.conf SEVERITY.
    "CATEGORY_FAMILIES": {
        "crisis": ["crisis", "emergency"],
        "shelter": ["shelter"],
        "food": ["food", "meals", "pantry"],
        "health": ["health", "medical", "dental"],
        "legal": ["legal"],
    },
    "QUEUE_PAGE_SIZE": 25,
    # The dashboard's "Due for verification" panel lists this many listings, then
    # links to the full list (review.trust.admin_views.DuePanel).
    "DUE_PANEL_LIMIT": 10,
    # The merge screen offers this many surviving listings for a search
    # (review.moderation.guard_views.merge_view).
    "MERGE_CANDIDATES_SHOWN": 20,
    # The queue list says how urgent a listing is in words first: the first band
    # whose floor its highest priority reaches.
    "QUEUE_PRIORITY_WORDS": [
        (3.0, gettext_noop("High priority")),
        (0.0, gettext_noop("Needs checking")),
    ],
}

NEW_ACCOUNTS_DEFAULTS = {
    # New accounts (joined fewer than NEW_ACCOUNT_DAYS ago, or below
    # NEW_ACCOUNT_POINTS of reputation) have their edits rate-limited.
    "NEW_ACCOUNT_DAYS": 14,
    "NEW_ACCOUNT_POINTS": 50,
}


def _setting(block, defaults, name):
    overrides = getattr(settings, "STEWARD", {}).get(block, {})
    return overrides.get(name, defaults[name])


def trust_setting(name):
    return _setting("TRUST", TRUST_DEFAULTS, name)


def review_setting(name):
    return _setting("REVIEW", REVIEW_DEFAULTS, name)


def new_account_setting(name):
    return _setting("NEW_ACCOUNTS", NEW_ACCOUNTS_DEFAULTS, name)


def review_days(name):
    """A `..._DAYS` key of the REVIEW block as a timedelta."""
    return dt.timedelta(days=review_setting(name))
