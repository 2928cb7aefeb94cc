"""The page cache switched on (tests/conftest.py gives each test its own namespace)."""

import pytest

from directory import pagecache


@pytest.fixture
def page_cache(settings, monkeypatch):
    settings.STEWARD = {
        **settings.STEWARD,
        "PAGE_CACHE": {**settings.STEWARD["PAGE_CACHE"], "ENABLED": True},
    }
    # One process, one clock: no margin for other servers' clocks, so a page
    # rendered just after the fixtures' publishes is kept (the rule that a tag
    # bumped during the render keeps the page out stays).
    monkeypatch.setattr(pagecache, "CLOCK_MARGIN_NS", 0)


def served(response):
    """How the page cache served a response: "hit", "miss" (stored) or None."""
    return response.headers.get("X-Steward-Cache")
