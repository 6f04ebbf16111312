"""The handling desk (投诉受理) in the Wagtail admin: the queue, one complaint, its actions,
its personal data and photos, and the unit's figures.

Who sees what: ``complaints.handle_complaint`` opens the desk; the user's units decide which
complaints (``Complaint.objects.visible_to``: their units' and those of the units under them);
a complainant's name, phone and photos also need ``complaints.view_personal_data`` and each
look is logged (``PersonalDataView``).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.private_files import private_file_path, private_file_response

from .. import workflow
from ..intake import FLAG_LABELS
from ..models import Complaint, ComplaintPhoto, Deadline, PersonalDataView
from ..roles import may_handle, may_view_personal_data
from ..states import Action, allowed_actions
from . import queue
from .forms import form_for
from .split import split

PER_PAGE = 50


def _require_desk(user):
    if not may_handle(user):
        raise PermissionDenied


def _visible_complaint(user, pk):
    """The complaint if the user's units cover it; 404 otherwise (its existence stays private)."""
    return get_object_or_404(Complaint.objects.visible_to(user), pk=pk)


@require_GET
def index(request):
    _require_desk(request.user)
    now = timezone.now()
    units = queue.visible_units(request.user).order_by("level", "name")
    base = queue.base_queryset(request.user)
    filters = queue.QueueFilterForm(request.GET or None, units=units)
    filtered = filters.apply(base)
    tab = request.GET.get("tab", queue.DEFAULT_TAB)
    if tab not in dict(queue.TABS):
        tab = queue.DEFAULT_TAB
    counts = queue.counts(filtered, now)
    paginator = Paginator(queue.rows(filtered, tab, now), PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    params = request.GET.copy()
    params.pop("p", None)
    params.pop("tab", None)
    rows = [
        {
            "complaint": complaint,
            "time_left": queue.time_left(complaint.nearest_due, now),
            "overdue": complaint.nearest_due is not None and complaint.nearest_due < now,
            "deadline_label": Deadline.Kind(complaint.nearest_kind).label
            if complaint.nearest_kind
            else "",
            "flags": [str(FLAG_LABELS.get(flag, flag)) for flag in complaint.review_flags],
        }
        for complaint in page.object_list
    ]
    return TemplateResponse(
        request,
        "complaints/desk/index.html",
        {
            "tabs": [(name, label, counts[name]) for name, label in queue.TABS],
            "tab": tab,
            "filters": filters,
            "rows": rows,
            "page": page,
            "query": params.urlencode(),
            "has_units": request.user.is_superuser or request.user.units.exists(),
        },
    )


# Offered after the step that moves the complaint on: the usual work comes first.
SECONDARY_ACTIONS = frozenset({Action.MERGE, Action.SPLIT, Action.RETURN, Action.MARK_FAST})


def _detail_context(request, complaint, revealed=False):
    user = request.user
    actions = [
        (action, Action(action).label, form_for(action, complaint, user))
        for action in sorted(allowed_actions(complaint.state), key=SECONDARY_ACTIONS.__contains__)
        if _offered(action, complaint, user)
    ]
    return {
        "complaint": complaint,
        "events": complaint.events.select_related("user", "unit"),
        "deadlines": [
            (deadline, queue.time_left(deadline.due_at, timezone.now()) if deadline.is_open else "")
            for deadline in complaint.deadlines.select_related("unit")
        ],
        "cards": [card for deadline in complaint.deadlines.all() for card in deadline.cards.all()],
        "flags": [str(FLAG_LABELS.get(flag, flag)) for flag in complaint.review_flags],
        "photos": list(complaint.photos.all()),
        "split_items": list(complaint.split_items.only("pk", "tracking_number")),
        "merged": list(complaint.merged.only("pk", "tracking_number")),
        "repeats": list(complaint.repeats.only("pk", "tracking_number")),
        "actions": actions,
        "may_view_personal_data": may_view_personal_data(user),
        "revealed": revealed,
        "removed": complaint.personal_data_removed_at is not None,
        "now": timezone.now(),
    }


def _offered(action, complaint, user):
    """Whether the desk offers ``action``: steps that make no sense now are not shown."""
    if action == Action.REASSIGN:
        return _may_reassign(user, complaint)
    if action in (Action.RESPOND, Action.ARRIVE):
        return complaint.fast_response
    if action == Action.MARK_FAST:
        return not complaint.fast_response
    if action == Action.REOPEN:
        return not complaint.reopened and complaint.satisfaction == "dissatisfied"
    if action == Action.START_SETTLEMENT:
        return complaint.merchant_id is not None and complaint.consent_contact
    return True


def _may_reassign(user, complaint):
    """A returned complaint is passed on by the unit above the one that returned it."""
    if user.is_superuser:
        return True
    parent = complaint.unit.parent
    if parent is None:
        return False
    return any(parent.pk in unit.with_descendants() for unit in user.units.all())


def _complaint_for_detail(user, pk):
    queryset = Complaint.objects.select_related(
        "unit", "merchant", "region", "duplicate_of", "merged_into", "split_from", "disclosure"
    ).prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.prefetch_related("cards__unit"))
    )
    return get_object_or_404(queryset.visible_to(user), pk=pk)


@require_GET
def detail(request, pk):
    _require_desk(request.user)
    complaint = _complaint_for_detail(request.user, pk)
    response = TemplateResponse(
        request, "complaints/desk/detail.html", _detail_context(request, complaint)
    )
    add_never_cache_headers(response)
    return response


@require_POST
def act(request, pk, action):
    _require_desk(request.user)
    complaint = _visible_complaint(request.user, pk)
    detail_url = reverse("complaints_desk:detail", args=[complaint.pk])
    if action not in Action.values:
        raise Http404
    if action == Action.REASSIGN and not _may_reassign(request.user, complaint):
        messages.error(request, _("退回的投诉由上级单位转办。"))
        return redirect(detail_url)
    form = form_for(action, complaint, request.user, request.POST)
    if not form.is_valid():
        errors = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("未能办理：%(errors)s") % {"errors": "".join(errors)})
        return redirect(detail_url)
    try:
        if action == Action.SPLIT:
            report = split(complaint, form.cleaned_data["text"], request.user)
            messages.success(
                request,
                _("已拆分出举报事项%(number)s。") % {"number": report.tracking_number},
            )
        else:
            workflow.perform(complaint, action, user=request.user, **form.details())
            messages.success(request, _("已%(action)s。") % {"action": Action(action).label})
    except workflow.TransitionError as error:
        messages.error(request, str(error))
    return redirect(detail_url)


@require_POST
def personal_data(request, pk):
    """查看个人信息: the same page with the name and phone shown, the look logged."""
    _require_desk(request.user)
    if not may_view_personal_data(request.user):
        raise PermissionDenied
    complaint = _complaint_for_detail(request.user, pk)
    if complaint.personal_data_removed_at is None:
        PersonalDataView.objects.create(complaint=complaint, user=request.user, what="contact")
    response = TemplateResponse(
        request, "complaints/desk/detail.html", _detail_context(request, complaint, revealed=True)
    )
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_GET
def photo(request, pk, photo_id):
    """A complaint's photo, from private storage, to those who may see personal data; logged."""
    _require_desk(request.user)
    if not may_view_personal_data(request.user):
        raise PermissionDenied
    complaint = _visible_complaint(request.user, pk)
    if complaint.personal_data_removed_at is not None:
        raise Http404
    item = get_object_or_404(ComplaintPhoto, pk=photo_id, complaint=complaint)
    path = private_file_path(item.file)
    PersonalDataView.objects.create(complaint=complaint, user=request.user, what=f"photo:{item.pk}")
    return private_file_response(path, item.content_type)


FIGURE_MONTHS = 6


@require_GET
def figures(request):
    """统计: the units' figures (``complaints.figures``) for the last six months, per unit and
    per month, each rate with its numerator and denominator."""
    _require_desk(request.user)
    from ..figures import month_start, unit_month_figures

    first = month_start(timezone.localdate())
    months = [first]
    while len(months) < FIGURE_MONTHS:
        months.insert(0, month_start(months[0] - datetime.timedelta(days=1)))
    units = list(queue.visible_units(request.user).order_by("level", "name"))
    rows = unit_month_figures(units, months)
    return TemplateResponse(
        request,
        "complaints/desk/figures.html",
        {
            "by_unit": [row for row in rows if row.unit is not None and row.month is None],
            "by_month": [row for row in rows if row.unit is None],
            "months": months,
        },
    )
