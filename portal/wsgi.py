"""WSGI entry point: `gunicorn portal.wsgi` serves the production settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# After get_wsgi_application: it sets Django up, which the startup module needs first.
from portal.startup import freeze_startup_objects  # noqa: E402

freeze_startup_objects()
