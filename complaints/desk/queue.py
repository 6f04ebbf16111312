"""The desk's queue: which complaints a clerk sees, its tabs with their counts, its filters.

Everything a row shows comes from one query (the nearest open deadline is a subquery), and the
six tab counts from one more, so the page costs the same at 100 complaints and at 100,000.
"""

import datetime

from django import forms
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Complaint, Deadline, Unit
from ..states import State

TABS = [
    ("new", _("新投诉")),
    ("due_soon", _("一天内到期")),
    ("overdue", _("已超期")),
    ("to_visit", _("待回访")),
    ("review", _("待核查")),
    ("all", _("全部")),
]
DEFAULT_TAB = "new"


def _open_deadlines():
    return Deadline.objects.filter(complaint=OuterRef("pk"), met_at__isnull=True, cancelled=False)


def tab_conditions(now):
    """Each tab as a condition on a complaint row."""
    soon = now + datetime.timedelta(hours=24)
    return {
        "new": Q(state=State.RECEIVED),
        "due_soon": Q(Exists(_open_deadlines().filter(due_at__gte=now, due_at__lt=soon))),
        "overdue": Q(Exists(_open_deadlines().filter(due_at__lt=now))),
        "to_visit": Q(state=State.CLOSED),
        "review": ~Q(review_flags=[]),
        "all": Q(),
    }


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False)
    unit = forms.ChoiceField(label=_("承办单位"), required=False)
    fast = forms.ChoiceField(
        label=_("快速响应"),
        required=False,
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))],
    )
    submitted_from = forms.DateField(
        label=_("提交日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部")), *State.choices]
        self.fields["unit"].choices = [("", _("全部")), *((str(u.pk), u.name) for u in units)]

    def apply(self, queryset):
        """The valid filters applied; an invalid one (a hand-edited address) is ignored."""
        if not self.is_bound:
            return queryset
        self.is_valid()
        data = self.cleaned_data
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("unit"):
            queryset = queryset.filter(unit_id=data["unit"])
        if data.get("fast"):
            queryset = queryset.filter(fast_response=data["fast"] == "1")
        if data.get("submitted_from"):
            queryset = queryset.filter(submitted_at__gte=_start_of(data["submitted_from"]))
        if data.get("submitted_to"):
            next_day = data["submitted_to"] + datetime.timedelta(days=1)
            queryset = queryset.filter(submitted_at__lt=_start_of(next_day))
        return queryset


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def visible_units(user):
    """The units whose complaints ``user`` sees (for the unit filter)."""
    if user.is_superuser:
        return Unit.objects.all()
    ids = set()
    for unit in user.units.all():
        ids.update(unit.with_descendants())
    return Unit.objects.filter(pk__in=ids)


def base_queryset(user):
    return Complaint.objects.visible_to(user)


# The tabs counted from the deadlines' own (met_at, cancelled, due_at) index: asked of every
# complaint row, "has an open deadline due …" cost a subquery per row (0.55 s at 100,000).
DEADLINE_TABS = ("due_soon", "overdue")


def _due_between(queryset, start, end):
    due = Deadline.objects.filter(met_at__isnull=True, cancelled=False, due_at__lt=end)
    if start is not None:
        due = due.filter(due_at__gte=start)
    complaints = queryset.order_by().values("pk")
    return due.filter(complaint__in=complaints).values("complaint").distinct().count()


def counts(queryset, now):
    """{tab: number of complaints}: the state tabs in one query, each deadline tab in one."""
    conditions = tab_conditions(now)
    aggregates = {
        name: Count("pk", filter=condition) if name != "all" else Count("pk")
        for name, condition in conditions.items()
        if name not in DEADLINE_TABS
    }
    found = queryset.order_by().aggregate(**aggregates)
    found["due_soon"] = _due_between(queryset, now, now + datetime.timedelta(hours=24))
    found["overdue"] = _due_between(queryset, None, now)
    return found


def rows(queryset, tab, now):
    """The listing's rows: only the columns a row shows (no personal data leaves the database)."""
    nearest = _open_deadlines().order_by("due_at")
    queryset = (
        queryset.filter(tab_conditions(now)[tab])
        .annotate(
            nearest_due=Subquery(nearest.values("due_at")[:1]),
            nearest_kind=Subquery(nearest.values("kind")[:1]),
        )
        .select_related("unit")
        .only(
            "pk",
            "tracking_number",
            "merchant_name",
            "submitted_at",
            "state",
            "kind",
            "fast_response",
            "review_flags",
            "duplicate_of_id",
            "unit__name",
        )
    )
    if tab in ("due_soon", "overdue"):
        return queryset.order_by("nearest_due", "pk")
    return queryset.order_by("-submitted_at", "-pk")


def time_left(due, now):
    """剩余 or 超期 time in words a clerk reads at a glance."""
    if due is None:
        return ""
    delta = due - now
    overdue = delta.total_seconds() < 0
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        span = _("%(d)s天%(h)s小时") % {"d": days, "h": hours}
    elif hours:
        span = _("%(h)s小时%(m)s分钟") % {"h": hours, "m": minutes}
    else:
        span = _("%(m)s分钟") % {"m": minutes}
    return (_("已超期%(span)s") if overdue else _("剩余%(span)s")) % {"span": span}
