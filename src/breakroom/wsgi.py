"""WSGI entry point for the production-style server."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breakroom.settings.base")

application = get_wsgi_application()

# Everything loaded so far lives as long as the process: move it out of the garbage
# collector's sight, so full collections stay short (they were the slowest requests).
gc.collect()
gc.freeze()
