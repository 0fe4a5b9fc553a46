"""Counting attempts without learning who made them.

Keys (a username, an account id) are never stored as they are: the cache holds a
keyed hash whose key changes with each time window, so yesterday's counters cannot
be linked to today's, and a copy of the cache names nobody.
"""

import hashlib
import hmac
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache

if TYPE_CHECKING:
    from django.http import HttpRequest


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


def source_key(request: "HttpRequest") -> str:
    """What a per-sender limit counts: the network address, hashed at once.

    The address itself is never stored: it is hashed with a key that changes every
    hour (see `_bucket`), and the hash lives only in the cache for that hour.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.headers.get("X-Forwarded-For", "")
        address = forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")
    else:
        address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"source:{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def take(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt of `key`; False (and nothing counted) once `limit` is reached."""
    if is_limited(scope, key, limit=limit, window_seconds=window_seconds):
        return False
    count_failure(scope, key, window_seconds=window_seconds)
    return True
