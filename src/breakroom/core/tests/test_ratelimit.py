import os
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from breakroom.core.ratelimit import count_failure, is_limited


def test_limit_is_reached_after_the_counted_failures() -> None:
    for _ in range(2):
        count_failure("signin", "olu", window_seconds=60)
    limited_before = is_limited("signin", "olu", limit=3, window_seconds=60)

    count_failure("signin", "olu", window_seconds=60)

    assert limited_before is False
    assert is_limited("signin", "olu", limit=3, window_seconds=60) is True
    assert is_limited("signin", "someone-else", limit=3, window_seconds=60) is False


def test_the_cache_never_holds_the_key_itself() -> None:
    count_failure("signin", "canary-username-123", window_seconds=60)

    keys = list(cache._cache.keys())  # type: ignore[attr-defined]

    assert len(keys) == 1
    assert "canary-username-123" not in keys[0]


REDIS_URL = os.environ.get("BREAKROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache() -> Iterator[None]:
    """The production cache: Redis, where one answers (required under CI=true)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is required under CI=true: {error}")
        pytest.skip(f"No Redis at {REDIS_URL}: {error}")
    client.flushdb()
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": backend}):
        yield
    client.flushdb()


def test_limits_hold_in_redis_and_it_stores_no_username(redis_cache: None) -> None:
    for _ in range(3):
        count_failure("signin", "canary-redis-user", window_seconds=60)

    limited = is_limited("signin", "canary-redis-user", limit=3, window_seconds=60)

    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    keys = [str(key) for key in client.keys("*")]
    assert limited is True
    assert len(keys) == 1
    assert "canary-redis-user" not in keys[0]
    assert "canary-redis-user" not in str(client.get(keys[0]))
