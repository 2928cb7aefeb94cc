"""Reports and review-queue knobs (`settings.STEWARD["REVIEW"]` overrides any key)."""

from django.conf import settings

DEFAULTS = {
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
    # The queue list says how urgent a listing is in words first: the first band
    # whose floor its highest priority reaches.
    "QUEUE_PRIORITY_WORDS": [(3.0, "High priority"), (0.0, "Needs checking")],
}


def review_setting(name):
    overrides = getattr(settings, "STEWARD", {}).get("REVIEW", {})
    return overrides.get(name, DEFAULTS[name])
