"""Supervision figures over a small month of known complaints, and the public ones on the
statistics page: every rate with its numerator and denominator."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import figures, figures_section
from complaints.states import Action, FastResponseReason, Result, Satisfaction
from complaints.workflow import perform

from .complaints_fixtures import make_complaint, make_units

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime.date(2026, 9, 1)
COUNTED_AT = timezone.make_aware(datetime.datetime(2026, 10, 10, 9, 0))


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(2026, 9, day, hour, minute))


def mediate(complaint, accepted, closed, result, amount=None, visited=None, satisfaction=None):
    perform(complaint, Action.ACCEPT, at=accepted)
    perform(complaint, Action.START_MEDIATION, at=accepted + datetime.timedelta(minutes=10))
    perform(complaint, Action.CLOSE, at=closed, result=result, amount_recovered=amount)
    if visited:
        perform(complaint, Action.VISIT, at=visited, satisfaction=satisfaction)


@pytest.fixture
def september(db):
    """Five complaints to 岳麓区 in September 2026 (consent to disclosure off: figures only).

    A: on time, 调解成功, 100 元, 满意.   B: accepted 19 days late (overdue), 调解不成功, 基本满意.
    C: fast response (answered in 20 min, on site in 60), 终止调解, 满意.
    D: received, never handled.   E: 调解成功, 不满意, reopened, 调解不成功, 不满意 again.
    """
    units = make_units()

    def complaint(day):
        return make_complaint(now=at(day, 9), consent_publish=False, name="高明")

    a = complaint(1)
    mediate(
        a,
        at(1, 10),
        at(2, 10),
        Result.MEDIATION_SUCCESS,
        Decimal("100"),
        at(2, 12),
        Satisfaction.SATISFIED,
    )
    b = complaint(1)
    mediate(
        b,
        at(20, 10),
        at(21, 10),
        Result.MEDIATION_FAILED,
        None,
        at(21, 12),
        Satisfaction.FAIRLY_SATISFIED,
    )
    c = complaint(3)
    perform(c, Action.MARK_FAST, at=at(3, 9), fast_reason=FastResponseReason.AT_COUNTER)
    perform(c, Action.RESPOND, at=at(3, 9, 20))
    perform(c, Action.ARRIVE, at=at(3, 10))
    mediate(
        c,
        at(3, 10, 30),
        at(3, 12),
        Result.MEDIATION_TERMINATED,
        None,
        at(3, 13),
        Satisfaction.SATISFIED,
    )
    complaint(4)  # D
    e = complaint(5)
    mediate(
        e,
        at(5, 9, 30),
        at(7, 10),
        Result.MEDIATION_SUCCESS,
        Decimal("50"),
        at(7, 12),
        Satisfaction.DISSATISFIED,
    )  # reopens at once
    perform(e, Action.CLOSE, at=at(8, 10), result=Result.MEDIATION_FAILED)
    perform(e, Action.VISIT, at=at(8, 12), satisfaction=Satisfaction.DISSATISFIED)
    return units


def rate(value):
    return (value.numerator, value.denominator)


def test_unit_month_figures(september):
    units = september
    rows = figures.unit_month_figures(
        [units.yuelu, units.furong], [SEPTEMBER, (2026, 10)], now=COUNTED_AT
    )
    by_key = {(row.unit, row.month): row for row in rows}
    row = by_key[units.yuelu, SEPTEMBER]
    assert row.received == 5
    assert row.closed == 4  # A, B, C, E (D is open)
    assert rate(row.on_time) == (3, 4)  # B's acceptance and notification were late
    assert str(row.on_time) == "75%（3/4）"
    assert rate(row.notified) == (3, 5)  # B late, D never told and past its 24 hours
    assert row.fast_cases == 1
    assert (row.respond.count, row.respond.median, row.respond.p90) == (1, 20.0, 20.0)
    assert (row.arrive.count, row.arrive.median) == (1, 60.0)
    assert rate(row.mediation_success) == (1, 4)  # A; E ended 调解不成功 after reopening
    assert rate(row.satisfaction) == (3, 4)  # A 满意, B 基本满意, C 满意; E 不满意
    assert row.recovered == Decimal("100.00")

    empty = by_key[units.furong, SEPTEMBER]
    assert (empty.received, empty.closed, empty.on_time.percent) == (0, 0, None)
    assert str(empty.on_time) == "—"
    assert by_key[units.yuelu, datetime.date(2026, 10, 1)].received == 0

    unit_total = by_key[units.yuelu, None]
    assert (unit_total.received, rate(unit_total.on_time)) == (5, (3, 4))
    month_total = by_key[None, SEPTEMBER]
    assert (month_total.received, rate(month_total.satisfaction)) == (5, (3, 4))
    grand = by_key[None, None]
    assert (grand.closed, rate(grand.mediation_success), grand.respond.median) == (4, (1, 4), 20.0)
    assert len(rows) == 2 * 2 + 2 + 2 + 1


def test_public_figures_over_the_rolling_year(september):
    public = figures.public_figures(on=datetime.date(2026, 10, 10))
    assert (public.start, public.end) == (datetime.date(2025, 10, 11), datetime.date(2026, 10, 10))
    assert (public.received, public.closed) == (5, 4)
    assert rate(public.on_time) == (3, 4)
    assert rate(public.satisfaction) == (3, 4)
    later = figures.public_figures(on=datetime.date(2027, 10, 1))
    assert later.empty and later.on_time.percent is None


def test_statistics_page_shows_the_public_figures(september, client, monkeypatch):
    # The page counts the year up to today; these complaints are of September 2026.
    counted_on = datetime.date(2026, 10, 10)
    monkeypatch.setattr(
        figures_section, "public_figures", lambda today: figures.public_figures(counted_on)
    )
    page = client.get(reverse("disclosures:stats")).content.decode()
    assert "扫码投诉办理情况" in page
    assert "按时办结率" in page and "75%" in page
    assert "办结 4 件，按时 3 件" in page
    assert "回访 4 件，满意或基本满意 3 件" in page
    assert "按时办结率 = 按时办结件数 ÷ 办结件数" in page
    assert "统计2025年10月11日至2026年10月10日" in page
    assert "高明" not in page


def test_statistics_page_without_complaints_says_so(db, client):
    page = client.get(reverse("disclosures:stats")).content.decode()
    assert "尚无通过本平台提交的投诉。" in page
    assert "0%" not in page.split("扫码投诉办理情况")[1]
