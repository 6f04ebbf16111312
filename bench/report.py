"""A benchmark's figures as one JSON object, printed as the last line of a run with ``--json``.

Every script under ``bench/`` keeps printing its figures for a reader; with ``--json`` it adds,
as its very last line, one object that names each figure with its value, unit, target, the
comparison the target is met by and whether it holds::

    {"bench": "qr_export", "at": "2026-11-26T13:00:00Z", "commit": "bd2c8b0", "dirty": false,
     "context": {"merchants": 10000, "workers": 2},
     "figures": {"export.seconds_per_10000": {"value": 14.2, "unit": "s", "target": 60,
                                               "comparison": "<", "holds": true}, ...},
     "holds": true}

A figure without a target (a median beside its p95, a count of hits) has ``target``,
``comparison`` and ``holds`` null; the run's ``holds`` is true when every figure with a target
holds. ``bench/compare.py`` reads two such lines and prints each figure's change.
"""

import datetime
import json
import math
import operator
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPARISONS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


def add_json_option(parser):
    parser.add_argument(
        "--json",
        action="store_true",
        help="end with one line of JSON: every figure by name, its target and whether it holds "
        "(bench/compare.py compares two runs)",
    )


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def git_commit():
    """(short commit, whether the work tree differs from it), or (None, None) outside git."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        changes = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return commit, bool(changes)


def _plain(value):
    """A JSON-safe value: NumPy scalars as Python ones, floats to six significant digits (more
    would be noise), NaN and infinities as null."""
    if hasattr(value, "item") and not isinstance(value, (bool, int, float, str)):
        value = value.item()
    if isinstance(value, float):
        return float(f"{value:.6g}") if math.isfinite(value) else None
    return value


class Report:
    """The figures of one run, by name, in the order they were added."""

    def __init__(self, bench, **context):
        self.bench = bench
        self.context = context
        self.figures = {}

    def add(self, name, value, unit="", target=None, comparison=None, **extra):
        """Records a figure and returns whether it holds (None when it has no target); ``extra``
        fields are stored beside the value (bench/compare.py's value before and change)."""
        holds = None
        if target is not None:
            if comparison not in COMPARISONS:
                raise ValueError(f"{name}: comparison must be one of {sorted(COMPARISONS)}")
            holds = value is not None and bool(COMPARISONS[comparison](value, target))
        self.figures[name] = {
            "value": _plain(value),
            "unit": unit,
            "target": _plain(target),
            "comparison": comparison if target is not None else None,
            "holds": holds,
            **{key: _plain(value) for key, value in extra.items()},
        }
        return holds

    @property
    def holds(self):
        return all(figure["holds"] is not False for figure in self.figures.values())

    def as_dict(self):
        commit, dirty = git_commit()
        at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        return {
            "bench": self.bench,
            "at": at.isoformat().replace("+00:00", "Z"),
            "commit": commit,
            "dirty": dirty,
            "cores": os.cpu_count(),
            "context": {key: _plain(value) for key, value in self.context.items()},
            "figures": self.figures,
            "holds": self.holds,
        }

    def line(self):
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def emit(self, enabled=True):
        """Prints the line when ``enabled`` (the script's --json); a no-op otherwise."""
        if enabled:
            print(self.line(), flush=True)
