"""Working days: the State Council's holiday calendar with its make-up working days (调休),
from ``chinesecalendar``, and the bureau's own changes (``WorkdayOverride``) on top.

For a year the package does not yet know (its calendar is published each December), Monday to
Friday are working days until an editor enters the year's holidays as overrides.
"""

import datetime

import chinese_calendar
from django.utils import timezone

from .models import WorkdayOverride


class Calendar:
    """Working-day answers for a stretch of time, the overrides read once."""

    def __init__(self, overrides=None):
        if overrides is None:
            overrides = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
        self.overrides = overrides

    def is_workday(self, day):
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package's calendar does not cover yet
            return day.weekday() < 5

    def workdays_after(self, day, count):
        """The ``count`` working days that follow ``day`` (the day itself not counted)."""
        found = []
        while len(found) < count:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                found.append(day)
        return found


WORKDAYS_IN_A_WEEK = 5
WORKDAYS_IN_TWO_WEEKS = 10


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def workday_limit(start, workdays, calendar=None):
    """(due, remind, urge) of a limit of ``workdays`` working days from ``start``.

    Counting starts the day after the complaint arrives, as time limits in days do; the limit
    ends at the close of its last working day. Half the limit (the 提醒卡) and the 催办卡 are
    measured in working time, each working day counting 24 hours, so a holiday in between moves
    them as it moves the deadline and neither falls on a day off. The 催办卡 comes a working week
    (5 working days) before the end, or a quarter of the limit before it when the limit is
    under two weeks (fewer than 10 working days, however long a holiday stretches it): the two
    rules meet at 10, so the 提醒卡 never comes after the 催办卡.
    """
    calendar = calendar or Calendar()
    workdays = max(workdays, 1)  # a policy edited to 0 still gives a deadline
    days = calendar.workdays_after(timezone.localtime(start).date(), workdays)

    def after_working_days(elapsed):
        whole = min(int(elapsed), len(days) - 1)
        return _start_of(days[whole]) + datetime.timedelta(days=elapsed - whole)

    due = _start_of(days[-1]) + datetime.timedelta(days=1)
    remind = after_working_days(workdays / 2)
    if workdays < WORKDAYS_IN_TWO_WEEKS:
        urge = after_working_days(workdays * 3 / 4)
    else:
        urge = after_working_days(workdays - WORKDAYS_IN_A_WEEK)
    return due, remind, urge


def clock_limit(start, duration):
    """(due, remind, urge) of a limit in hours or minutes, which runs day and night."""
    due = start + duration
    urge_before = duration / 4 if duration < datetime.timedelta(days=14) else datetime.timedelta(7)
    return due, start + duration / 2, due - urge_before
