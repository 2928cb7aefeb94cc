"""The trust numbers of DESIGN.md §4, in one block operators can tune.

`settings.STEWARD["TRUST"]` overrides any key; the tests check the formulas with
these defaults.
"""

from django.conf import settings

DEFAULTS = {
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


def trust_setting(name):
    overrides = getattr(settings, "STEWARD", {}).get("TRUST", {})
    return overrides.get(name, DEFAULTS[name])
