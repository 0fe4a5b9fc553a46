"""Local development: debug pages on, plain HTTP cookies on localhost."""

from .base import *  # noqa: F403

DEBUG = True
HTTPS = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
