"""The files in deploy/ name what exists: an operator who copies them gets units that run.

Every ``manage.py <command>`` in a unit, the nginx site or the backup script is a command this
project has; every timer has its service and every oneshot service its timer; the units read
the environment file and run from the venv; the backup script is valid bash that dumps in
pg_dump's custom format and prunes old backups; nginx appends to X-Forwarded-For, as the rate
limits behind TRUSTED_PROXIES require, and serves neither private media nor import files.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
BACKUP_SCRIPT = DEPLOY / "backup" / "fangxin-backup.sh"
NGINX_SITE = DEPLOY / "nginx" / "fangxin.conf"
MANAGE_COMMAND = re.compile(r"manage\.py\s+([a-z_]+)")


def deploy_files():
    return sorted(path for path in DEPLOY.rglob("*") if path.is_file())


def commands_named():
    """(file, command) of every ``manage.py <command>`` in deploy/."""
    return [
        (path.relative_to(ROOT), command)
        for path in deploy_files()
        for command in MANAGE_COMMAND.findall(path.read_text(encoding="utf-8"))
    ]


def test_deploy_folder_names_the_scheduled_commands_the_readme_asks_for():
    named = {command for _path, command in commands_named()}
    for command in (
        "db_worker",
        "publish_scheduled",
        "complaint_deadlines",
        "remove_complaint_personal_data",
        "sync_disclosures",
        "clearsessions",
        "prune_db_task_results",
    ):
        assert command in named, f"no unit in deploy/ runs manage.py {command}"


@pytest.mark.parametrize("path,command", commands_named(), ids=lambda value: str(value))
def test_every_manage_command_in_deploy_exists(path, command):
    assert command in get_commands(), f"{path} runs manage.py {command}, which does not exist"


def test_every_timer_starts_a_service_and_every_oneshot_service_has_a_timer():
    timers = {path.stem for path in SYSTEMD.glob("*.timer")}
    services = {path.stem for path in SYSTEMD.glob("*.service")}
    assert timers, "deploy/systemd has no timer"
    assert timers <= services, f"timers without a service: {sorted(timers - services)}"
    oneshots = {
        path.stem for path in SYSTEMD.glob("*.service") if "Type=oneshot" in path.read_text()
    }
    assert oneshots == timers, f"oneshot services without a timer: {sorted(oneshots - timers)}"


@pytest.mark.parametrize("path", sorted(SYSTEMD.glob("*.service")), ids=lambda path: path.name)
def test_every_service_runs_from_the_project_with_its_environment_file(path):
    text = path.read_text(encoding="utf-8")
    assert "WorkingDirectory=/srv/fangxin\n" in text
    assert "EnvironmentFile=/srv/fangxin/.env\n" in text
    assert "User=fangxin\n" in text
    executable = re.search(r"^ExecStart=(\S+)", text, re.M).group(1)
    assert executable.startswith("/srv/fangxin/"), executable
    if "manage.py" in text:
        assert executable == "/srv/fangxin/.venv/bin/python"


def test_the_web_service_serves_the_production_wsgi_application_with_four_workers():
    text = (SYSTEMD / "fangxin-web.service").read_text(encoding="utf-8")
    assert "/srv/fangxin/.venv/bin/gunicorn portal.wsgi:application" in text
    assert "--workers 4" in text
    assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in (
        DEPLOY / "env.example"
    ).read_text(encoding="utf-8")


def test_the_environment_example_names_only_documented_variables():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines():
        name = line.lstrip("#").split("=", 1)[0].strip()
        if "=" in line and re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            assert f"`{name}`" in readme, f"deploy/env.example sets {name}, not in the README"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_backup_script_is_valid_bash():
    result = subprocess.run(["bash", "-n", str(BACKUP_SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_backup_script_dumps_in_custom_format_keeps_both_media_folders_and_prunes():
    text = BACKUP_SCRIPT.read_text(encoding="utf-8")
    assert BACKUP_SCRIPT.stat().st_mode & 0o111, "the backup script is not executable"
    assert "pg_dump --format=custom" in text
    assert "pg_restore --list" in text  # a dump that cannot be read fails the run
    assert "MEDIA_ROOT" in text and "PRIVATE_MEDIA_ROOT" in text
    assert "-mtime +" in text and "BACKUP_KEEP_DAYS" in text
    assert "umask 077" in text  # the private archive holds personal data
    backup_unit = (SYSTEMD / "fangxin-backup.service").read_text(encoding="utf-8")
    assert "ExecStart=/srv/fangxin/deploy/backup/fangxin-backup.sh" in backup_unit


def test_nginx_appends_the_client_address_and_serves_no_private_files():
    text = NGINX_SITE.read_text(encoding="utf-8")
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    locations = re.findall(r"^\s*(?:alias|root)\s+(\S+);", text, re.M)
    assert locations == ["/srv/fangxin-shared/media/"]
    assert "proxy_cache " not in text
