"""The red/black list's rules and their computation, at the edges of the shipped defaults.

Period 2026-Q3: the window is 2025-10-01 to 2026-09-30 by complaint date, the previous window
2024-10-01 to 2025-09-30; records are disclosed within days and shown for a year.
"""

import datetime

import pytest
from django.urls import reverse

from disclosures.models import Disclosure
from lists.computing import compute
from lists.models import ListRule
from lists.period import PeriodError, Quarter
from merchants.models import Merchant
from tests.disclosure_factories import make_disclosure
from tests.merchant_factories import credit_code, make_merchant

pytestmark = pytest.mark.django_db

Q3 = Quarter.parse("2026-Q3")
CHANGSHA, ZHUZHOU = "430100", "430200"


def complaints(code, count, result="调解成功", complained_on=datetime.date(2026, 8, 3), **fields):
    fields.setdefault("region", "430104")
    fields.setdefault("respondent_name", "长沙市岳麓区王府井百货有限公司")
    return [
        make_disclosure(
            credit_code=code,
            result=result,
            complained_on=complained_on,
            disclosed_on=complained_on + datetime.timedelta(days=20),
            display_until=complained_on + datetime.timedelta(days=385),
            **fields,
        )
        for _ in range(count)
    ]


def black_merchant(successes, failures, region="430104", name="长沙市岳麓区王府井百货有限公司"):
    code = credit_code(region)
    made = complaints(code, successes, region=region, respondent_name=name)
    made += complaints(code, failures, "调解不成功", region=region, respondent_name=name)
    return code, made


def black_rule(**changes):
    rule = ListRule.objects.get(kind=ListRule.Kind.BLACK, is_current=True)
    for name, value in changes.items():
        setattr(rule, name, value)
    return rule


def red_rule():
    return ListRule.objects.get(kind=ListRule.Kind.RED, is_current=True)


def listed_codes(result, unit=CHANGSHA):
    return [entry.credit_code for entry in result.units.get(unit, [])]


PLEDGE = {
    "pledge_type": "线下无理由退货承诺",
    "content": "店内服装、鞋帽、家居用品支持7天无理由退货",
    "return_days": 7,
    "return_scope": "服装、鞋帽、家居用品（食品、贴身衣物除外）",
    "return_conditions": "商品完好、吊牌齐全，凭购物小票办理",
}


def pledge(starts_on, ends_on):
    return {**PLEDGE, "starts_on": starts_on, "ends_on": ends_on}


# Period -------------------------------------------------------------------------------------


def test_a_quarter_is_read_from_its_written_form():
    assert (Q3.start, Q3.end, Q3.days) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
        92,
    )
    assert str(Q3) == "2026-Q3" and Q3.label == "2026年第3季度"
    assert Quarter.parse("2026-Q4").end == datetime.date(2026, 12, 31)


@pytest.mark.parametrize(
    "text", ["2026Q3", "2026-Q5", "2026年第三季度", "26-Q1", "", "2026-Q3; DROP"]
)
def test_any_other_period_is_refused_in_chinese(text):
    with pytest.raises(PeriodError, match="应写作“2026-Q3”"):
        Quarter.parse(text)


# Shipped defaults ----------------------------------------------------------------------------


def test_the_two_default_rules_are_shipped_as_the_issue_words_them():
    black, red = black_rule(), red_rule()
    assert (black.scope_level, black.window_months, black.min_complaints) == (2, 12, 10)
    assert black.success_rate_below == 60 and black.order == ListRule.Order.COMPLAINTS
    assert black.max_entries == 10 and black.active
    assert (red.scope_level, red.window_months, red.max_complaints) == (2, 12, 2)
    assert red.all_mediated_successfully and red.pledge_whole_period and red.no_suspension
    assert red.order == ListRule.Order.SCHEME_TIME and red.max_entries == 10
    assert set(ListRule.objects.active()) == {black, red}


# Black list ----------------------------------------------------------------------------------


def test_exactly_ten_complaints_are_enough_and_nine_are_not():
    ten, _ = black_merchant(2, 8)
    nine, _ = black_merchant(0, 9)
    result = compute(black_rule(), Q3)
    assert listed_codes(result) == [ten]
    entry = result.units[CHANGSHA][0]
    assert (entry.complaints, entry.mediation.numerator, entry.mediation.denominator) == (10, 2, 10)
    assert entry.mediation.percent == 20.0
    assert entry.name == "长沙市岳麓区王府井百货有限公司" and entry.region_code == "430104"
    assert nine not in listed_codes(result)


def test_a_rate_of_exactly_sixty_percent_is_not_below_sixty_but_59_9_is():
    sixty, _ = black_merchant(6, 4)
    below, _ = black_merchant(82, 55, name="长沙市岳麓区高明电器有限公司")
    entries = compute(black_rule(), Q3).units[CHANGSHA]
    assert [entry.credit_code for entry in entries] == [below]
    assert entries[0].mediation.percent == 59.9
    assert (entries[0].mediation.numerator, entries[0].mediation.denominator) == (82, 137)
    assert sixty not in [entry.credit_code for entry in entries]


def test_results_outside_mediation_leave_the_rate_denominator():
    code, _ = black_merchant(2, 8)
    complaints(code, 3, "不予受理")
    entry = compute(black_rule(), Q3).units[CHANGSHA][0]
    assert entry.complaints == 13
    assert (entry.mediation.numerator, entry.mediation.denominator) == (2, 10)


def test_a_merchant_without_any_mediated_complaint_has_no_rate_and_is_not_listed():
    code = credit_code()
    complaints(code, 12, "不予受理")
    assert compute(black_rule(), Q3).units == {}


def test_entries_are_ordered_by_complaints_ties_by_rate_then_code_and_cut_at_the_maximum():
    most, _ = black_merchant(0, 14)
    tie_worse, _ = black_merchant(1, 11)
    tie_better, _ = black_merchant(3, 9)
    black_merchant(0, 10)
    result = compute(black_rule(max_entries=3), Q3)
    assert listed_codes(result) == [most, tie_worse, tie_better]
    assert [entry.rank for entry in result.units[CHANGSHA]] == [1, 2, 3]


def test_each_city_gets_its_own_list():
    changsha, _ = black_merchant(0, 10)
    zhuzhou, _ = black_merchant(0, 11, region="430202", name="株洲市荷塘区金华商贸有限公司")
    result = compute(black_rule(), Q3)
    assert listed_codes(result) == [changsha] and listed_codes(result, ZHUZHOU) == [zhuzhou]
    assert result.units[ZHUZHOU][0].name == "株洲市荷塘区金华商贸有限公司"


def test_the_window_is_the_twelve_months_ending_with_the_quarter_by_complaint_date():
    code, _ = black_merchant(0, 9)
    complaints(code, 1, "调解不成功", complained_on=datetime.date(2025, 9, 30))
    complaints(code, 1, "调解不成功", complained_on=datetime.date(2026, 10, 1))
    assert compute(black_rule(), Q3).units == {}
    inside = complaints(code, 1, "调解不成功", complained_on=datetime.date(2025, 10, 1))
    assert listed_codes(compute(black_rule(), Q3)) == [code]
    result = compute(black_rule(), Q3)
    assert inside[0].pk in result.units[CHANGSHA][0].record_ids
    assert (result.window_start, result.window_end) == (datetime.date(2025, 10, 1), Q3.end)


def test_a_withdrawn_record_drops_out_of_every_figure():
    code, made = black_merchant(1, 9)
    assert compute(black_rule(), Q3).units[CHANGSHA][0].complaints == 10
    Disclosure.objects.filter(pk=made[-1].pk).update(
        objection_state=Disclosure.ObjectionState.WITHDRAWN
    )
    assert compute(black_rule(), Q3).units == {}
    entry = compute(black_rule(min_complaints=9), Q3).units[CHANGSHA][0]
    assert (entry.complaints, entry.mediation.denominator) == (9, 9)
    assert made[-1].pk not in entry.record_ids and len(entry.record_ids) == 9


def test_records_behind_an_entry_are_exactly_the_window_records():
    code, made = black_merchant(0, 10)
    complaints(code, 4, "调解不成功", complained_on=datetime.date(2025, 3, 1))
    entry = compute(black_rule(), Q3).units[CHANGSHA][0]
    assert sorted(entry.record_ids) == sorted(record.pk for record in made)


def test_growth_shows_both_windows_counts():
    code, _ = black_merchant(0, 10)
    complaints(code, 4, "调解不成功", complained_on=datetime.date(2025, 3, 1))
    entry = compute(black_rule(), Q3).units[CHANGSHA][0]
    assert (entry.growth.numerator, entry.growth.denominator) == (10, 4)
    assert entry.growth_percent == 150.0


def test_no_growth_figure_without_a_previous_complaint():
    black_merchant(0, 10)
    entry = compute(black_rule(), Q3).units[CHANGSHA][0]
    assert entry.previous_complaints == 0 and entry.growth_percent is None


# Red list ------------------------------------------------------------------------------------


def red_merchant(name="长沙市岳麓区高明书店有限公司", since=datetime.date(2025, 1, 1), **kwargs):
    kwargs.setdefault("pledges", [pledge(since, datetime.date(2027, 12, 31))])
    return make_merchant(registered_name=name, **kwargs)


def test_a_pledge_merchant_with_two_mediated_complaints_is_on_the_red_list():
    merchant = red_merchant()
    complaints(merchant.credit_code, 2)
    entry = compute(red_rule(), Q3).units[CHANGSHA][0]
    assert entry.credit_code == merchant.credit_code
    assert entry.name == "长沙市岳麓区高明书店有限公司" and entry.region_code == "430104"
    assert (entry.complaints, entry.mediation.numerator, entry.mediation.denominator) == (2, 2, 2)
    assert (entry.pledge_days.numerator, entry.pledge_days.denominator) == (92, 92)
    assert len(entry.record_ids) == 2


def test_three_complaints_exclude_from_the_red_list():
    merchant = red_merchant()
    complaints(merchant.credit_code, 3)
    assert compute(red_rule(), Q3).units == {}


def test_every_complaint_must_be_mediated_successfully():
    merchant = red_merchant()
    complaints(merchant.credit_code, 1)
    complaints(merchant.credit_code, 1, "不予受理")
    assert compute(red_rule(), Q3).units == {}


def test_a_pledge_that_lapsed_for_one_day_in_the_quarter_excludes_the_merchant():
    lapsed = red_merchant(
        pledges=[
            pledge(datetime.date(2025, 1, 1), datetime.date(2026, 8, 14)),
            pledge(datetime.date(2026, 8, 16), datetime.date(2027, 8, 15)),
        ]
    )
    renewed = red_merchant(
        name="长沙市岳麓区金华茶行",
        pledges=[
            pledge(datetime.date(2025, 1, 1), datetime.date(2026, 8, 14)),
            pledge(datetime.date(2026, 8, 15), None),
        ],
    )
    result = compute(red_rule(), Q3)
    assert listed_codes(result) == [renewed.credit_code]
    assert lapsed.credit_code not in listed_codes(result)


def test_a_suspended_or_removed_merchant_is_not_on_the_red_list():
    red_merchant(registry_status=Merchant.RegistryStatus.SUSPENDED)
    red_merchant(registry_status=Merchant.RegistryStatus.REMOVED)
    relisted = red_merchant(status_changed_on=datetime.date(2026, 8, 1))
    kept = red_merchant(name="长沙市岳麓区金华茶行", status_changed_on=datetime.date(2026, 6, 30))
    result = compute(red_rule(), Q3)
    assert listed_codes(result) == [kept.credit_code]
    assert relisted.credit_code not in listed_codes(result)


def test_red_entries_are_ordered_by_time_in_the_scheme_and_cut_at_the_maximum():
    newer = red_merchant(name="长沙市岳麓区金华茶行", since=datetime.date(2024, 5, 1))
    oldest = red_merchant(since=datetime.date(2021, 3, 15))
    red_merchant(name="长沙市岳麓区王府井超市", since=datetime.date(2025, 6, 1))
    rule = red_rule()
    rule.max_entries = 2
    assert listed_codes(compute(rule, Q3)) == [oldest.credit_code, newer.credit_code]


# Versions ------------------------------------------------------------------------------------


def test_editing_an_unused_rule_changes_it_in_place():
    rule = black_rule(min_complaints=12)
    rule.save()
    assert ListRule.objects.filter(kind=ListRule.Kind.BLACK).count() == 1
    assert ListRule.objects.get(pk=rule.pk).min_complaints == 12


def test_editing_a_used_rule_writes_a_new_version_and_keeps_the_old_one():
    rule = black_rule()
    old_pk = rule.pk
    rule.mark_used()
    rule.min_complaints = 20
    rule.success_rate_below = 50
    rule.save()
    old = ListRule.objects.get(pk=old_pk)
    assert (old.min_complaints, old.success_rate_below, old.version) == (10, 60, 1)
    assert not old.is_current and old.used
    assert rule.pk != old_pk and rule.version == 2 and rule.supersedes_id == old_pk
    assert rule.is_current and not rule.used
    assert list(ListRule.objects.active().filter(kind=ListRule.Kind.BLACK)) == [rule]
    assert str(rule) == "市级消费投诉黑榜（黑榜，第2版）"


# Admin ---------------------------------------------------------------------------------------


def test_the_rules_are_edited_in_the_admin_in_chinese(admin_client):
    listing = admin_client.get(reverse("wagtailsnippets_lists_listrule:list"))
    text = listing.content.decode()
    assert listing.status_code == 200
    assert "红黑榜规则" in text and "市级消费投诉黑榜" in text and "市级放心消费红榜" in text
    rule = black_rule()
    form = admin_client.get(reverse("wagtailsnippets_lists_listrule:edit", args=[rule.pk]))
    assert "最少公示投诉数" in form.content.decode()
    assert "调解成功率低于（%）" in form.content.decode()


def test_an_admin_edit_of_a_used_rule_keeps_the_published_version(admin_client):
    rule = black_rule()
    rule.mark_used()
    data = {
        "name": "市级消费投诉黑榜",
        "kind": "black",
        "period": "quarter",
        "window_months": "12",
        "display_months": "3",
        "scope_level": "2",
        "category": "",
        "min_complaints": "15",
        "max_complaints": "",
        "success_rate_below": "60.0",
        "order": "complaints",
        "max_entries": "10",
        "active": "on",
    }
    answer = admin_client.post(reverse("wagtailsnippets_lists_listrule:edit", args=[rule.pk]), data)
    assert answer.status_code == 302
    assert ListRule.objects.get(pk=rule.pk).min_complaints == 10
    current = ListRule.objects.get(kind=ListRule.Kind.BLACK, is_current=True)
    assert (current.min_complaints, current.version, current.supersedes_id) == (15, 2, rule.pk)
