from django.core.cache import cache

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
