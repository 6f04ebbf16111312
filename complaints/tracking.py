"""What a complainant sees when tracking a complaint: found by its tracking number and the last
four digits of the phone, shown as stages, the unit, the open deadlines and the reasons.

``public_view`` is the one place that decides what of a complaint is public to its complainant
(the tracking page and GET /api/v1/complaints/<number> both render it). It reads only the
public parts: the audit log's ``public_note`` (never ``note``, the staff's own words), the unit
names (never a staff member's name), the merchant's name as the consumer gave it (never its
registered contact person or phone), and no personal data of the complainant at all.

After the personal data is removed, the tracking number and ``phone_last4`` still find the
complaint as long as ``phone_last4`` is kept: four digits identify nobody, and the consumer can
still read the outcome. A complaint whose ``phone_last4`` is empty (removed with the phone) can
no longer be tracked: ``find`` never matches an empty value, so a blank or missing last four
digits can never open a complaint.
"""

import datetime
import hmac
import re
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Complaint, ComplaintEvent, Deadline
from .states import Action, State
from .workdays import Calendar

_NUMBER_RE = re.compile(r"^FX\d{16}$")
_LAST4_RE = re.compile(r"^\d{4}$")

# The limits counted in working days (``deadlines._limits``); the others run day and night.
WORKDAY_KINDS = frozenset(
    {Deadline.Kind.ACCEPTANCE, Deadline.Kind.SETTLEMENT, Deadline.Kind.MEDIATION}
)

# What the complainant reads for each step, where the desk's name for it is staff language.
_STAGE_TITLES = {
    Action.SUBMIT: gettext_lazy("提交投诉"),
    Action.ACKNOWLEDGE: gettext_lazy("承办单位已签收"),
    Action.ACCEPT: gettext_lazy("已受理"),
    Action.REFUSE: gettext_lazy("不予受理"),
    Action.RETURN: gettext_lazy("退回（非本单位管辖）"),
    Action.REASSIGN: gettext_lazy("转办"),
    Action.MERGE: gettext_lazy("合并办理"),
    Action.START_SETTLEMENT: gettext_lazy("转商家先行和解"),
    Action.MERCHANT_ANSWER: gettext_lazy("商家答复"),
    Action.SETTLE: gettext_lazy("先行和解成功，已办结"),
    Action.START_MEDIATION: gettext_lazy("开始调解"),
    Action.CLOSE: gettext_lazy("办结"),
    Action.VISIT: gettext_lazy("回访"),
    Action.REOPEN: gettext_lazy("重新调解"),
    Action.MARK_FAST: gettext_lazy("按快速响应办理"),
    Action.RESPOND: gettext_lazy("已快速响应"),
    Action.ARRIVE: gettext_lazy("工作人员已到达现场"),
    Action.SPLIT: gettext_lazy("拆分举报事项"),
    Action.REMOVE_PERSONAL_DATA: gettext_lazy("个人信息已按规定删除"),
}

# Dummy value compared when no complaint matches, so that a wrong number and a wrong last four
# digits take the same path (the page says the same thing in both cases).
_NO_MATCH = "\x00\x00\x00\x00"


def normalize_tracking_number(text):
    """The tracking number as stored, from what people type: spaces anywhere, lower case,
    full-width letters and digits (ＦＸ２０２６…)."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\-_]", "", text).upper()


def normalize_last4(text):
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))


def find(tracking_number, phone_last4):
    """The complaint with this tracking number whose phone ends in ``phone_last4``, else None.

    The last four digits are compared in constant time; a complaint without them (personal
    data removed with the phone) is never found.
    """
    number = normalize_tracking_number(tracking_number)
    last4 = normalize_last4(phone_last4)
    if not _NUMBER_RE.match(number) or not _LAST4_RE.match(last4):
        return None
    complaint = (
        Complaint.objects.select_related("unit", "merged_into")
        .filter(tracking_number=number)
        .first()
    )
    stored = complaint.phone_last4 if complaint is not None else ""
    matches = hmac.compare_digest((stored or _NO_MATCH).encode(), last4.encode())
    return complaint if complaint is not None and stored and matches else None


def _local(moment):
    return timezone.localtime(moment) if moment else None


def format_time(moment):
    moment = _local(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}" if moment else ""


def _iso(moment):
    return _local(moment).isoformat() if moment else None


def _working_days_left(due, now, calendar):
    """Whole working days after today up to the deadline's last day: a limit of 5 working
    days reads 还剩5个工作日 on the day it starts, as it is counted (``workdays``)."""
    last_day = (_local(due) - datetime.timedelta(microseconds=1)).date()
    count, day = 0, _local(now).date() + datetime.timedelta(days=1)
    while day <= last_day:
        count += calendar.is_workday(day)
        day += datetime.timedelta(days=1)
    return count


def time_left(deadline, now, calendar=None):
    """The time left before ``deadline`` in plain Chinese: 还剩2个工作日, 还剩5小时, 还剩30分钟 or
    已超期. Limits in working days count working days while a day or more is left."""
    left = deadline.due_at - now
    if left <= datetime.timedelta(0):
        return _("已超期")
    if deadline.kind in WORKDAY_KINDS and left >= datetime.timedelta(days=1):
        days = _working_days_left(deadline.due_at, now, calendar or Calendar())
        if days >= 1:
            return _("还剩%(days)d个工作日") % {"days": days}
    if left >= datetime.timedelta(hours=1):
        return _("还剩%(hours)d小时") % {"hours": left // datetime.timedelta(hours=1)}
    minutes = max(1, left // datetime.timedelta(minutes=1))
    return _("还剩%(minutes)d分钟") % {"minutes": minutes}


def _stage(event, complaint):
    stage = {
        "action": event.action,
        "title": str(_STAGE_TITLES.get(event.action, event.get_action_display())),
        "at": _iso(event.at),
        "at_display": format_time(event.at),
        "unit": event.unit.name if event.unit_id else "",
        "note": event.public_note,
    }
    if event.action in (Action.CLOSE, Action.SETTLE) and complaint.amount_recovered is not None:
        stage["amount_recovered"] = str(complaint.amount_recovered)
    if event.action == Action.MERCHANT_ANSWER and complaint.settlement_answer:
        # The merchant wrote this to the consumer, through its link (``settlement``).
        stage["answer"] = complaint.settlement_answer
        stage["answer_text"] = complaint.settlement_text
    return stage


def public_view(complaint, now=None):
    """Everything the complainant may see of ``complaint``, as plain data (strings, numbers,
    lists) for the page and the API alike."""
    now = now or timezone.now()
    calendar = Calendar()
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("unit")
    stages = [_stage(event, complaint) for event in events]
    open_deadlines = complaint.deadlines.filter(met_at__isnull=True, cancelled=False)
    deadlines = [
        {
            "kind": deadline.kind,
            "title": deadline.get_kind_display(),
            "due_at": _iso(deadline.due_at),
            "due_display": format_time(deadline.due_at),
            "time_left": time_left(deadline, now, calendar),
            "overdue": deadline.due_at <= now,
        }
        for deadline in open_deadlines
    ]
    view = {
        "tracking_number": complaint.tracking_number,
        "kind": complaint.get_kind_display(),
        "state": complaint.state,
        "state_display": complaint.get_state_display(),
        "submitted_at": _iso(complaint.submitted_at),
        "submitted_display": format_time(complaint.submitted_at),
        "merchant_name": complaint.merchant_name,
        "unit": complaint.unit.name,
        "stages": stages,
        "deadlines": deadlines,
        "reason": complaint.public_reason
        if complaint.state in (State.REFUSED, State.RETURNED)
        else "",
        "merged_into": complaint.merged_into.tracking_number if complaint.merged_into_id else "",
        "settlement": None,
        "result": complaint.get_result_display() if complaint.result else "",
        "amount_recovered": (
            str(complaint.amount_recovered) if complaint.amount_recovered is not None else None
        ),
        "closed_at": _iso(complaint.closed_at),
        "closed_display": format_time(complaint.closed_at),
        "satisfaction": complaint.get_satisfaction_display() if complaint.satisfaction else "",
    }
    if complaint.settlement_answer:
        view["settlement"] = {
            "answer": complaint.settlement_answer,
            "answer_display": complaint.get_settlement_answer_display(),
            "text": complaint.settlement_text,
            "answered_at": _iso(complaint.settlement_answered_at),
            "answered_display": format_time(complaint.settlement_answered_at),
        }
    return view
