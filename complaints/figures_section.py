"""The statistics page's 扫码投诉办理情况: the public figures, added through the disclosures
app's hook (``disclosures.statistics.STATISTICS_SECTIONS_HOOK``), so disclosures knows nothing
of complaints. Registered from ``ComplaintsConfig.ready``."""

from django.template.loader import render_to_string
from wagtail import hooks

from common.dates import chinese_date
from disclosures.statistics import STATISTICS_SECTIONS_HOOK

from .figures import public_figures


@hooks.register(STATISTICS_SECTIONS_HOOK)
def public_figures_section(year, region, today):
    """The rolling year's figures, whatever year or region the page is filtered by: the text
    says so (too few complaints per region for a fair rate)."""
    figures = public_figures(today)
    context = {
        "figures": figures,
        "start": chinese_date(figures.start),
        "end": chinese_date(figures.end),
    }
    return render_to_string("complaints/figures/public_section.html", context)
