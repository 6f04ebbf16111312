"""A web process sets its start-up objects aside from the garbage collector (portal/startup.py)."""

import os
import subprocess
import sys

from django.conf import settings

LOAD_THE_WSGI_APPLICATION = """
import gc
import sys
import portal.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()), int("disclosures.views.search" in sys.modules))
"""


def test_the_wsgi_application_leaves_the_collector_little_to_walk():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings.test")
    done = subprocess.run(
        [sys.executable, "-c", LOAD_THE_WSGI_APPLICATION],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, tracked, views_loaded = map(int, done.stdout.split())
    assert frozen > 100_000
    assert tracked < frozen // 100
    assert views_loaded  # at start-up, not by the first request, and frozen with the rest
