"""Import bombs: how fast, and in how little memory, hostile XLSX files are refused.

Usage: .venv/bin/python bench/import_bombs.py [--json]

The two files of issue 9, written part by part (tests/handmade_xlsx.py) into a temporary folder:
a 1 MB workbook whose one cell is a 1 GiB shared string, and a workbook of well under 1 MB with
five million rows (and no <dimension> to give them away). Each is imported, in a fresh process
on a throw-away SQLite database, the two ways an editor can:

- the command line, ``manage.py import_disclosures FILE``;
- the admin upload: the web request (which only saves the file and queues the task) and then
  the background worker, ``manage.py db_worker --backend imports --batch``, which runs it.

For each it prints the wall-clock seconds and the process's peak resident memory (getrusage),
and the message the editor reads. Targets: refused within 10 s, peak under 300 MB.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

from bench.report import Report, add_json_option  # noqa: E402
from tests.handmade_xlsx import bare_rows, huge_string, write_xlsx  # noqa: E402

TARGET_SECONDS = 10
TARGET_PEAK_MB = 300
GIB = 1024**3
HEADERS = ["投诉编号", "被投诉人名称", "行政区划代码", "投诉内容摘要", "投诉日期", "处理结果"]

# Run in a child process: set Django up, do one thing, print seconds, peak MB and a message.
CHILD = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.core.management import CommandError, call_command
    started = time.monotonic()
    message = ""
    try:
        {action}
    except CommandError as error:
        message = str(error)
    seconds = time.monotonic() - started
    # VmHWM of this process's own memory: ru_maxrss would carry the parent's peak over the exec.
    status = open("/proc/self/status").read().splitlines()
    peak_mb = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    print(f"{{seconds:.2f}}\\t{{peak_mb:.0f}}\\t{{message}}".replace("\\n", " / "))
    """
)

UPLOAD = """
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from common.models import ImportJob
users = get_user_model().objects
user = users.get_or_create(username="bench", is_superuser=True, is_staff=True)[0]
client = Client()
client.force_login(user)
with open({path!r}, "rb") as handle:
    upload = SimpleUploadedFile({name!r}, handle.read())
response = client.post("/admin/disclosures/import/", {{"file": upload}})
job = ImportJob.objects.latest("pk")
message = f"HTTP {{response.status_code}} → {{response.get('Location')}}, job {{job.status}}"
"""

WORKER = """
options = ["--backend", "imports", "--batch", "--no-startup-delay", "--no-reload"]
call_command("db_worker", *options, verbosity=0)
from common.models import ImportJob
job = ImportJob.objects.latest("pk")
message = f"job {job.status}: " + job.outcome.get("file_error", "")
"""


def build_bombs(folder):
    cell_bomb = folder / "cell-1gib.xlsx"
    row = [
        "TS430104202601050001",
        "长沙市岳麓区麓谷优选超市有限公司",
        "430104",
        "",
        "2026-01-05",
        "调解成功",
    ]
    distinct = len({value for value in [*HEADERS, *row] if value})
    write_xlsx(
        cell_bomb,
        [HEADERS, row],
        extra_rows=[f'<row r="3"><c r="D3" t="s"><v>{distinct}</v></c></row>'],
        extra_strings=huge_string(GIB),
    )
    rows_bomb = folder / "rows-5m.xlsx"
    write_xlsx(rows_bomb, [HEADERS], extra_rows=bare_rows(5_000_000))
    return {"1 GiB cell": cell_bomb, "5,000,000 rows": rows_bomb}


def run_child(action, env):
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(action=textwrap.indent(action, "    ").strip())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    seconds, peak_mb, message = result.stdout.strip().splitlines()[-1].split("\t", 2)
    return float(seconds), float(peak_mb), message


def refusal_figures(report, bomb, how, seconds, peak_mb):
    name = f"{bomb}.{how}"
    report.add(f"{name}.seconds", seconds, "s", TARGET_SECONDS, "<")
    report.add(f"{name}.peak_memory", peak_mb, "MB", TARGET_PEAK_MB, "<")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_json_option(parser)
    args = parser.parse_args()
    report = Report("import_bombs")
    workdir = Path(tempfile.mkdtemp(prefix="bench-bombs-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "IMPORT_WORK_DIR": str(workdir / "imports"),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    started = time.monotonic()
    bombs = build_bombs(workdir)
    print(f"bombs written in {time.monotonic() - started:.1f} s")
    for label, path in bombs.items():
        print(f"\n{label}: {path.stat().st_size / 1024 / 1024:.2f} MB on disk")
        runs = [
            ("command line", f"call_command('import_disclosures', {str(path)!r})"),
            ("admin upload request", UPLOAD.format(path=str(path), name=path.name).strip()),
            ("background worker", WORKER.strip()),
        ]
        for how, action in runs:
            seconds, peak_mb, message = run_child(action, env)
            verdict = "ok" if seconds < TARGET_SECONDS and peak_mb < TARGET_PEAK_MB else "MISSED"
            print(f"  {how:<22} {seconds:6.2f} s  peak {peak_mb:5.0f} MB  {verdict}  {message}")
            refusal_figures(report, label, how, seconds, peak_mb)
    print(f"\ntargets: refused within {TARGET_SECONDS} s, peak under {TARGET_PEAK_MB} MB")
    report.emit(args.json)


if __name__ == "__main__":
    main()
