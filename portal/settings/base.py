"""Settings shared by every environment.

Everything that differs between machines is read from the environment, so the same code runs on
the embedded default (SQLite, local-memory cache, database search) and in production
(PostgreSQL, Redis, Elasticsearch). Every variable read here is in the README's configuration
table (tests/test_settings_documented.py); modules read settings as ``settings.NAME``, never
with a default of their own, so each tunable has its one default here.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "common",
    "home",
    "editorial",
    "merchants",
    "disclosures",
    "complaints",
    "objections",
    "lists",
    "search",
    "demo",
    "portal",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # django-ninja (/api/v1/): its Swagger UI page and files served from here, not from a CDN.
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response but the admin's (CONTENT_SECURITY_POLICY below),
    # django-csp's middleware with the policy built once (portal/csp.py).
    "portal.csp.CSPMiddleware",
    # WhiteNoise serves the hashed static files straight from the WSGI process.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A scan page of 一企一码 already in the cache, answered before the rest (as fast as can be
    # at the counter; a miss goes on through the whole stack).
    "portal.cached_scan_pages.CachedScanPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 简/繁: a reader page converted to traditional characters on its way out, for a reader who
    # chose 繁體 (after every view and the scan page's cache; before Content-Length is set).
    "portal.script_conversion.ScriptConversionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A document uploaded as report2026.pdf is saved by the reader under its Chinese title.
    "portal.document_names.DocumentDownloadNameMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.reader_preferences",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Database: SQLite in WAL mode unless DATABASE_URL names another server.
SQLITE_PATH = os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH}}
SQLITE_OPTIONS = {
    # WAL lets readers go on while an import writes; a writer that finds the lock taken waits
    # up to ``timeout`` seconds, trying again every few milliseconds (common.sqlite says why).
    # The WAL file keeps the size of the most written between two checkpoints, 1.1-1.3 GB after
    # a million-row import, for as long as a connection is open: journal_size_limit cuts it back
    # to 64 MB once a checkpoint has copied it all (the import ends with one).
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        "PRAGMA journal_size_limit=67108864;"
    ),
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "common.sqlite"):
    # Whichever way SQLite was chosen (SQLITE_PATH or DATABASE_URL=sqlite:///…); options
    # written in the URL's query string win.
    DATABASES["default"]["ENGINE"] = "common.sqlite"
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fangxin",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fangxin",
        }
    }

# Anonymous rate limits, counted per client in the default cache (which must be shared by every
# worker: the home.E001 deploy check). API: requests per window; export: CSV files per window.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", 60))
API_RATE_WINDOW = int(os.environ.get("API_RATE_WINDOW", 60))
DISCLOSURE_EXPORT_RATE_LIMIT = int(os.environ.get("DISCLOSURE_EXPORT_RATE_LIMIT", 10))
DISCLOSURE_EXPORT_RATE_WINDOW = int(os.environ.get("DISCLOSURE_EXPORT_RATE_WINDOW", 60))
# Most rows of one public CSV export; a closing line says when a search had more.
DISCLOSURE_EXPORT_MAX_ROWS = int(os.environ.get("DISCLOSURE_EXPORT_MAX_ROWS", 100_000))
# Days a disclosure stays public when its file leaves 公示截止日期 blank; empty: the column is
# required and such a file is refused.
DISCLOSURE_DEFAULT_DISPLAY_DAYS = (
    int(os.environ.get("DISCLOSURE_DEFAULT_DISPLAY_DAYS") or 0) or None
)
# Proxies (addresses or CIDR networks) whose X-Forwarded-For is believed: the client is the
# right-most hop that is not one of them (common/client_address.py). Empty: REMOTE_ADDR is the
# client and X-Forwarded-For is never read.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Used by the disclosure search at scale; empty means the database path only. Several nodes of
# one cluster are comma-separated (https://es1:9200,https://es2:9200): the client spreads the
# requests and skips a node that is down.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Elasticsearch 8 turns TLS and authentication on by default: the cluster's CA certificate (a
# PEM file; empty: the system's trusted CAs), and an API key or else a user and password.
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_USERNAME = os.environ.get("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = os.environ.get("ELASTICSEARCH_PASSWORD", "")
# Indices are named <prefix>-disclosures (the alias) so several sites can share a cluster (lower
# case letters, digits, "-", "_" and ".": home/checks.py refuses any other); a reader's search
# gives up after ELASTICSEARCH_TIMEOUT seconds and falls back to the database.
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "fangxin")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# The public address of the portal: QR codes, feeds and Open Graph links are built on it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Wagtail
WAGTAIL_SITE_NAME = "放心消费公示平台"
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_FINDERS = []  # no network at run time: oEmbed look-ups are off
# The admin asks no other site for anything (a bureau's network may reach none): no Gravatar
# (the admin's own default avatar, and no editor's e-mail hash sent abroad), no check for a newer
# Wagtail from the editor's browser, no banner sending editors to Wagtail's English guide.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# No inline script or style and nothing from another origin on the public site. The Wagtail admin
# runs inline scripts and styles of its own, so it is left out (its pages are staff-only).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    },
}

# Private working files of imports (lock, state, spooled updates); never served.
# Complaint photos: personal data, so outside MEDIA_ROOT and served only by the desk.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
# SMS verification of the complainant's phone (complaints.sms): the backend's dotted path, and
# whether the intake asks for a code at all (on in production settings).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "complaints.sms.console.ConsoleBackend")
COMPLAINT_PHONE_VERIFICATION = os.environ.get("COMPLAINT_PHONE_VERIFICATION", "") == "1"
# Alibaba Cloud SMS for the codes (SMS_BACKEND=complaints.sms.aliyun.AliyunBackend): a RAM
# AccessKey allowed dysmsapi:SendSms, the sign name (签名) and the verification template, with a
# ${code} variable, both approved by the provider.
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_TEMPLATE_CODE", "")
ALIYUN_SMS_SETTLEMENT_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_SETTLEMENT_TEMPLATE_CODE", "")
# The merchant's objection link to a disclosed record (objections.links).
ALIYUN_SMS_OBJECTION_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_OBJECTION_TEMPLATE_CODE", "")
ALIYUN_SMS_LIST_NOTICE_TEMPLATE_CODE = os.environ.get("ALIYUN_SMS_LIST_NOTICE_TEMPLATE_CODE", "")

IMPORT_WORK_DIR = Path(os.environ.get("IMPORT_WORK_DIR", BASE_DIR / "var" / "imports"))
# The disclosure snapshot's files, mapped by every process of the machine
# (disclosures/snapshot_file.py): a local disk, unlike IMPORT_WORK_DIR, which app servers share.
DISCLOSURE_SNAPSHOT_DIR = Path(
    os.environ.get("DISCLOSURE_SNAPSHOT_DIR", BASE_DIR / "var" / "snapshots")
)
# How much nicer (lower CPU priority, 0-19) an import's threads run than the web's requests.
IMPORT_NICENESS = int(os.environ.get("IMPORT_NICENESS", 10))

# Limits of an import file, CSV or XLSX, command line or admin upload, checked before the file is
# read into memory (common/tabular.py). A complaint summary runs to a few hundred characters.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", 1024 * 1024 * 1024))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", 10_000))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 2_000_000))
# openpyxl loads an XLSX file's shared-string table (all its distinct texts) whole: about 1.5 to
# 3 bytes of memory per byte of it. Larger workbooks are imported as CSV, which streams.
IMPORT_MAX_XLSX_STRINGS_BYTES = int(
    os.environ.get("IMPORT_MAX_XLSX_STRINGS_BYTES", 64 * 1024 * 1024)
)

# Background tasks (django_tasks). Wagtail's own small tasks run at once, as before; an admin
# upload's import is queued in the database and run by `manage.py db_worker --backend imports`
# (started next to runserver by `make run`; a service of its own in production, see README).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

PORTAL_TEXT_SIZE_COOKIE = "fx_text_size"
# The reader's script, "hant" for 繁體 (portal/script_conversion.py); simplified otherwise.
PORTAL_SCRIPT_COOKIE = "fx_script"
# Scan counts are kept in memory per process and written at most this often (merchants app).
MERCHANT_SCAN_FLUSH_SECONDS = int(os.environ.get("MERCHANT_SCAN_FLUSH_SECONDS", 10))
# On a thread of each process, outside every request; tests flush when they ask instead.
MERCHANT_SCAN_FLUSH_IN_BACKGROUND = True
PORTAL_NAME = _("放心消费公示平台")
