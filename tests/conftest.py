import pytest


@pytest.fixture
def home(db):
    from steward.models import HomePage

    return HomePage.objects.get()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
