"""Counting attempts without learning who made them.

Keys (a username, an account id) are never stored as they are: the cache holds a
keyed hash whose key changes with each time window, so yesterday's counters cannot
be linked to today's, and a copy of the cache names nobody.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def _bucket(scope: str, key: str, window_seconds: int) -> str:
    window = int(time.time()) // window_seconds
    secret = hashlib.sha256(f"breakroom-ratelimit:{settings.SECRET_KEY}:{window}".encode())
    digest = hmac.new(secret.digest(), f"{scope}:{key}".encode(), hashlib.sha256).hexdigest()
    return f"rl:{scope}:{digest[:32]}"


def is_limited(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """True once `limit` failures of `key` were counted in the current window."""
    return int(cache.get(_bucket(scope, key, window_seconds), 0)) >= limit


def count_failure(scope: str, key: str, *, window_seconds: int) -> None:
    """Count one failure of `key`; the counter vanishes with its window."""
    bucket = _bucket(scope, key, window_seconds)
    if not cache.add(bucket, 1, timeout=window_seconds):
        try:
            cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.add(bucket, 1, timeout=window_seconds)
