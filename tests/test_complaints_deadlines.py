"""Time limits and their cards: every limit across a weekend and the 2026 National Day holiday
with its make-up working day, and each 提醒卡, 催办卡 and 逾期升级 issued once, by e-mail too."""

import datetime
import io
import threading

import chinese_calendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from complaints import workflow
from complaints.cards import issue_due_cards
from complaints.models import Card, Deadline, HandlingPolicy, WorkdayOverride
from complaints.states import Action, FastResponseReason, Result, Satisfaction
from complaints.workdays import Calendar, workday_limit

from .complaints_fixtures import make_complaint, make_registered_merchant, make_units
from .merchant_factories import pledge_type

pytestmark = pytest.mark.django_db

K = Deadline.Kind


def at(*args):
    """A moment in Beijing time."""
    return timezone.make_aware(datetime.datetime(*args))


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


def deadline(complaint, kind):
    return complaint.deadlines.get(kind=kind, cancelled=False)


def times(d):
    return local(d.due_at), local(d.remind_at), local(d.urge_at)


# --- The calendar itself -------------------------------------------------------------------


def test_the_package_lists_national_day_2026_and_its_make_up_working_days():
    # What the tests below rely on, read from chinesecalendar rather than assumed.
    for day in range(1, 8):
        assert chinese_calendar.is_holiday(datetime.date(2026, 10, day))
    assert datetime.date(2026, 10, 10).weekday() == 5  # a Saturday …
    assert chinese_calendar.is_workday(datetime.date(2026, 10, 10))  # … worked (调休)
    assert datetime.date(2026, 9, 20).weekday() == 6  # a Sunday …
    assert chinese_calendar.is_workday(datetime.date(2026, 9, 20))  # … worked (调休)
    assert chinese_calendar.is_holiday(datetime.date(2026, 9, 25))  # 中秋节
    assert chinese_calendar.is_holiday(datetime.date(2026, 10, 11))  # an ordinary Sunday


# --- Acceptance: 7 working days ----------------------------------------------------------


def test_acceptance_within_seven_working_days_across_a_weekend():
    complaint = make_complaint(now=at(2026, 11, 20, 16, 0))  # a Friday afternoon
    due, remind, urge = times(deadline(complaint, K.ACCEPTANCE))
    # Counting starts on Monday 23rd: 23–27, 30, 1 December; due at the close of the 1st.
    assert due == datetime.datetime(2026, 12, 2, 0, 0)
    # Half of 7 working days: noon of the 4th working day (Thursday 26th).
    assert remind == datetime.datetime(2026, 11, 26, 12, 0)
    # Under two weeks: a quarter of the limit before the end, 5.25 working days in (Monday).
    assert urge == datetime.datetime(2026, 11, 30, 6, 0)


def test_acceptance_across_national_day_counts_the_make_up_saturday():
    complaint = make_complaint(now=at(2026, 9, 29, 10, 0))  # Tuesday before the holiday
    due, remind, urge = times(deadline(complaint, K.ACCEPTANCE))
    # 30 Sep, (1–7 Oct off), 8, 9, Saturday 10 (worked), 12, 13, 14.
    assert due == datetime.datetime(2026, 10, 15, 0, 0)
    assert remind == datetime.datetime(2026, 10, 10, 12, 0)  # on the make-up Saturday
    assert urge == datetime.datetime(2026, 10, 13, 6, 0)
    assert remind < urge < due


def test_no_card_falls_on_a_day_off_and_the_reminder_never_follows_the_urge():
    calendar = Calendar(overrides={})
    start = at(2026, 9, 15, 9, 30)
    while start < at(2026, 10, 20):
        for workdays in (1, 5, 7, 9, 10, 11, 45, 60):
            due, remind, urge = workday_limit(start, workdays, calendar)
            assert start < remind <= urge < due, (start, workdays)
            for moment in (remind, urge):
                assert calendar.is_workday(timezone.localtime(moment).date())
        start += datetime.timedelta(hours=7)


def test_a_local_day_off_and_a_local_working_day_move_the_deadline():
    WorkdayOverride.objects.create(
        date=datetime.date(2026, 11, 25), is_workday=False, note="县城供水抢修，全体放假"
    )
    complaint = make_complaint(now=at(2026, 11, 20, 16, 0))
    # 23, 24, (25 off), 26, 27, 30, 1, 2 → due at the close of 2 December.
    assert local(deadline(complaint, K.ACCEPTANCE).due_at) == datetime.datetime(2026, 12, 3)

    WorkdayOverride.objects.create(
        date=datetime.date(2026, 11, 28), is_workday=True, note="补25日的班"
    )
    again = make_complaint(now=at(2026, 11, 20, 16, 0))
    # 23, 24, 26, 27, Saturday 28, 30, 1 → due at the close of 1 December.
    due, remind, _urge = times(deadline(again, K.ACCEPTANCE))
    assert due == datetime.datetime(2026, 12, 2)
    assert remind == datetime.datetime(2026, 11, 27, 12, 0)


def test_a_year_the_package_does_not_cover_counts_monday_to_friday():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(datetime.date(2027, 3, 5))
    complaint = make_complaint(now=at(2027, 3, 5, 11, 0))  # a Friday
    # 8–12, 15, 16 March.
    assert local(deadline(complaint, K.ACCEPTANCE).due_at) == datetime.datetime(2027, 3, 17)


# --- Clock limits: notify, fast response, report back ------------------------------------


def test_notify_within_24_hours_runs_through_the_holiday():
    complaint = make_complaint(now=at(2026, 10, 1, 10, 0))  # National Day itself
    due, remind, urge = times(deadline(complaint, K.NOTIFY))
    assert due == datetime.datetime(2026, 10, 2, 10, 0)
    assert remind == datetime.datetime(2026, 10, 1, 22, 0)  # half the limit
    assert urge == datetime.datetime(2026, 10, 2, 4, 0)  # a quarter before the end


def fast_merchant():
    return make_registered_merchant(
        registered_name="长沙市岳麓区高明数码商行",
        shop_name="高明数码(步行街店)",
        pledges=[
            {
                "pledge_type": "快速响应双承诺",
                "content": "接到投诉45分钟内响应，90分钟内到达现场",
                "starts_on": datetime.date(2026, 1, 1),
                "ends_on": datetime.date(2026, 12, 31),
            }
        ],
    )


def test_a_merchant_with_an_in_force_fast_response_pledge_gets_45_and_90_minutes():
    policy = HandlingPolicy.load()
    policy.fast_response_pledge_types.add(pledge_type("快速响应双承诺"))
    complaint = make_complaint(merchant=fast_merchant(), now=at(2026, 10, 3, 20, 0))
    assert complaint.fast_response
    assert complaint.fast_response_reason == FastResponseReason.PLEDGE
    due, remind, urge = times(deadline(complaint, K.FAST_RESPONSE))
    assert (due, remind, urge) == (
        datetime.datetime(2026, 10, 3, 20, 45),
        datetime.datetime(2026, 10, 3, 20, 22, 30),
        datetime.datetime(2026, 10, 3, 20, 33, 45),
    )
    assert local(deadline(complaint, K.ON_SITE).due_at) == datetime.datetime(2026, 10, 3, 21, 30)


def test_the_pledge_counts_only_when_the_policy_lists_its_type_and_it_is_in_force():
    merchant = fast_merchant()
    unlisted = make_complaint(merchant=merchant, now=at(2026, 10, 3, 20, 0))
    assert not unlisted.fast_response
    assert not unlisted.deadlines.filter(kind__in=[K.FAST_RESPONSE, K.ON_SITE]).exists()

    HandlingPolicy.load().fast_response_pledge_types.add(pledge_type("快速响应双承诺"))
    # The pledge ends on 31 December: a complaint in 2027 is not a fast-response one.
    later = make_complaint(merchant=merchant, now=at(2027, 1, 4, 9, 0))
    assert not later.fast_response


def test_staff_mark_a_fast_response_situation_and_the_clock_starts_then():
    complaint = make_complaint(now=at(2026, 9, 27, 14, 0))  # 中秋 holiday Sunday
    assert not complaint.deadlines.filter(kind=K.FAST_RESPONSE).exists()
    workflow.perform(
        complaint,
        Action.MARK_FAST,
        fast_reason=FastResponseReason.OUT_OF_TOWN,
        at=at(2026, 9, 27, 14, 10),
    )
    assert local(deadline(complaint, K.FAST_RESPONSE).due_at) == datetime.datetime(
        2026, 9, 27, 14, 55
    )
    assert local(deadline(complaint, K.ON_SITE).due_at) == datetime.datetime(2026, 9, 27, 15, 40)
    workflow.perform(complaint, Action.ARRIVE, at=at(2026, 9, 27, 15, 20))
    assert not Deadline.objects.filter(
        complaint=complaint, kind__in=[K.FAST_RESPONSE, K.ON_SITE], met_at__isnull=True
    ).exists()


def test_settlement_window_of_five_working_days_across_national_day():
    complaint = make_complaint(merchant=make_registered_merchant(), now=at(2026, 9, 28, 9, 0))
    workflow.perform(complaint, Action.ACCEPT, at=at(2026, 9, 29, 9, 0))
    workflow.perform(complaint, Action.START_SETTLEMENT, at=at(2026, 9, 30, 10, 0))
    due, remind, urge = times(deadline(complaint, K.SETTLEMENT))
    # 8, 9, Saturday 10, 12, 13 October.
    assert due == datetime.datetime(2026, 10, 14)
    assert remind == datetime.datetime(2026, 10, 10, 12, 0)
    assert urge == datetime.datetime(2026, 10, 12, 18, 0)


def test_mediation_limit_runs_from_acceptance_and_closing_starts_the_24_hour_report_back():
    complaint = make_complaint(now=at(2026, 9, 28, 9, 0))
    workflow.perform(complaint, Action.ACCEPT, at=at(2026, 9, 29, 9, 0))
    mediation = deadline(complaint, K.MEDIATION)
    counted = chinese_calendar.get_workdays(
        datetime.date(2026, 9, 30), local(mediation.due_at).date() - datetime.timedelta(days=1)
    )
    assert len(counted) == 45  # 45 working days from the day after acceptance
    # A limit of two weeks or more: the 催办卡 a working week (5 working days) before the end.
    assert local(mediation.urge_at) == datetime.datetime.combine(counted[40], datetime.time())
    assert local(mediation.remind_at) == datetime.datetime.combine(
        counted[22], datetime.time(12, 0)
    )
    # Starting the mediation itself does not restart its clock.
    workflow.perform(complaint, Action.START_MEDIATION, at=at(2026, 10, 9, 9, 0))
    assert deadline(complaint, K.MEDIATION).pk == mediation.pk

    workflow.perform(
        complaint, Action.CLOSE, result=Result.MEDIATION_SUCCESS, at=at(2026, 10, 10, 17, 30)
    )
    mediation.refresh_from_db()
    assert local(mediation.met_at) == datetime.datetime(2026, 10, 10, 17, 30)
    report = deadline(complaint, K.REPORT_BACK)
    assert local(report.due_at) == datetime.datetime(2026, 10, 11, 17, 30)
    workflow.perform(
        complaint, Action.VISIT, satisfaction=Satisfaction.SATISFIED, at=at(2026, 10, 11, 9, 0)
    )
    report.refresh_from_db()
    assert report.met_at is not None


# --- Cards ---------------------------------------------------------------------------------


def cards_of(complaint):
    return list(
        Card.objects.filter(deadline__complaint=complaint)
        .order_by("pk")
        .values_list("deadline__kind", "kind", "unit__name")
    )


def test_reminder_urge_and_escalation_each_once_over_repeated_runs():
    units = make_units()
    complaint = make_complaint(now=at(2026, 11, 20, 16, 0))  # 岳麓区 bureau
    assert complaint.unit == units.yuelu

    issue_due_cards(at(2026, 11, 21, 5, 0))  # notify: half of 24 hours has passed
    issue_due_cards(at(2026, 11, 21, 5, 0))
    issue_due_cards(at(2026, 11, 21, 6, 0))
    assert cards_of(complaint) == [(K.NOTIFY, Card.Kind.REMINDER, units.yuelu.name)]

    issue_due_cards(at(2026, 11, 21, 17, 0))  # notify overdue: urge, then escalation
    issue_due_cards(at(2026, 11, 22, 8, 0))
    assert cards_of(complaint) == [
        (K.NOTIFY, Card.Kind.REMINDER, units.yuelu.name),
        (K.NOTIFY, Card.Kind.URGE, units.yuelu.name),
        (K.NOTIFY, Card.Kind.ESCALATION, units.city.name),  # to the city bureau
    ]
    d = deadline(complaint, K.NOTIFY)
    assert local(d.escalated_at) == datetime.datetime(2026, 11, 21, 17, 0)


def test_cards_missed_while_the_command_was_not_running_come_in_order_once():
    units = make_units()
    complaint = make_complaint(now=at(2026, 9, 29, 10, 0))
    workflow.perform(complaint, Action.ACKNOWLEDGE, at=at(2026, 9, 29, 11, 0))
    # Nothing ran over the holiday; the first run after it finds acceptance overdue.
    summary = issue_due_cards(at(2026, 10, 15, 8, 0))
    assert cards_of(complaint) == [
        (K.ACCEPTANCE, Card.Kind.REMINDER, units.yuelu.name),
        (K.ACCEPTANCE, Card.Kind.URGE, units.yuelu.name),
        (K.ACCEPTANCE, Card.Kind.ESCALATION, units.city.name),
    ]
    assert summary.issued == {
        Card.Kind.REMINDER: 1,
        Card.Kind.URGE: 1,
        Card.Kind.ESCALATION: 1,
    }
    assert issue_due_cards(at(2026, 10, 16, 8, 0)).total == 0


def test_met_and_cancelled_deadlines_send_nothing():
    complaint = make_complaint(now=at(2026, 11, 20, 16, 0))
    workflow.perform(complaint, Action.ACCEPT, at=at(2026, 11, 20, 17, 0))
    duplicate = make_complaint(now=at(2026, 11, 20, 16, 5))
    workflow.perform(duplicate, Action.MERGE, target=complaint, at=at(2026, 11, 20, 17, 5))
    issue_due_cards(at(2026, 12, 5, 9, 0))
    # Only the mediation limit started at acceptance is running, and it is far from half.
    assert cards_of(complaint) == []
    assert cards_of(duplicate) == []


def test_a_city_units_own_overdue_item_escalates_to_itself():
    units = make_units()
    complaint = make_complaint(region="430102", now=at(2026, 11, 20, 16, 0))  # 芙蓉区
    workflow.perform(complaint, Action.RETURN, reason="不属于本局管辖。", at=at(2026, 11, 20, 17))
    workflow.perform(complaint, Action.REASSIGN, unit=units.city, at=at(2026, 11, 20, 18))
    issue_due_cards(at(2026, 12, 8, 9, 0))
    escalation = Card.objects.get(
        deadline__complaint=complaint, deadline__kind=K.ACCEPTANCE, kind=Card.Kind.ESCALATION
    )
    assert escalation.unit == units.city


def test_two_runs_at_the_same_moment_issue_each_card_once():
    complaints = [make_complaint(now=at(2026, 11, 20, 16, i)) for i in range(5)]
    now = at(2026, 11, 23, 9, 0)
    first = issue_due_cards(now)
    second = issue_due_cards(now)  # same stamp: finds the cards the first made
    assert first.total == 15 and second.total == 0
    for complaint in complaints:
        assert len(cards_of(complaint)) == 3


@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_in_parallel_issue_each_card_once():
    complaints = [make_complaint(now=at(2026, 11, 20, 16, i)) for i in range(20)]
    barrier = threading.Barrier(3)
    errors = []

    def run(minute):
        try:
            barrier.wait()
            for step in range(3):
                issue_due_cards(at(2026, 11, 23, 9, minute + step))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(m,)) for m in (0, 0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Card.objects.count() == 3 * len(complaints)
    for complaint in complaints:
        assert sorted(kind for _k, kind, _u in cards_of(complaint)) == sorted(
            [Card.Kind.REMINDER, Card.Kind.URGE, Card.Kind.ESCALATION]
        )
    # Every card e-mailed exactly once: county's reminders and urges, the city's escalations.
    listed = sum(message.body.count("FX") for message in mail.outbox)
    assert listed == 3 * len(complaints)


def test_one_email_per_unit_per_run_with_links_and_no_personal_data():
    units = make_units()
    phone = "13973112345"
    complaint = make_complaint(
        now=at(2026, 11, 20, 16, 0),
        name="高明",
        phone=phone,
        content="我叫高明，住金华小区3栋，电话13973112345，买的电饭煲漏电。",
    )
    other = make_complaint(now=at(2026, 11, 20, 16, 30))
    mail.outbox.clear()
    issue_due_cards(at(2026, 11, 23, 9, 0))  # notify: reminder, urge, escalation for both
    assert sorted(m.to[0] for m in mail.outbox) == sorted([units.city.email, units.yuelu.email])
    county = next(m for m in mail.outbox if m.to == [units.yuelu.email])
    assert county.subject == "【投诉办理时限】长沙市岳麓区市场监督管理局：提醒卡2张、催办卡2张"
    assert complaint.tracking_number in county.body and other.tracking_number in county.body
    assert f"/admin/complaints/{complaint.pk}/" in county.body
    assert "告知承办单位时限截止：2026年11月21日 16:00" in county.body
    city = next(m for m in mail.outbox if m.to == [units.city.email])
    assert "逾期升级2张" in city.subject
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in ("高明", phone, "金华小区", "电饭煲"):
            assert secret not in text
    assert Card.objects.filter(emailed=True).count() == 6


def test_a_unit_without_an_email_sees_its_cards_on_the_desk_only():
    units = make_units()
    units.yuelu.email = ""
    units.yuelu.save()
    make_complaint(now=at(2026, 11, 20, 16, 0))
    mail.outbox.clear()
    summary = issue_due_cards(at(2026, 11, 21, 5, 0))
    assert summary.issued[Card.Kind.REMINDER] == 1
    assert mail.outbox == []
    assert summary.units_without_email == [units.yuelu.name]
    assert Card.objects.get().emailed is False


def test_the_command_reports_in_chinese_and_dry_run_changes_nothing():
    make_complaint(now=at(2026, 11, 20, 16, 0))
    out = io.StringIO()
    call_command("complaint_deadlines", "--now", "2026-11-23T09:00", "--dry-run", stdout=out)
    assert "试运行（2026-11-23 09:00）：将发出 提醒卡 1 张，催办卡 1 张，逾期升级 1 张" in (
        out.getvalue()
    )
    assert Card.objects.count() == 0 and mail.outbox == []
    assert not Deadline.objects.filter(reminded_at__isnull=False).exists()

    out = io.StringIO()
    call_command("complaint_deadlines", "--now", "2026-11-23T09:00", stdout=out)
    assert "2026-11-23 09:00：已发出 提醒卡 1 张，催办卡 1 张，逾期升级 1 张。" in out.getvalue()
    assert "已发送邮件 2 封。" in out.getvalue()
    out = io.StringIO()
    call_command("complaint_deadlines", "--now", "2026-11-23T09:05", stdout=out)
    assert "已发出 提醒卡 0 张，催办卡 0 张，逾期升级 0 张。" in out.getvalue()
