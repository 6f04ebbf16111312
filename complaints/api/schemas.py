"""The shapes of the complaint intake's JSON, as the OpenAPI document shows them.

The intake reads its body itself (``intake.read_body``) so that every problem, a missing field
or a wrong type or unreadable JSON, is told per field in Chinese; these schemas describe what it
reads and answers, with Chinese descriptions for the documentation page.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema


class ComplaintIn(Schema):
    merchant_code: str | None = Field(
        None, description=_("商家二维码上的一企一码公示码（扫码投诉时填写，与商家名称二选一）")
    )
    merchant_name: str | None = Field(
        None, max_length=200, description=_("商家名称或店名（没有公示码时填写）")
    )
    region_code: str | None = Field(
        None,
        pattern=r"^[0-9]{6}$",
        description=_("商家所在区县的6位行政区划代码，如430104（填写商家名称时必填）"),
    )
    occurred_on: datetime.date = Field(description=_("消费日期，YYYY-MM-DD，不晚于今天"))
    content: str = Field(max_length=2000, description=_("投诉内容：发生了什么"))
    demand: str = Field(max_length=500, description=_("诉求：希望商家怎样解决"))
    amount: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description=_("涉及金额（元），可不填")
    )
    name: str = Field(max_length=50, description=_("投诉人真实姓名（实名办理，不公开）"))
    phone: str = Field(description=_("投诉人11位手机号码（不公开）"))
    consent_contact: bool = Field(False, description=_("是否同意商家联系本人先行和解"))
    consent_publish: bool = Field(False, description=_("是否同意去除个人信息后公示处理结果"))
    sms_code: str | None = Field(
        None, description=_("短信验证码（开启手机验证时必填，先调用 /complaints/sms-code 获取）")
    )


class ComplaintCreated(Schema):
    tracking_number: str = Field(description=_("投诉编号，凭它和手机号后四位查询办理进度"))
    state: str = Field(description=_("办理状态代码，如 received（待受理）"))
    state_label: str = Field(description=_("办理状态，如 待受理"))
    unit: str = Field(description=_("承办单位"))
    repeated_tracking_number: str | None = Field(
        description=_("同一手机号对同一商家尚未办结的投诉编号：本次投诉已并入它一并办理")
    )


class SmsCodeIn(Schema):
    phone: str = Field(description=_("接收验证码的11位手机号码"))


class SmsCodeSent(Schema):
    resend_after: int = Field(description=_("多少秒后可以重新获取"))
    expires_in: int = Field(description=_("验证码多少秒内有效"))


class FieldErrors(Schema):
    error: str = Field(description=_("错误说明"))
    fields: dict[str, str] = Field(description=_("每个有误字段的中文说明，键为字段名"))
