"""What operations rely on: settings from the environment, health, robots, sitemap, deploy."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .pages import build_sections, make_alert

pytestmark = pytest.mark.django_db
BASE_DIR = Path(settings.BASE_DIR)
# What production needs to import its settings at all (a strong key, a host name).
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "production-check-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "fxxf.example.gov.cn",
}


def run_python(code, **env):
    """Import the settings in a fresh interpreter with the given environment."""
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(module, expression, **env):
    code = (
        "import json, importlib; "
        f"s = importlib.import_module('portal.settings.{module}'); "
        f"print(json.dumps({expression}, default=str))"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_default_database_is_sqlite_and_database_url_switches_to_postgres():
    assert settings_value("dev", "s.DATABASES['default']['ENGINE']") == "common.sqlite"
    engine = settings_value(
        "dev",
        "s.DATABASES['default']['ENGINE']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert engine == "django.db.backends.postgresql"


def test_a_sqlite_database_url_gets_the_same_options_as_sqlite_path(tmp_path):
    url = f"sqlite:///{tmp_path / 'fangxin.sqlite3'}"
    by_url = settings_value(
        "production", "s.DATABASES['default']['OPTIONS']", **PRODUCTION_ENV, DATABASE_URL=url
    )
    by_path = settings_value(
        "dev", "s.DATABASES['default']['OPTIONS']", SQLITE_PATH=str(tmp_path / "other.sqlite3")
    )
    assert by_url == by_path
    assert by_url["transaction_mode"] == "IMMEDIATE"
    assert by_url["timeout"] == 20
    code = (
        "import django, os; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); "
        "print([cursor.execute(f'PRAGMA {name}').fetchone()[0] for name in "
        "('journal_mode', 'synchronous', 'foreign_keys')], connection.lock_timeout)"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DATABASE_URL=url,
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['wal', 1, 1] 20.0"  # synchronous 1 = NORMAL


def test_sqlite_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@pytest.mark.django_db
def test_a_statement_written_with_sqlites_own_placeholders_is_sent_as_it_is():
    """The import's bulk updates are written with ``?`` and skip Django's rewriting of each
    ``%s``: a ``%s`` in the text is then the text's own, and the values still bind."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.qmark_cursor() as cursor:
        cursor.execute("SELECT ? || '（满%s减）', ?", ["退货", 30])
        assert cursor.fetchone() == ("退货（满%s减）", 30)


def test_a_statement_written_with_question_marks_is_logged_as_debug_logs_every_statement():
    """With DEBUG (the development server) every statement is logged with its values: one
    written with ``?`` is run and logged too, its ``%s`` text left as it is."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with CaptureQueriesContext(connection) as logged, connection.qmark_cursor() as cursor:
        cursor.execute("SELECT ? || '（满%s减）', ?", ["退货", 30])
        assert cursor.fetchone() == ("退货（满%s减）", 30)

    assert logged.captured_queries[-1]["sql"] == "SELECT '退货' || '（满%s减）', 30"


def test_a_large_write_ahead_log_is_cut_back_once_checkpointed(tmp_path):
    """A million-row import leaves a WAL file over a gigabyte, kept at that size while any
    connection stays open (a web worker's): the connections' journal_size_limit cuts it back
    to 64 MB at the first write after a complete checkpoint."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    import sqlite3

    path = tmp_path / "fangxin.sqlite3"
    wal = tmp_path / "fangxin.sqlite3-wal"
    init_command = settings.DATABASES["default"]["OPTIONS"]["init_command"]

    def connect():
        opened = sqlite3.connect(path, isolation_level=None)
        opened.executescript(init_command)
        return opened

    worker = connect()  # stays open, as a web worker's connection does
    worker.execute("PRAGMA wal_autocheckpoint = 0")  # as an import's connection
    worker.execute("CREATE TABLE record (body BLOB)")
    worker.execute("BEGIN")
    worker.executemany("INSERT INTO record VALUES (randomblob(4000))", [()] * 24_000)
    worker.execute("COMMIT")
    assert wal.stat().st_size > 90 * 2**20

    writer = connect()
    writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
    writer.execute("INSERT INTO record VALUES (1)")

    assert wal.stat().st_size <= 64 * 2**20
    assert writer.execute("SELECT count(*) FROM record").fetchone()[0] == 24_001
    writer.close()
    worker.close()


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_redis_url_selects_the_redis_cache_and_it_works_against_a_real_server():
    backend = settings_value(
        "dev", "s.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert backend == "django.core.cache.backends.redis.RedisCache"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings.dev'; "
        "django.setup(); from django.core.cache import cache; "
        "cache.set('fangxin-test', '放心消费', 30); print(cache.get('fangxin-test'))"
    )
    result = run_python(code, REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "放心消费"


def deploy_check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            **PRODUCTION_ENV,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    # The check reads the settings only: no Redis server needs to answer.
    result = deploy_check(REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_refuses_a_cache_each_worker_keeps_to_itself():
    result = deploy_check()  # no REDIS_URL: the local-memory cache
    assert result.returncode != 0
    assert "home.E001" in result.stderr
    assert "不在进程之间共享" in result.stderr and "REDIS_URL" in result.stderr


@pytest.mark.parametrize(
    "key, reason",
    [
        ("x", "SECRET_KEY 太短：只有 1 个字符，至少需要 50 个。"),
        ("change-me-in-production", "SECRET_KEY is too short: 23 characters"),
        ("x" * 64, "SECRET_KEY 只由 1 种字符组成"),
        ("ab" * 40, "SECRET_KEY uses only 2 distinct characters"),
        ("dev-only-insecure-key-do-not-use-in-production", "公开的开发或测试密钥"),
        ("test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz", "published development or test"),
        ("django-insecure-k3#v9!q2@w8$e7%r6^t5&y4*u3(i2)o1_p0+a9-s8=d7", "公开的开发或测试密钥"),
    ],
)
def test_production_refuses_a_short_repetitive_or_published_secret_key(key, reason):
    result = run_python(
        "import importlib; importlib.import_module('portal.settings.production')", SECRET_KEY=key
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # and how to make a good one


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(
        "import importlib; importlib.import_module('portal.settings.production')", SECRET_KEY=""
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert f"Sitemap: {settings.PORTAL_BASE_URL}/sitemap.xml" in text


def test_sitemap_lists_published_pages(client):
    sections = build_sections()
    alert = make_alert(sections["alerts"], "中秋国庆消费提示", "出游消费保留票据。")
    alert_draft_title = "草稿提示"
    sections["alerts"].add_child(
        instance=type(alert)(title=alert_draft_title, intro="x", live=False, slug="draft")
    )
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"<loc>{settings.PORTAL_BASE_URL}{alert.url}</loc>" in xml
    assert "/alerts/draft/" not in xml


def test_large_text_mode_persists_in_a_cookie(client):
    response = client.get("/text-size/", {"size": "large", "next": "/alerts/"})
    assert response.status_code == 302
    assert response["Location"] == "/alerts/"
    assert response.cookies[settings.PORTAL_TEXT_SIZE_COOKIE].value == "large"
    html = client.get("/").content.decode()
    assert 'class="large-text' in html or "large-text" in html.split("<body", 1)[0]


def test_text_size_switch_refuses_to_redirect_off_site(client):
    response = client.get("/text-size/", {"size": "large", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unknown_page_is_a_chinese_404_with_a_search_box(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="zh-CN"' in html
    assert 'name="q"' in html


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_hashed_static_files_with_production_settings(tmp_path):
    """collectstatic + WhiteNoise + gunicorn, as deployed (SQLite in a temp dir)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "gunicorn-test-key-" + "y" * 40,
        "STATIC_ROOT": str(tmp_path / "static"),
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/portal.css"]
    assert hashed_css != "css/portal.css"

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(f"{base}/static/{hashed_css}", timeout=5) as response:
            assert response.status == 200
            assert "immutable" in response.headers["Cache-Control"]
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            html = response.read().decode()
            assert f"/static/{hashed_css}" in html
    finally:
        server.terminate()
        server.wait(timeout=10)


LOAD_THE_WSGI_APPLICATION = """
import gc
import sys
import portal.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()), int("disclosures.views.search" in sys.modules))
"""


def test_the_wsgi_application_leaves_the_garbage_collector_little_to_walk():
    """portal/startup.py: a web process sets its start-up objects aside from the collector."""
    done = run_python(LOAD_THE_WSGI_APPLICATION, DJANGO_SETTINGS_MODULE="portal.settings.test")
    assert done.returncode == 0, done.stderr
    frozen, tracked, views_loaded = map(int, done.stdout.split())
    assert frozen > 100_000
    assert tracked < frozen // 100
    assert views_loaded  # at start-up, not by the first request, and frozen with the rest


RUN_A_LARGE_JOB = """
import gc, json
from common import bulk_gc
if {already_frozen}:
    gc.freeze()  # as a web worker does at start-up
before = gc.get_freeze_count(), gc.get_threshold()
kept = [[number] for number in range(5000)]  # the process's own long-lived objects
with bulk_gc.tuned():
    during = gc.get_freeze_count(), gc.get_threshold()
after = gc.get_freeze_count(), gc.get_threshold()
print(json.dumps([before, during, after]))
"""


@pytest.mark.parametrize("already_frozen", [False, True], ids=["a command", "a web worker"])
def test_a_large_job_sets_the_process_objects_aside_and_puts_the_collector_back(
    already_frozen,
):
    """common/bulk_gc.py, around an import: what existed is frozen (a worker's own freeze is
    left as it was), young objects are collected less often, and both are put back."""
    from common.bulk_gc import BULK_THRESHOLDS

    done = run_python(RUN_A_LARGE_JOB.format(already_frozen=already_frozen))
    assert done.returncode == 0, done.stderr
    (frozen_before, thresholds), (frozen_during, during), (frozen_after, after) = json.loads(
        done.stdout
    )
    assert tuple(during) == BULK_THRESHOLDS and after == thresholds != during
    if already_frozen:
        assert frozen_during == frozen_after == frozen_before > 5000
    else:
        assert frozen_before == frozen_after == 0
        assert frozen_during > 5000  # the process's objects, never walked while it runs
