from .base import *  # noqa: F403
from .secret_key import TEST_KEY

DEBUG = False
SECRET_KEY = TEST_KEY
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each database's run keeps its files apart (CI runs the SQLite and PostgreSQL suites side by
# side), and none of them lands in the working folders of a development server (var/).
_RUN = DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]  # noqa: F405 (sqlite, postgresql)
MEDIA_ROOT = BASE_DIR / ".test-media" / _RUN  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media" / f"{_RUN}-private"  # noqa: F405
# Tests always use a private local-memory cache, even where REDIS_URL is set.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "common.sqlite":  # noqa: F405
    # TEST_SQLITE_PATH lets two test runs on one machine keep out of each other's way.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("TEST_SQLITE_PATH", BASE_DIR / ".test-db.sqlite3")  # noqa: F405
    }
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# An admin upload's import runs inside the request, so a test sees its outcome at once.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# A writer thread would flush one test's scans on its own connection during another test.
MERCHANT_SCAN_FLUSH_IN_BACKGROUND = False
# Static files straight from the app folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
