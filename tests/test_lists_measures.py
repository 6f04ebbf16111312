"""The complaint desk's measures in list computing (issue 13), the growth, first-settlement
failure and overdue-handling thresholds, and the rule's words for them.

Period 2026-Q3: the window runs from 2025-10-01 00:00 to the end of 2026-09-30 (Asia/
Shanghai), the previous one from 2024-10-01. The merchant is a registered pledge merchant in
岳麓区 with ten disclosed complaints, none mediated successfully: on the shipped black list
unless a threshold set here keeps it off.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Deadline
from complaints.settlement import answer
from complaints.states import Action, FastResponseReason, Result, Satisfaction
from complaints.workflow import perform
from lists.computing import compute
from lists.drafting import draft
from lists.models import ListRule
from lists.period import Quarter
from lists.rule_text import rule_in_words
from tests.complaints_fixtures import make_complaint
from tests.disclosure_factories import make_disclosure
from tests.merchant_factories import make_merchant

pytestmark = pytest.mark.django_db

Q3 = Quarter.parse("2026-Q3")
CHANGSHA = "430100"
NAME = "长沙市岳麓区麓谷优选超市有限公司"
HOUR = datetime.timedelta(hours=1)
WHOLE_YEAR = {
    "pledge_type": "线下无理由退货承诺",
    "content": "店内图书、文具支持7天无理由退货",
    "return_days": 7,
    "return_scope": "图书、文具（已拆封的音像制品除外）",
    "return_conditions": "商品完好，凭购物小票办理",
    "starts_on": datetime.date(2026, 1, 1),
    "ends_on": datetime.date(2026, 12, 31),
}


def at(year, month, day, hour=9, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def disclosed(code, count, complained_on=datetime.date(2026, 8, 3), result="调解不成功"):
    for _ in range(count):
        make_disclosure(
            credit_code=code,
            result=result,
            respondent_name=NAME,
            complained_on=complained_on,
            disclosed_on=complained_on + datetime.timedelta(days=20),
            display_until=complained_on + datetime.timedelta(days=385),
        )


def merchant(name=NAME, disclosures=10):
    """A registered merchant with ``disclosures`` unsuccessful disclosed complaints."""
    found = make_merchant(registered_name=name)
    disclosed(found.credit_code, disclosures)
    return found


def black_rule(**thresholds):
    rule = ListRule.objects.get(kind=ListRule.Kind.BLACK, is_current=True)
    for name, value in thresholds.items():
        setattr(rule, name, value)
    return rule


def entry_of(result, code):
    return next((e for e in result.units.get(CHANGSHA, []) if e.credit_code == code), None)


def figure(value):
    return None if value is None else (value.numerator, value.denominator)


# Building desk complaints ---------------------------------------------------------------------


def in_settlement(shop, submitted):
    """A complaint accepted half an hour after ``submitted`` and sent to 先行和解; returns it
    with its settlement limit (five working days)."""
    complaint = make_complaint(merchant=shop, now=submitted)
    perform(complaint, Action.ACCEPT, at=submitted + HOUR / 2)
    perform(complaint, Action.START_SETTLEMENT, at=submitted + HOUR)
    limit = Deadline.objects.get(complaint=complaint, kind=Deadline.Kind.SETTLEMENT)
    return complaint, limit


def closed_on_time(shop, submitted, accepted_after=HOUR / 2):
    """Accepted, mediated successfully the same day and visited within its 24 hours."""
    complaint = make_complaint(merchant=shop, now=submitted)
    accepted = submitted + accepted_after
    perform(complaint, Action.ACCEPT, at=accepted)
    perform(complaint, Action.START_MEDIATION, at=accepted + HOUR / 6)
    perform(complaint, Action.CLOSE, at=accepted + 5 * HOUR, result=Result.MEDIATION_SUCCESS)
    perform(complaint, Action.VISIT, at=accepted + 6 * HOUR, satisfaction=Satisfaction.SATISFIED)
    return complaint


# Settlement failures --------------------------------------------------------------------------


def test_a_refusal_and_a_silence_past_the_deadline_fail_an_answer_in_time_does_not():
    shop = merchant()
    declined, limit = in_settlement(shop, at(2026, 7, 6))
    answer(declined, "decline", "商品已过退货期，不同意退货。", now=limit.starts_at + HOUR)
    silent, _limit = in_settlement(shop, at(2026, 7, 13))
    accepted, limit = in_settlement(shop, at(2026, 7, 20))
    answer(
        accepted, "accept", "同意退货退款699元。", now=limit.due_at - datetime.timedelta(minutes=1)
    )
    entry = entry_of(compute(black_rule(), Q3), shop.credit_code)
    assert figure(entry.settlement_failures) == (2, 3)
    assert entry.settlement_failures.percent == 66.7


def test_an_answer_after_the_deadline_counts_as_unanswered():
    shop = merchant()
    late, limit = in_settlement(shop, at(2026, 7, 6))
    answer(late, "accept", "同意退货退款699元。", now=limit.due_at + HOUR)
    entry = entry_of(compute(black_rule(), Q3), shop.credit_code)
    assert figure(entry.settlement_failures) == (1, 1)


def test_a_settlement_the_unit_ended_before_its_deadline_is_not_the_merchants_failure():
    shop = merchant()
    moved_on, _limit = in_settlement(shop, at(2026, 7, 6))
    perform(moved_on, Action.START_MEDIATION, at=at(2026, 7, 7))
    entry = entry_of(compute(black_rule(), Q3), shop.credit_code)
    assert figure(entry.settlement_failures) == (0, 1)
    assert entry.settlement_failures.percent == 0.0


def test_a_settlement_still_open_when_the_quarter_ends_is_not_counted_yet():
    shop = merchant()
    in_settlement(shop, at(2026, 9, 28))  # due in October
    assert entry_of(compute(black_rule(), Q3), shop.credit_code).settlement_failures is None


# Overdue handling ---------------------------------------------------------------------------


def test_a_closed_complaint_with_a_late_limit_is_overdue():
    shop = merchant()
    closed_on_time(shop, at(2026, 7, 6))
    closed_on_time(shop, at(2026, 7, 7), accepted_after=datetime.timedelta(days=2))  # 告知 late
    never_visited = make_complaint(merchant=shop, now=at(2026, 7, 8))
    perform(never_visited, Action.ACCEPT, at=at(2026, 7, 8, 10))
    perform(never_visited, Action.START_MEDIATION, at=at(2026, 7, 8, 11))
    perform(never_visited, Action.CLOSE, at=at(2026, 7, 8, 15), result=Result.MEDIATION_FAILED)
    make_complaint(merchant=shop, now=at(2026, 7, 9))  # never handled: not closed
    entry = entry_of(compute(black_rule(), Q3), shop.credit_code)
    assert figure(entry.overdue) == (2, 3)


def test_a_cancelled_limit_does_not_make_a_handling_overdue():
    shop = merchant()
    complaint = make_complaint(merchant=shop, now=at(2026, 7, 6))
    perform(complaint, Action.ACCEPT, at=at(2026, 7, 6, 9, 30))
    perform(
        complaint, Action.MARK_FAST, at=at(2026, 7, 6, 9, 35), fast_reason=FastResponseReason.RISK
    )
    perform(complaint, Action.START_MEDIATION, at=at(2026, 7, 6, 9, 40))
    # Closed hours after the 45- and 90-minute limits fell due: closing cancels them.
    perform(complaint, Action.CLOSE, at=at(2026, 7, 6, 15), result=Result.MEDIATION_SUCCESS)
    perform(complaint, Action.VISIT, at=at(2026, 7, 6, 16), satisfaction=Satisfaction.SATISFIED)
    fast = Deadline.objects.filter(complaint=complaint, kind=Deadline.Kind.FAST_RESPONSE).get()
    assert fast.cancelled and fast.due_at < at(2026, 7, 6, 15)
    entry = entry_of(compute(black_rule(), Q3), shop.credit_code)
    assert figure(entry.overdue) == (0, 1)


# The window -----------------------------------------------------------------------------------


def test_only_complaints_submitted_in_the_window_and_closed_by_its_end_count():
    shop = merchant()
    closed_on_time(shop, at(2025, 9, 30, 23, 30))  # the evening before the window
    closed_on_time(shop, at(2025, 10, 1, 0, 10))
    closed_on_time(shop, at(2026, 10, 1, 0, 0))  # the first moment after it
    after_the_end = make_complaint(merchant=shop, now=at(2026, 9, 30, 20))
    perform(after_the_end, Action.ACCEPT, at=at(2026, 9, 30, 20, 30))
    perform(after_the_end, Action.START_MEDIATION, at=at(2026, 9, 30, 21))
    perform(after_the_end, Action.CLOSE, at=at(2026, 10, 8, 10), result=Result.MEDIATION_FAILED)
    entry = entry_of(compute(black_rule(), Q3), shop.credit_code)
    assert figure(entry.overdue) == (0, 1)


def test_a_merchant_without_desk_complaints_has_no_desk_figures():
    shop = merchant()
    entry = entry_of(compute(black_rule(), Q3), shop.credit_code)
    assert entry.settlement_failures is None and entry.overdue is None


def test_desk_figures_are_on_the_red_list_and_in_the_drafted_entries():
    pledged = make_merchant(registered_name="长沙市岳麓区高明书店有限公司", pledges=[WHOLE_YEAR])
    disclosed(pledged.credit_code, 2, result="调解成功")
    closed_on_time(pledged, at(2026, 7, 6))
    red = ListRule.objects.get(kind=ListRule.Kind.RED, is_current=True)
    entry = entry_of(compute(red, Q3), pledged.credit_code)
    assert figure(entry.overdue) == (0, 1) and entry.settlement_failures is None

    shop = merchant()
    declined, limit = in_settlement(shop, at(2026, 7, 6))
    answer(declined, "decline", "不同意退货。", now=limit.starts_at + HOUR)
    [(page, _created)] = draft(Q3, [black_rule()])
    [drafted] = page.entries.all()
    assert (drafted.settlement_failures, drafted.settlement_total) == (1, 1)
    assert (drafted.overdue_handlings, drafted.handled_total) == (None, None)


def test_the_desk_figures_take_the_same_queries_for_one_merchant_or_many(
    django_assert_max_num_queries,
):
    shop = merchant()
    in_settlement(shop, at(2026, 7, 6))
    closed_on_time(shop, at(2026, 7, 7))
    rule = black_rule()
    with CaptureQueriesContext(connection) as one:
        compute(rule, Q3)
    for serial in range(3):
        other = merchant(name=f"长沙市岳麓区金华茶行第{serial + 1}分店")
        in_settlement(other, at(2026, 7, 6))
        closed_on_time(other, at(2026, 7, 7))
    with django_assert_max_num_queries(len(one)):
        result = compute(rule, Q3)
    assert len(result.units[CHANGSHA]) == 4


# Thresholds -----------------------------------------------------------------------------------


def overdue_quarter(shop, late, on_time):
    for day in range(late):
        closed_on_time(shop, at(2026, 7, 6 + day), accepted_after=datetime.timedelta(days=2))
    for day in range(on_time):
        closed_on_time(shop, at(2026, 8, 3 + day))


def test_an_overdue_rate_exactly_at_the_threshold_is_not_above_it():
    shop = merchant()
    overdue_quarter(shop, late=1, on_time=3)  # 25 %
    assert entry_of(compute(black_rule(overdue_rate_above=25), Q3), shop.credit_code) is None
    entry = entry_of(compute(black_rule(overdue_rate_above="24.9"), Q3), shop.credit_code)
    assert figure(entry.overdue) == (1, 4)


def test_a_settlement_failure_rate_exactly_at_the_threshold_is_not_above_it():
    shop = merchant()
    declined, limit = in_settlement(shop, at(2026, 7, 6))
    answer(declined, "decline", "不同意退货。", now=limit.starts_at + HOUR)
    settled, limit = in_settlement(shop, at(2026, 7, 13))
    answer(settled, "propose", "可换同款新品。", now=limit.starts_at + HOUR)
    rule = black_rule(settlement_failure_rate_above=50)
    assert entry_of(compute(rule, Q3), shop.credit_code) is None
    rule = black_rule(settlement_failure_rate_above="49.9")
    assert figure(entry_of(compute(rule, Q3), shop.credit_code).settlement_failures) == (1, 2)


def test_growth_exactly_at_the_threshold_is_not_above_it():
    shop = merchant()  # ten complaints in the window
    disclosed(shop.credit_code, 8, complained_on=datetime.date(2025, 3, 2))  # eight before: +25 %
    assert entry_of(compute(black_rule(growth_above=25), Q3), shop.credit_code) is None
    entry = entry_of(compute(black_rule(growth_above="24.9"), Q3), shop.credit_code)
    assert entry.growth_percent == 25.0


def test_a_measure_without_a_figure_fails_a_threshold_even_of_zero():
    shop = merchant()  # no previous complaint, no desk complaint
    assert entry_of(compute(black_rule(), Q3), shop.credit_code) is not None
    for threshold in ("growth_above", "settlement_failure_rate_above", "overdue_rate_above"):
        rule = black_rule(**{threshold: 0})
        assert entry_of(compute(rule, Q3), shop.credit_code) is None, threshold


def test_every_threshold_set_must_hold():
    shop = merchant()
    overdue_quarter(shop, late=1, on_time=0)
    declined, limit = in_settlement(shop, at(2026, 7, 20))
    answer(declined, "decline", "不同意退货。", now=limit.starts_at + HOUR)
    both = black_rule(settlement_failure_rate_above=30, overdue_rate_above=30)
    assert entry_of(compute(both, Q3), shop.credit_code) is not None
    with_growth = black_rule(settlement_failure_rate_above=30, growth_above=10)
    assert entry_of(compute(with_growth, Q3), shop.credit_code) is None


def test_the_shipped_rules_set_none_of_these_thresholds():
    for rule in ListRule.objects.active():
        assert rule.growth_above is None
        assert rule.settlement_failure_rate_above is None and rule.overdue_rate_above is None


# The rule in words ----------------------------------------------------------------------------


def test_the_rule_states_each_threshold_with_its_denominator():
    rule = black_rule(growth_above="20.0", settlement_failure_rate_above="30.0")
    rule.overdue_rate_above = "12.5"
    rule.save()
    rule.refresh_from_db()
    words = "".join(rule_in_words(rule))
    assert "公示投诉较上一统计窗口的增长率（本窗口件数÷上一窗口件数－1）高于20％" in words
    assert (
        "扫码投诉转先行和解后经营者拒绝或逾期未答复的比例（拒绝或未答复件数÷转先行和解件数）"
        "高于30％"
    ) in words
    assert "办结的扫码投诉中有办理时限超期的比例（超期办理件数÷办结件数）高于12.5％" in words
    assert "答复期限届满后才答复的视为未答复" in words
    assert "不符合相应条件" in words


def test_the_shipped_rules_words_say_nothing_of_the_desk():
    words = "".join(rule_in_words(black_rule()))
    assert "调解成功率（调解成功件数÷进入调解的件数）低于60％" in words
    assert "扫码投诉" not in words and "增长率" not in words
