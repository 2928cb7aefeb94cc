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
