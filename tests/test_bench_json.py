"""Machine-readable benchmark output: ``--json`` ends a run with one line naming every figure
with its target and verdict, and ``bench/compare.py`` reads two such lines.

The cheap benchmarks run for real at tiny sizes (list drafting, scrubbing); the others need
gunicorn, wrk, Chromium or a million rows, so their figure functions are fed the measurements
those runs print.
"""

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.report import Report

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SCRIPTS = sorted(path.name for path in BENCH.glob("*.py") if path.name != "report.py")


def bench_env(tmp_path):
    """A throw-away SQLite database: a benchmark empties the tables of DATABASE_URL's."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(tmp_path / "bench.sqlite3")
    env["LOG_LEVEL"] = "ERROR"
    return env


def run_bench(tmp_path, *command):
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=bench_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )


def last_line(output):
    return json.loads(output.strip().splitlines()[-1])


def assert_well_formed(line, bench):
    assert line["bench"] == bench
    assert line["figures"], "a report names at least one figure"
    for name, figure in line["figures"].items():
        assert set(figure) >= {"value", "unit", "target", "comparison", "holds"}, name
        if figure["target"] is None:
            assert figure["holds"] is None, name
        else:
            assert figure["comparison"] in {"<", "<=", ">", ">=", "=="}, name
            assert isinstance(figure["holds"], bool), name
    verdicts = [f["holds"] for f in line["figures"].values() if f["holds"] is not None]
    assert line["holds"] == all(verdicts)


def import_bench(name, monkeypatch):
    """A benchmark as a module; bench/ goes last on the path, where the scripts that import
    ``merchant_page`` find it and where it hides no app."""
    monkeypatch.setattr(sys, "path", [*sys.path, str(BENCH)])
    return importlib.import_module(f"bench.{name}")


# --- every script ------------------------------------------------------------------------------


def test_every_benchmark_script_offers_json():
    helps = {
        name: subprocess.Popen(
            [sys.executable, str(BENCH / name), "--help"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in SCRIPTS
    }
    for name, process in helps.items():
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, (name, err)
        assert "--json" in out, name


# --- the report itself -------------------------------------------------------------------------


def test_a_figure_holds_by_its_comparison_and_one_miss_fails_the_run(capsys):
    report = Report("disclosures", database="sqlite", rows=1_000_000)
    assert report.add("import.rate", 26_412.8, "rows/s", 25_000, ">=") is True
    assert report.add("query[退货].p95", 61.2, "ms", 50.0, "<") is False
    assert report.add("query[退货].hits", 333_402, "rows") is None
    report.emit()
    line = json.loads(capsys.readouterr().out.splitlines()[-1])

    assert_well_formed(line, "disclosures")
    assert line["context"] == {"database": "sqlite", "rows": 1_000_000}
    assert line["figures"]["query[退货].p95"] == {
        "value": 61.2,
        "unit": "ms",
        "target": 50.0,
        "comparison": "<",
        "holds": False,
    }
    assert line["holds"] is False


def test_without_json_nothing_is_added(capsys):
    report = Report("qr_export")
    report.add("export.seconds_per_10000", 14.2, "s", 15, "<")
    report.emit(False)
    assert capsys.readouterr().out == ""


def test_values_json_cannot_hold_are_made_plain():
    numpy = pytest.importorskip("numpy")
    report = Report("disclosures")
    report.add("snapshot.size", numpy.int64(182_000_000), "B")
    report.add("query[跑路].ratio", float("inf"), "x", 10.0, ">=")
    report.add("import.rate", 10_412.3456789, "rows/s")
    line = json.loads(report.line())
    assert line["figures"]["snapshot.size"]["value"] == 182_000_000
    assert line["figures"]["query[跑路].ratio"]["value"] is None
    assert line["figures"]["import.rate"]["value"] == 10_412.3


# --- the cheap benchmarks, run --------------------------------------------------------------


def test_list_drafting_ends_with_its_figures(tmp_path):
    done = run_bench(
        tmp_path,
        "bench/list_drafting.py",
        "--rows",
        "2000",
        "--desk",
        "200",
        "--repeat",
        "1",
        "--sqlite",
        str(tmp_path / "lists.sqlite3"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    line = last_line(done.stdout)
    assert_well_formed(line, "list_drafting")
    assert line["context"]["rows"] == 2000
    assert line["context"]["period"] == "2026-Q3"
    worst = line["figures"]["drafting.worst"]
    assert (worst["unit"], worst["target"], worst["comparison"]) == ("s", 10.0, "<")
    assert worst["holds"] is True
    assert "rule[市级放心消费红榜].entries" in line["figures"]
    # The reader's lines come first, as without --json.
    assert "drafting every active rule" in done.stdout.splitlines()[-2]


def test_scrubbing_prints_the_same_lines_and_adds_one(tmp_path):
    # The two runs side by side: the machine's two cores, half the wait.
    plain, with_json = (
        subprocess.Popen(
            [sys.executable, "bench/scrubbing.py", "--rows", "300", *extra],
            cwd=ROOT,
            env=bench_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for extra in ([], ["--json"])
    )
    plain_out, _ = plain.communicate(timeout=180)
    json_out, json_err = with_json.communicate(timeout=180)
    assert plain.returncode == with_json.returncode == 0, json_err

    plain_lines = plain_out.splitlines()
    json_lines = json_out.splitlines()
    assert not any(line.startswith("{") for line in plain_lines)
    assert len(json_lines) == len(plain_lines) + 1
    # The timings differ between runs; the words around them do not.
    for before, after in zip(plain_lines, json_lines, strict=False):
        assert re.sub(r"[\d.]+", "#", before) == re.sub(r"[\d.]+", "#", after)

    line = last_line(json_out)
    assert_well_formed(line, "scrubbing")
    assert line["figures"]["corpus.clean_changed"]["target"] == 0
    assert line["figures"]["generator.readable[mobile]"]["holds"] is True
    assert line["figures"]["generator.per_row"]["unit"] == "µs"
    assert line["holds"] is True


# --- the heavy benchmarks' figures, from the measurements they print -----------------------


def test_disclosure_queries_carry_the_p95_and_speed_up_targets(monkeypatch):
    disclosures = import_bench("disclosures", monkeypatch)
    report = Report("disclosures")
    disclosures.import_figures(report, rate=10_412.0, peak_mb=412.0, created=1_000_000)
    disclosures.query_figures(report, "退货", 333_402, 41.0, 95.5, 120.0, 3_100.0, True, True)
    disclosures.query_figures(report, "complaint number", 1, 2.0, 3.0, 4.0, 900.0, False, False)
    figures = report.figures

    # 10,412 rows/s was the first target's pass; issue 15 asks for 25,000.
    assert figures["import.rate"]["target"] == 25_000
    assert figures["import.rate"]["holds"] is False
    assert figures["query[退货].p95"]["target"] == disclosures.target_p95_ms()
    assert figures["query[退货].ratio"]["holds"] is True
    # The speed-up has a target on common terms only; the counts must agree on every query.
    assert figures["query[complaint number].ratio"]["target"] is None
    assert figures["query[complaint number].counts_agree"]["holds"] is False
    assert_well_formed(json.loads(report.line()), "disclosures")


def test_scan_page_figures_hold_the_ratio_p99_and_weight(monkeypatch):
    merchant_page = import_bench("merchant_page", monkeypatch)
    report = Report("merchant_page")
    scan = {"rps": 2_850.0, "p50": 24.0, "p99": 41.0, "requests": 43_000, "errors": 0}
    static = {"rps": 3_900.0, "p50": 14.0, "p99": 40.0, "requests": 78_000, "errors": 0}
    weight = {"html": 9_800, "/static/css/site.css": 14_000}
    merchant_page.load_figures(report, scan, static, weight, counted=45_001, served=45_001)

    assert report.figures["scan.ratio_to_static"]["holds"] is True  # 73 % of the static rate
    assert report.figures["scan.p99"]["holds"] is True
    assert report.figures["scan.p99"]["target"] == merchant_page.TARGET_P99_MS
    assert report.figures["static.p99"]["target"] is None
    assert report.figures["scan.page_weight"] == {
        "value": 23_800,
        "unit": "B",
        "target": merchant_page.TARGET_WEIGHT,
        "comparison": "<",
        "holds": True,
    }


def test_a_slow_answer_during_the_import_fails_its_figure(monkeypatch, capsys):
    under_load = import_bench("import_under_load", monkeypatch)
    timings = under_load.Timings()
    for seconds in (0.05, 0.08, 1.4):
        timings.add("scan page", seconds, True)
    timings.add("admin login", 0.3, True)
    second = {"seconds": 0.4, "code": 1, "message": "另一个公示导入正在进行，请稍后再试。"}
    report = Report("import_under_load")

    assert under_load.report(timings, 40.0, 400_000, second, report) is False
    assert report.figures["import.rate"]["value"] == 10_000
    assert report.figures["second_import.refused"]["holds"] is True
    assert report.figures["during_import[scan page].slow"]["holds"] is False
    assert report.figures["during_import[admin login].slow"]["holds"] is True
    assert "MISSED" in capsys.readouterr().out


def test_complaint_intake_figures_count_lost_and_twice_made(monkeypatch):
    intake = import_bench("complaint_intake", monkeypatch)
    report = Report("complaint_intake")
    measured = {
        "requests": 2_150,
        "seconds": 43.0,
        "p50_ms": 180.0,
        "p95_ms": 420.0,
        "p99_ms": 610.0,
        "lost": 0,
        "duplicated": 1,
        "server_errors": 0,
        "no_answer": 0,
        "split_keys": 0,
        "locked": 0,
        "ok": False,
    }
    intake.intake_figures(report, measured)
    runs = {
        "first": {"seconds": 21.0, "cards": 48_210, "emails": 311},
        "second": {"seconds": 4.0, "cards": 0, "emails": 311},
    }
    intake.deadline_figures(report, runs)
    intake.deadline_figures(report, None)  # the command missing adds nothing

    assert report.figures["intake.rate"]["value"] == 50.0
    assert report.figures["intake.duplicated"]["holds"] is False
    assert report.figures["intake.lost"]["holds"] is True
    assert report.figures["deadlines.second_run_cards"]["holds"] is True
    assert report.holds is False


def test_qr_bombs_and_site_search_name_their_figures(monkeypatch):
    qr_export = import_bench("qr_export", monkeypatch)
    bombs = import_bench("import_bombs", monkeypatch)
    site_search = import_bench("site_search", monkeypatch)
    report = Report("several")
    result = SimpleNamespace(count=10_000, seconds=36.9, per_second=271.0)
    qr_export.export_figures(report, result, pngs=10_000, svgs=10_000, size_mb=61.0)
    bombs.refusal_figures(report, "1 GiB cell", "command line", 0.8, 96.0)
    bombs.refusal_figures(report, "5,000,000 rows", "background worker", 12.5, 140.0)
    site_search.query_figures(report, "预付卡", 2_000, 3.1, 4.0, 310.0, 330.0)

    # 36.9 s met the first target (60 s), not issue 15's 15 s.
    assert report.figures["export.seconds_per_10000"]["target"] == 15
    assert report.figures["export.seconds_per_10000"]["holds"] is False
    assert report.figures["export.png"]["holds"] is True
    assert report.figures["1 GiB cell.command line.seconds"]["holds"] is True
    assert report.figures["5,000,000 rows.background worker.seconds"]["holds"] is False
    assert report.figures["query[预付卡].ratio"]["value"] == 100.0
    assert_well_formed(json.loads(report.line()), "several")


def test_accessibility_counts_problems_per_page_view(monkeypatch):
    accessibility = import_bench("accessibility", monkeypatch)
    narrow = {"scrollWidth": 390, "width": 390, "wide": []}
    results = [
        {"name": "scan page", "width": 390, "violations": [], "overflow": narrow},
        {
            "name": "statistics",
            "width": 390,
            "violations": [{"id": "color-contrast"}],
            "overflow": {"scrollWidth": 520, "width": 390, "wide": ["figure.chart"]},
        },
    ]
    report = Report("accessibility")
    accessibility.audit_figures(report, results, failures=2)

    assert report.figures["problems"]["holds"] is False
    assert report.figures["page[scan page@390].problems"]["holds"] is True
    assert report.figures["page[statistics@390].problems"]["value"] == 2


# --- compare.py ----------------------------------------------------------------------------


def saved_run(path, figures, **context):
    report = Report("disclosures", **context)
    for name, args in figures.items():
        report.add(name, *args)
    # As saved with tee: the reader's lines, then the report.
    path.write_text(f"database: sqlite\nimport: …\n{report.line()}\n", encoding="utf-8")
    return path


def test_compare_prints_each_change_and_fails_on_a_lost_target(tmp_path):
    before = saved_run(
        tmp_path / "before.txt",
        {
            "import.rate": (10_400.0, "rows/s", 10_000, ">="),
            "query[退货].p95": (97.0, "ms", 100.0, "<"),
            "query[预付卡].p95": (40.0, "ms", 100.0, "<"),
        },
        rows=1_000_000,
    )
    after = saved_run(
        tmp_path / "after.txt",
        {
            "import.rate": (26_000.0, "rows/s", 10_000, ">="),
            "query[退货].p95": (48.5, "ms", 100.0, "<"),
            "query[预付卡].p95": (120.0, "ms", 100.0, "<"),
            "snapshot.load": (0.2, "s"),
        },
        rows=200_000,
    )
    done = subprocess.run(
        [sys.executable, "bench/compare.py", str(before), str(after), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "not alike: rows 1,000,000 → 200,000" in out
    rate = next(line for line in out.splitlines() if line.startswith("import.rate"))
    assert "+15,600 (+150.0%)" in rate and "better" in rate
    slower = next(line for line in out.splitlines() if line.startswith("query[预付卡].p95"))
    assert "worse; OK → MISSED" in slower
    assert "no longer holding: query[预付卡].p95" in out

    line = last_line(out)
    assert line["bench"] == "compare"
    assert line["figures"]["query[退货].p95"]["before"] == 97.0
    assert line["figures"]["query[退货].p95"]["verdict"] == "better"
    assert line["figures"]["snapshot.load"]["verdict"] == "new"
    assert line["holds"] is False


def test_compare_says_when_a_file_holds_no_report(tmp_path):
    empty = tmp_path / "run.txt"
    empty.write_text("database: sqlite\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "bench/compare.py", str(empty), str(empty)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "--json" in done.stderr
