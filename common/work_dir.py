"""The private folder imports work in (``IMPORT_WORK_DIR``), never under MEDIA_ROOT: uploads
waiting for their task (``import_jobs``), and the lock, state and spooled updates of a
disclosure import (``disclosures.importing.exclusive``)."""

from pathlib import Path

from django.conf import settings


def work_dir(*parts):
    """``IMPORT_WORK_DIR``, or a folder in it, created if need be (for this user only)."""
    path = Path(settings.IMPORT_WORK_DIR, *parts)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
