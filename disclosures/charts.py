"""Bar charts as inline SVG, drawn on the server: no chart library, no script, no CDN.

Every chart is paired with a data table in the template, which is what screen readers and
anyone copying the figures use; the SVG is a picture of the same numbers.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

ROW_HEIGHT = 28
LABEL_WIDTH = 150
BAR_WIDTH = 330
COUNT_WIDTH = 70
COLUMN_WIDTH = 18
COLUMN_AREA = 180
# Room either side for a label centred on the first or last column ("2025年1月").
COLUMN_MARGIN = 40


def horizontal_bars(bars, title_id):
    """One row per bar: label, bar, count. Sized in user units; CSS scales it to the width."""
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    height = max(len(bars), 1) * ROW_HEIGHT
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id}" preserveAspectRatio="xMinYMin meet">'
    ]
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT
        length = max(bar.share * BAR_WIDTH, 1)
        parts.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{y + 19}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
            f'<rect class="chart__bar" x="{LABEL_WIDTH}" y="{y + 5}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 10}" rx="2"></rect>'
            f'<text class="chart__value" x="{LABEL_WIDTH + length + 6:.1f}" '
            f'y="{y + 19}">{bar.count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


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


def columns(bars, title_id):
    """Vertical columns for a time series of months ("2025年7月"), the year on each January."""
    width = max(len(bars), 1) * COLUMN_WIDTH + 2 * COLUMN_MARGIN
    height = COLUMN_AREA + 40
    ticks = _tick_months(len(bars))
    parts = [
        f'<svg class="chart chart--columns" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id}" preserveAspectRatio="xMinYMin meet">'
    ]
    for index, bar in enumerate(bars):
        x = COLUMN_MARGIN + index * COLUMN_WIDTH
        length = max(bar.share * COLUMN_AREA, 1)
        parts.append(
            f'<rect class="chart__bar" x="{x + 2}" y="{COLUMN_AREA - length + 10:.1f}" '
            f'width="{COLUMN_WIDTH - 4}" height="{length:.1f}" rx="1"></rect>'
        )
        month = _month_number(bar.label)
        if month in ticks:
            label = escape(bar.label if month == 1 else bar.label.split("年")[-1])
            parts.append(
                f'<text class="chart__tick" x="{x + COLUMN_WIDTH / 2}" y="{COLUMN_AREA + 28}" '
                f'text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
