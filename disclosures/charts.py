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


def columns(bars, title_id):
    """Vertical columns for a time series (months), labels every few columns."""
    width = max(len(bars), 1) * COLUMN_WIDTH + 40
    height = COLUMN_AREA + 40
    step = max(1, len(bars) // 12)
    parts = [
        f'<svg class="chart chart--columns" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id}" preserveAspectRatio="xMinYMin meet">'
    ]
    for index, bar in enumerate(bars):
        x = 20 + index * COLUMN_WIDTH
        length = max(bar.share * COLUMN_AREA, 1)
        parts.append(
            f'<rect class="chart__bar" x="{x + 2}" y="{COLUMN_AREA - length + 10:.1f}" '
            f'width="{COLUMN_WIDTH - 4}" height="{length:.1f}" rx="1"></rect>'
        )
        if index % step == 0:
            # The year on the first column and at each January, the month alone elsewhere.
            full = index == 0 or bar.label.endswith("年1月")
            label = escape(bar.label if full else bar.label.split("年")[-1])
            parts.append(
                f'<text class="chart__tick" x="{x + COLUMN_WIDTH / 2}" y="{COLUMN_AREA + 28}" '
                f'text-anchor="middle">{label}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
