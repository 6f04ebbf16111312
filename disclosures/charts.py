"""Bar charts as inline SVG, drawn on the server: no chart library, no script, no CDN.

Every chart is paired with a data table in the template, which is what screen readers and
anyone copying the figures use; the SVG is a picture of the same numbers.

Neither chart is scaled to its box, so its text stays at the CSS size (13 px) on a phone as
on a desktop. The bar chart has no viewBox: its widths are percentages of whatever width the
page gives it, its heights pixels. The month chart has its natural pixel size and scrolls
sideways in its figure when the screen is narrower (the template makes that region focusable).
"""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Bar chart: each row is the label (left) and the count (right) over a full-width bar.
ROW_HEIGHT = 40
LABEL_BASELINE = 15
LINE_HEIGHT = 17
BAR_TOP = 20
BAR_HEIGHT = 12
# A label longer than this many em (a CJK character is one, a digit or Latin letter about half)
# goes on two lines: on a 390 px phone a line holds about 22 em beside its count.
LABEL_LINE_EM = 18

# Month chart: pixels.
COLUMN_AREA = 180  # height of the tallest column
PLOT_TOP = 12  # room above the plot for the top axis value
AXIS_LEFT = 56  # room for the axis values ("12,345")
RIGHT_MARGIN = 40  # room for half a "2026年1月" centred on the last column
TICK_GAP = 20  # from the plot's base line to the month labels' baseline


def _em(text):
    """Rough width of a label in em: wide characters 1, narrow ones .55."""
    return sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def _label_lines(label):
    """The label on one line, or two when it is too long for a phone."""
    if _em(label) <= LABEL_LINE_EM:
        return [label]
    width = 0
    for index, ch in enumerate(label):
        width += _em(ch)
        if width > _em(label) / 2:
            return [label[: index + 1], label[index + 1 :]]
    return [label]


def horizontal_bars(bars, title_id):
    """One row per bar: the label and its count on a line, the bar under them."""
    rows = []
    y = 0
    for bar in bars:
        lines = _label_lines(bar.label)
        extra = (len(lines) - 1) * LINE_HEIGHT
        text = "".join(
            f'<tspan x="0" dy="{0 if index == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        baseline = y + LABEL_BASELINE
        # The count sits on the label's last line, right-aligned.
        rows.append(
            f'<text class="chart__label" x="0" y="{baseline}">{text}</text>'
            f'<text class="chart__value" x="100%" y="{baseline + extra}" '
            f'text-anchor="end">{bar.count:,}</text>'
            f'<rect class="chart__track" x="0" y="{y + BAR_TOP + extra}" width="100%" '
            f'height="{BAR_HEIGHT}" rx="2"></rect>'
            f'<rect class="chart__bar" x="0" y="{y + BAR_TOP + extra}" '
            f'width="{max(bar.share * 100, 0.3):.2f}%" height="{BAR_HEIGHT}" rx="2"></rect>'
        )
        y += ROW_HEIGHT + extra
    height = max(y, ROW_HEIGHT)
    return mark_safe(
        f'<svg class="chart chart--bars" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{title_id}">' + "".join(rows) + "</svg>"
    )


def _month_number(label):
    """7 from "2025年7月"."""
    return int(label.split("年")[-1].rstrip("月"))


def _tick_months(count):
    """Which months carry a label: all of them for a year, then every other, then quarters."""
    if count <= 13:
        return set(range(1, 13))
    if count <= 26:
        return {1, 3, 5, 7, 9, 11}
    return {1, 4, 7, 10}


def _column_width(count):
    """Wide enough that neighbouring labels ("12月", "2025年1月") never touch."""
    if count <= 13:
        return 48
    if count <= 26:
        return 28
    return 22


def axis_values(largest):
    """Round values for the vertical axis, about five steps from 0 to at least ``largest``:
    0, 20, 40, 60, 80, 100 for 95."""
    if largest <= 0:
        return [0, 1]
    raw = largest / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = math.ceil(largest / step) * step
    return list(range(0, top + 1, step))


def columns(bars, title_id):
    """Vertical columns for a time series of months ("2025年7月"), the year on each January."""
    column = _column_width(len(bars))
    width = AXIS_LEFT + max(len(bars), 1) * column + RIGHT_MARGIN
    base = PLOT_TOP + COLUMN_AREA
    height = base + TICK_GAP + 8
    ticks = _tick_months(len(bars))
    values = axis_values(max((bar.count for bar in bars), default=0))
    top = values[-1]
    parts = [
        f'<svg class="chart chart--columns" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id}">'
    ]
    plot_right = width - RIGHT_MARGIN
    for value in values:
        y = base - value / top * COLUMN_AREA
        parts.append(
            f'<line class="chart__grid" x1="{AXIS_LEFT}" x2="{plot_right}" '
            f'y1="{y:.1f}" y2="{y:.1f}"></line>'
            f'<text class="chart__axis" x="{AXIS_LEFT - 6}" y="{y + 4.5:.1f}" '
            f'text-anchor="end">{value:,}</text>'
        )
    for index, bar in enumerate(bars):
        x = AXIS_LEFT + index * column
        length = max(bar.count / top * COLUMN_AREA, 1)
        parts.append(
            f'<rect class="chart__bar" x="{x + 3}" y="{base - length:.1f}" '
            f'width="{column - 6}" height="{length:.1f}" rx="1"></rect>'
        )
        month = _month_number(bar.label)
        if month in ticks:
            label = escape(bar.label if month == 1 else bar.label.split("年")[-1])
            parts.append(
                f'<text class="chart__tick" x="{x + column / 2}" y="{base + TICK_GAP}" '
                f'text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
