"""Write every active rule's lists for a period as draft pages under /lists/.

A list page is keyed by (rule version, period, region): drafting the same period again
updates that page's entries in a new draft revision, so an editor never finds two pages for
one list. An entry is kept by its credit code and its figures are updated in place, so its
notice, objections and their decisions stay with it; an entry an upheld objection dropped is
not added again, and a record it removed stays out (``lists.adjustments``). Nothing is
published here: publication goes through the review workflow (``lists.publication``).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from merchants.models import Region

from . import adjustments
from .computing import compute
from .models import ListEntry, ListIndexPage, ListPage, ListRule

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def list_index_page():
    """The one /lists/ page, created live under the home page the first time it is needed."""
    index = ListIndexPage.objects.first()
    if index is not None:
        return index
    home = Site.objects.get(is_default_site=True).root_page
    index = ListIndexPage(title=_("红黑榜"), slug="lists")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def listed_until(period, months):
    """The last day of the ``months``-th month after the period."""
    index = period.end.year * 12 + period.end.month + months  # months since year 0, next month
    first_after = datetime.date(index // 12, index % 12 + 1, 1)
    return first_after - datetime.timedelta(days=1)


def page_title(region_name, period, rule):
    return _("%(region)s%(year)d年第%(quarter)s季度消费投诉%(kind)s") % {
        "region": region_name,
        "year": period.year,
        "quarter": QUARTER_NAMES[period.quarter],
        "kind": rule.get_kind_display(),
    }


def _slug(index, code, period, rule):
    slug = f"{code}-{period}-{rule.kind}".lower()
    # Another rule of the same kind and scope already has this address for the period.
    if ListPage.objects.child_of(index).filter(slug=slug).exclude(rule=rule).exists():
        slug = f"{slug}-r{rule.pk}"
    return slug


FIGURES = [
    "rank",
    "name",
    "region_code",
    "complaints",
    "previous_complaints",
    "mediation_successes",
    "mediation_total",
    "pledge_days",
    "period_days",
    "record_ids",
    "settlement_failures",
    "settlement_total",
    "overdue_handlings",
    "handled_total",
]


def entry_from_computed(computed):
    """A ListEntry holding a computed entry's figures (drafting and the demo use it)."""
    return ListEntry(
        rank=computed.rank,
        credit_code=computed.credit_code,
        name=computed.name,
        region_code=computed.region_code or "",
        complaints=computed.complaints,
        previous_complaints=computed.previous_complaints,
        mediation_successes=computed.mediation.numerator,
        mediation_total=computed.mediation.denominator,
        pledge_days=computed.pledge_days.numerator if computed.pledge_days else None,
        period_days=computed.pledge_days.denominator if computed.pledge_days else None,
        record_ids=list(computed.record_ids),
        **_desk_figures("settlement_failures", "settlement_total", computed.settlement_failures),
        **_desk_figures("overdue_handlings", "handled_total", computed.overdue),
    )


def _desk_figures(numerator, denominator, figure):
    if figure is None:
        return {numerator: None, denominator: None}
    return {numerator: figure.numerator, denominator: figure.denominator}


def draft(period, rules=None):
    """[(page, created)] for every list of ``rules`` (default: the active current ones)."""
    rules = list(ListRule.objects.active() if rules is None else rules)
    index = list_index_page()
    results = []
    now = timezone.now()
    memo = {}  # the rules' shared counts (``computing.compute``)
    for rule in rules:
        computed = compute(rule, period, memo)
        existing = {
            page.region_code: page
            for page in ListPage.objects.child_of(index).filter(rule=rule, period=str(period))
        }
        codes = sorted(set(computed.units) | set(existing))
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        with transaction.atomic():
            rule.mark_used()
            for code in codes:
                page = existing.get(code)
                entries = _entries(page, rule, computed.units.get(code, []))
                created = page is None
                if created:
                    page = ListPage(
                        rule=rule,
                        period=str(period),
                        region_code=code,
                        kind=rule.kind,
                        slug=_slug(index, code, period, rule),
                        live=False,
                    )
                page.region_name = names.get(code, code)
                page.title = page_title(page.region_name, period, rule)
                page.computed_at = now
                page.listed_until = listed_until(period, rule.display_months)
                page.entries = entries
                if created:
                    index.add_child(instance=page)
                elif not page.live:
                    # A draft's own row follows its newest revision; a live page keeps
                    # showing what was published until the new draft is.
                    page.save()
                page.save_revision()
                results.append((page, created))
    return results


def _entries(page, rule, computed_entries):
    """The page's entries for a new computation: existing rows kept by credit code with their
    figures updated in place, what upheld objections removed left out, ranks given again."""
    kept = {entry.credit_code: entry for entry in page.entries.all()} if page else {}
    dropped, removed = adjustments.removals(page) if page else (set(), {})
    entries = []
    for computed in computed_entries:
        if computed.credit_code in dropped:
            continue
        fresh = entry_from_computed(computed)
        adjustments.refigure(fresh, removed.get(computed.credit_code, set()))
        if computed.credit_code in removed and not adjustments.qualifies(rule, fresh):
            continue
        entry = kept.get(computed.credit_code)
        if entry is None:
            entry = fresh
        else:
            for name in FIGURES:
                setattr(entry, name, getattr(fresh, name))
        entries.append(entry)
    if removed:
        adjustments.rerank(entries, rule)
    return entries
