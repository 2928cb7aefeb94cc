"""steward.cache.RedisCache: Django's Redis cache with one redis-py client per pool.

Needs a Redis server: STEWARD_TEST_REDIS_URL (default redis://127.0.0.1:6379/14);
skipped when none answers.
"""

import os
import uuid

import pytest

from steward.cache import RedisCache

URL = os.environ.get("STEWARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def cache():
    cache = RedisCache(URL, {"KEY_PREFIX": f"test-client:{uuid.uuid4().hex}"})
    try:
        cache.get("ping")
    except Exception as exc:  # noqa: BLE001 - no server: nothing to test here
        pytest.skip(f"no Redis at {URL}: {exc}")
    return cache


def test_one_client_serves_every_call_and_the_cache_still_works(cache):
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
    cache.set("a", {"n": 1}, 30)
    cache.set_many({"b": 2, "c": 3}, 30)
    assert cache.get("a") == {"n": 1}
    assert cache.get_many(["a", "b", "c", "missing"]) == {"a": {"n": 1}, "b": 2, "c": 3}
    assert cache.incr("b", 5) == 7
    cache.delete_many(["a", "b", "c"])
    assert cache.get_many(["a", "b", "c"]) == {}
