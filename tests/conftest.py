import pytest


@pytest.fixture
def home(db):
    from steward.models import HomePage

    return HomePage.objects.get()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch):
    """Rate-limit counters live in the shared cache; each test counts in its own namespace."""
    import uuid

    from directory import throttle

    monkeypatch.setattr(throttle, "NAMESPACE", f"test-rl:{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def _fresh_page_cache(monkeypatch):
    """Cached pages and pending view counts live in the shared cache too: each test
    has its own namespace (directory.pagecache, impact.counts)."""
    import uuid

    from directory import pagecache
    from impact import counts

    monkeypatch.setattr(pagecache, "NAMESPACE", f"test-pc:{uuid.uuid4().hex}")
    monkeypatch.setattr(counts, "NAMESPACE", f"test-views:{uuid.uuid4().hex}")
