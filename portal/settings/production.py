"""Production: PostgreSQL, Redis and Elasticsearch come from the environment (see base)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list
from .secret_key import HOW_TO_MAKE_ONE, weakness

DEBUG = False

if reason := weakness(SECRET_KEY):  # noqa: F405
    raise ImproperlyConfigured(f"{reason}\n{HOW_TO_MAKE_ONE}")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PORTAL_BASE_URL)  # noqa: F405

# Hashed, compressed static files served by WhiteNoise; a stale CSS file can never be cached.
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405
WHITENOISE_MAX_AGE = 31536000

# TLS is terminated by the front proxy; SECURE_SSL_REDIRECT=0 serves plain HTTP (benchmarks).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# SAMEORIGIN, not DENY: Wagtail's live preview shows the page in a same-origin iframe.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"] + ([] if SECURE_HSTS_PRELOAD else ["security.W021"])

try:
    from .local import *  # noqa: F403
except ImportError:
    pass

# A complaint is handled under the complainant's real phone: verified by SMS in production
# (COMPLAINT_PHONE_VERIFICATION=0 turns it off, e.g. for a load test).
COMPLAINT_PHONE_VERIFICATION = env_bool("COMPLAINT_PHONE_VERIFICATION", True)
