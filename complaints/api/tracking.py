"""GET /api/v1/complaints/<tracking_number>?phone_last4=…: a complaint's progress for the
WeChat mini-program, the same ``tracking.public_view`` the tracking page shows.

A wrong pair (unknown number or wrong last four digits) answers 404 with one Chinese message
that does not tell which; each client has a few lookups per window, as on the page.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from disclosures.api.endpoints import READ

from ..tracking import find, public_view
from ..views.tracking import too_many_lookups

router = Router()


class Stage(Schema):
    action: str = Field(description=gettext_lazy("操作代码"))
    title: str = Field(description=gettext_lazy("环节"))
    at: str = Field(description=gettext_lazy("时间（ISO 8601，北京时间）"))
    at_display: str
    unit: str = Field(description=gettext_lazy("办理单位"))
    note: str = Field(description=gettext_lazy("投诉人可见的说明（如不予受理或退回理由）"))
    answer: str | None = None
    answer_text: str | None = None
    amount_recovered: str | None = None


class DeadlineOut(Schema):
    kind: str
    title: str = Field(description=gettext_lazy("时限名称"))
    due_at: str = Field(description=gettext_lazy("截止时间"))
    due_display: str
    time_left: str = Field(description=gettext_lazy("剩余时间，如“还剩2个工作日”“已超期”"))
    overdue: bool


class SettlementOut(Schema):
    answer: str
    answer_display: str
    text: str
    answered_at: str | None
    answered_display: str


class TrackingOut(Schema):
    tracking_number: str
    kind: str
    state: str
    state_display: str = Field(description=gettext_lazy("当前状态"))
    submitted_at: str
    submitted_display: str
    merchant_name: str
    unit: str = Field(description=gettext_lazy("当前承办单位"))
    stages: list[Stage]
    deadlines: list[DeadlineOut] = Field(description=gettext_lazy("尚未完成的办理时限"))
    reason: str = Field(description=gettext_lazy("不予受理或退回的理由"))
    merged_into: str = Field(description=gettext_lazy("合并到的投诉编号"))
    settlement: SettlementOut | None
    result: str
    amount_recovered: str | None
    closed_at: str | None
    closed_display: str
    satisfaction: str


class TrackingQuery(Schema):
    phone_last4: str = Field("", max_length=8, description=gettext_lazy("投诉时所留手机号的后四位"))


class Error(Schema):
    error: str = Field(description=gettext_lazy("中文说明"))


@router.api_operation(
    READ,
    "/{tracking_number}",
    response={200: TrackingOut, 404: Error, 429: Error},
    summary=gettext_lazy("查询投诉进度"),
    description=gettext_lazy(
        "凭投诉编号和手机号后四位查询办理进度：各环节及时间、承办单位、各项时限的剩余时间、"
        "不予受理或退回的理由。不含投诉人的任何个人信息。"
    ),
)
def track(request, tracking_number: str, query: Query[TrackingQuery]):
    if retry := too_many_lookups(request):
        minutes = max(1, (retry + 59) // 60)
        return Status(
            429, {"error": _("查询过于频繁，请%(minutes)d分钟后再试。") % {"minutes": minutes}}
        )
    complaint = find(tracking_number, query.phone_last4)
    if complaint is None:
        return Status(404, {"error": _("未查到投诉，请核对投诉编号和手机号后四位。")})
    return public_view(complaint)
