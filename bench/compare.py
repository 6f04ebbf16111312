"""Two runs of a benchmark side by side: each figure's change, and the targets that changed.

Usage: .venv/bin/python bench/compare.py BEFORE AFTER [--json]

BEFORE and AFTER are files holding the output of a run with ``--json`` (the whole output saved
with ``tee``, or its last line alone): the last line of each that is a report is read. For every
figure of either run it prints the value before and after, the change (and in per cent), whether
the change is better or worse where the figure's target says which way is better (``<``: lower,
``>``: higher), and the target's verdict before and after. A different context (rows, database,
workers …) is printed first, since the figures are then not alike. Exits 1 when a figure that
held before no longer holds.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on the path: the project root takes its place.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

from bench.report import Report, add_json_option  # noqa: E402


def last_report(path):
    """The last line of the file that is a benchmark's JSON report."""
    lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    for line in reversed(lines):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            found = json.loads(line)
        except ValueError:
            continue
        if isinstance(found, dict) and isinstance(found.get("figures"), dict):
            return found
    raise SystemExit(f"{path}: no line of JSON with figures (was the benchmark run with --json?)")


def direction(figure):
    """+1 when a higher value is better, -1 when lower is, 0 when the target does not say."""
    comparison = (figure or {}).get("comparison") or ""
    return 1 if comparison.startswith(">") else -1 if comparison.startswith("<") else 0


def change(before, after):
    """One figure's change as a dict: values, difference, per cent, better or worse, verdicts."""
    old = before.get("value") if before else None
    new = after.get("value") if after else None
    either = after or before
    row = {
        "before": old,
        "after": new,
        "unit": either.get("unit", ""),
        "target": either.get("target"),
        "comparison": either.get("comparison"),
        "held": before.get("holds") if before else None,
        "holds": after.get("holds") if after else None,
        "difference": None,
        "percent": None,
        "verdict": "new" if before is None else "gone" if after is None else "same",
    }
    numbers = all(
        isinstance(value, int | float) and not isinstance(value, bool) for value in (old, new)
    )
    if numbers:
        row["difference"] = new - old
        if old:
            row["percent"] = (new - old) / abs(old) * 100
        way = direction(either)
        if new != old and way:
            row["verdict"] = "better" if (new - old) * way > 0 else "worse"
        elif new != old:
            row["verdict"] = "changed"
    elif before is not None and after is not None and old != new:
        row["verdict"] = "changed"
    return row


def compare(before, after):
    names = list(before["figures"]) + [n for n in after["figures"] if n not in before["figures"]]
    return {name: change(before["figures"].get(name), after["figures"].get(name)) for name in names}


def context_differences(before, after):
    keys = ["bench", "cores", *before.get("context", {}), *after.get("context", {})]
    differences = {}
    for key in dict.fromkeys(keys):
        old = before.get(key, before.get("context", {}).get(key))
        new = after.get(key, after.get("context", {}).get(key))
        if old != new:
            differences[key] = (old, new)
    return differences


def _text(value):
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _verdict(holds):
    return {True: "OK", False: "MISSED", None: "-"}[holds]


def print_table(before, after, rows):
    for label, run in (("before", before), ("after", after)):
        dirty = " (with uncommitted changes)" if run.get("dirty") else ""
        print(f"{label}: {run.get('bench')} at {run.get('at')}, commit {run.get('commit')}{dirty}")
    for key, (old, new) in context_differences(before, after).items():
        print(f"  not alike: {key} {_text(old)} → {_text(new)}")
    width = max([len("figure"), *(len(name) for name in rows)])
    print(
        f"\n{'figure':<{width}}  {'before':>12}  {'after':>12}  {'change':>18}  "
        f"{'target':>12}  verdict"
    )
    for name, row in rows.items():
        changed = ""
        if row["difference"] is not None:
            changed = _text(row["difference"])
            if not changed.startswith("-"):
                changed = "+" + changed
            if row["percent"] is not None:
                changed += f" ({row['percent']:+.1f}%)"
        target = f"{row['comparison']} {_text(row['target'])}" if row["comparison"] else ""
        verdicts = ""
        if row["held"] is not None or row["holds"] is not None:
            verdicts = f"{_verdict(row['held'])} → {_verdict(row['holds'])}"
        unit = f" {row['unit']}" if row["unit"] else ""
        print(
            f"{name:<{width}}  {_text(row['before']):>12}  {_text(row['after']) + unit:>12}  "
            f"{changed:>18}  {target:>12}  {row['verdict']}" + (f"; {verdicts}" if verdicts else "")
        )


def lost(rows):
    """Figures that held before and do not hold now (or are gone)."""
    return [name for name, row in rows.items() if row["held"] and row["holds"] is not True]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="output of the earlier run (its last line is read)")
    parser.add_argument("after", help="output of the later run")
    add_json_option(parser)
    args = parser.parse_args()
    before, after = last_report(args.before), last_report(args.after)
    rows = compare(before, after)
    print_table(before, after, rows)
    missed = lost(rows)
    if missed:
        print(f"\nno longer holding: {', '.join(missed)}")
    else:
        better = sum(row["verdict"] == "better" for row in rows.values())
        worse = sum(row["verdict"] == "worse" for row in rows.values())
        print(f"\nevery target that held still holds; {better} better, {worse} worse")
    # The comparison itself as one line: each figure's value now, its target and verdict, with
    # the value before and the change beside them.
    report = Report("compare", before=before.get("at"), after=after.get("at"))
    for name, row in rows.items():
        report.add(
            name,
            row["after"],
            row["unit"],
            row["target"],
            row["comparison"],
            before=row["before"],
            difference=row["difference"],
            verdict=row["verdict"],
        )
    report.emit(args.json)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
