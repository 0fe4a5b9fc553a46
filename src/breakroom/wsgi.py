"""WSGI entry point for the production-style server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakroom.settings.base")

application = get_wsgi_application()
