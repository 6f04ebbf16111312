"""Complaints made through the portal and their handling: units, the handling policy, the
complaint with its photos, its audit log, its deadlines and the cards those deadlines send.

Personal data (the complainant's name, phone and photos) lives on ``Complaint`` and
``ComplaintPhoto`` only; it is shown to the handling unit and the units above it, each view is
logged (``PersonalDataView``), and it is removed a set time after closing
(``manage.py remove_complaint_personal_data``), keeping the anonymous record and its figures.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .states import Action, FastResponseReason, Kind, Result, Satisfaction, State


class Unit(models.Model):
    """承办单位: a city or county bureau, or a market-regulation station (市场监管所 / 维权站)."""

    class Level(models.TextChoices):
        CITY = "city", _("市级市场监管局")
        COUNTY = "county", _("县（区）市场监管局")
        STATION = "station", _("市场监管所/消费维权站")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        "merchants.Region",
        verbose_name=_("管辖区划"),
        on_delete=models.PROTECT,
        related_name="complaint_units",
    )
    # A station serves one business district (商圈/街区/市场) of its county.
    district = models.ForeignKey(
        "merchants.BusinessDistrict",
        verbose_name=_("服务的商圈/街区/市场"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaint_units",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("逾期事项升级到上级单位；退回的事项由上级单位转办"),
    )
    email = models.EmailField(_("提醒邮箱"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), blank=True, related_name="units"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("region")]),
        FieldPanel("district"),
        FieldPanel("parent"),
        FieldPanel("email"),
        FieldPanel("members"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["region_id", "level", "name"]
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")

    def __str__(self):
        return self.name

    def with_descendants(self):
        """This unit and every unit under it (a few levels, a few dozen units)."""
        found, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Unit.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            found += frontier
        return found


@register_setting(icon="time")
class HandlingPolicy(BaseGenericSetting):
    """时限与规则: the limits every deadline is computed from, editable without a release.

    Defaults: 《市场监督管理投诉举报处理办法》 (acceptance within 7 working days; mediation 45
    working days under the 2019 measures, 60 days under order 121, unconfirmed) and the
    Changzhi fast-response practice (45 minutes to answer, 90 to be on site, report back within
    24 hours of closing).
    """

    acceptance_workdays = models.PositiveSmallIntegerField(_("受理决定时限（工作日）"), default=7)
    notify_hours = models.PositiveSmallIntegerField(
        _("告知承办单位时限（小时）"), default=24, help_text=_("自收到投诉起，告知投诉人由谁办理")
    )
    fast_response_minutes = models.PositiveSmallIntegerField(_("快速响应时限（分钟）"), default=45)
    on_site_minutes = models.PositiveSmallIntegerField(_("到达现场时限（分钟）"), default=90)
    settlement_workdays = models.PositiveSmallIntegerField(
        _("商家先行和解时限（工作日）"), default=5
    )
    mediation_workdays = models.PositiveSmallIntegerField(_("调解时限（工作日）"), default=45)
    report_back_hours = models.PositiveSmallIntegerField(_("办结后反馈时限（小时）"), default=24)
    duplicate_window_days = models.PositiveSmallIntegerField(
        _("重复投诉合并期（天）"),
        default=30,
        help_text=_("同一手机号对同一商家在此期间内的投诉，关联到尚未办结的投诉"),
    )
    disclosure_display_days = models.PositiveSmallIntegerField(_("公示期限（天）"), default=365)
    personal_data_retention_days = models.PositiveIntegerField(
        _("个人信息保存期限（办结后天数）"), default=1095
    )
    submissions_per_phone_per_day = models.PositiveSmallIntegerField(
        _("每个手机号每天投诉上限"), default=5
    )
    submissions_per_address_per_hour = models.PositiveSmallIntegerField(
        _("每个网络地址每小时投诉上限"), default=20
    )
    fast_response_pledge_types = models.ManyToManyField(
        "merchants.PledgeType",
        verbose_name=_("快速响应承诺类型"),
        blank=True,
        related_name="+",
        help_text=_("商家持有其中任一有效承诺时，投诉按快速响应时限办理"),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("acceptance_workdays"),
                FieldPanel("notify_hours"),
                FieldPanel("settlement_workdays"),
                FieldPanel("mediation_workdays"),
                FieldPanel("report_back_hours"),
            ],
            heading=_("办理时限"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("fast_response_minutes"),
                FieldPanel("on_site_minutes"),
                FieldPanel("fast_response_pledge_types"),
            ],
            heading=_("快速响应"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("duplicate_window_days"),
                FieldPanel("submissions_per_phone_per_day"),
                FieldPanel("submissions_per_address_per_hour"),
            ],
            heading=_("重复与滥用"),
        ),
        MultiFieldPanel(
            [FieldPanel("disclosure_display_days"), FieldPanel("personal_data_retention_days")],
            heading=_("公示与个人信息"),
        ),
    ]

    class Meta:
        verbose_name = _("投诉办理时限")


class WorkdayOverride(models.Model):
    """A local change to the national holiday calendar: a day off or a working day."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    panels = [FieldPanel("date"), FieldPanel("is_workday"), FieldPanel("note")]

    class Meta:
        ordering = ["-date"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}"


class RefusalTemplate(models.Model):
    """A reason text staff pick when not accepting or returning a complaint."""

    class Use(models.TextChoices):
        REFUSE = "refuse", _("不予受理")
        RETURN = "return", _("退回")

    use = models.CharField(_("用于"), max_length=10, choices=Use.choices)
    title = models.CharField(_("简称"), max_length=50)
    text = models.TextField(_("理由（投诉人可见）"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    panels = [FieldPanel("use"), FieldPanel("title"), FieldPanel("text"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["use", "sort_order", "title"]
        verbose_name = _("理由模板")
        verbose_name_plural = _("理由模板")

    def __str__(self):
        return self.title


def new_tracking_number(now=None):
    """FX + date + eight random digits: typed on a phone keypad, not guessable from the last."""
    now = timezone.localtime(now)
    return f"FX{now:%Y%m%d}{secrets.randbelow(10**8):08d}"


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        from .states import OPEN_STATES

        return self.filter(state__in=OPEN_STATES)

    def visible_to(self, user):
        """The complaints of the user's units and the units under them (all, for a superuser)."""
        if user.is_superuser:
            return self
        units = set()
        for unit in user.units.all():
            units.update(unit.with_descendants())
        return self.filter(unit__in=units)


class Complaint(models.Model):
    """One complaint (or, after a split, one 举报 item) made by a consumer."""

    class Channel(models.TextChoices):
        WEB = "web", _("网页（扫码）")
        API = "api", _("小程序接口")
        DESK = "desk", _("窗口录入")

    tracking_number = models.CharField(_("投诉编号"), max_length=20, unique=True)
    # The form's one-time key (or the API's Idempotency-Key): a second press of 提交, or a
    # retry after a dropped connection, finds the complaint already made instead of a copy.
    submission_key = models.CharField(max_length=64, unique=True, null=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("拆分自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="split_items",
    )

    # The merchant: a registered one, or as the consumer named it.
    merchant = models.ForeignKey(
        "merchants.Merchant",
        verbose_name=_("被投诉商家"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    merchant_name = models.CharField(_("被投诉人名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    merchant_address = models.CharField(_("被投诉人地址"), max_length=300, blank=True)
    region = models.ForeignKey(
        "merchants.Region",
        verbose_name=_("被投诉人所在区划"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )

    occurred_on = models.DateField(_("消费日期"))
    content = models.TextField(_("投诉内容"))
    demand = models.TextField(_("诉求"))
    amount = models.DecimalField(
        _("涉及金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    # Personal data: the handling unit and above only, removed after the retention period.
    complainant_name = models.CharField(_("投诉人姓名"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("投诉人手机号"), max_length=20, blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)  # for tracking
    phone_verified = models.BooleanField(_("手机号已验证"), default=False)
    personal_data_removed_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)

    consent_contact = models.BooleanField(_("同意商家联系先行和解"), default=False)
    consent_publish = models.BooleanField(_("同意去除个人信息后公示处理结果"), default=False)

    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    fast_response = models.BooleanField(_("快速响应"), default=False)
    fast_response_reason = models.CharField(
        _("快速响应原因"), max_length=20, choices=FastResponseReason.choices, blank=True
    )
    # The reason the complainant sees for the last refusal or return.
    public_reason = models.TextField(_("不予受理或退回理由"), blank=True)
    result = models.CharField(_("办结结果"), max_length=30, choices=Result.choices, blank=True)
    amount_recovered = models.DecimalField(
        _("挽回经济损失（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("回访结果"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    reopened = models.BooleanField(_("已因不满意重新调解"), default=False)

    # The merchant's first settlement (先行和解), answered through its signed link.
    class SettlementAnswer(models.TextChoices):
        ACCEPT = "accept", _("同意消费者诉求")
        PROPOSE = "propose", _("提出和解方案")
        DECLINE = "decline", _("不同意和解")

    settlement_answer = models.CharField(
        _("商家答复"), max_length=10, choices=SettlementAnswer.choices, blank=True
    )
    settlement_text = models.TextField(_("商家答复内容"), blank=True)
    settlement_answered_at = models.DateTimeField(_("商家答复时间"), null=True, blank=True)

    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("关联的未办结投诉"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    # Abuse rules never drop a submission: they mark it for staff (``intake``).
    review_flags = models.JSONField(_("待人工核查"), default=list, blank=True)
    # Salted hash of the submitter's network address (``common.rate_limit.client_key``).
    client_key = models.CharField(max_length=24, blank=True, editable=False)

    disclosure = models.OneToOneField(
        "disclosures.Disclosure",
        verbose_name=_("公示记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaint",
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        permissions = [
            ("handle_complaint", _("办理投诉")),
            ("view_personal_data", _("查看投诉人个人信息")),
        ]
        indexes = [
            models.Index(fields=["complainant_phone", "merchant_name"]),
            models.Index(fields=["unit", "state"]),
        ]

    def __str__(self):
        return f"{self.tracking_number} {self.merchant_name}"

    def save(self, *args, **kwargs):
        # Kept after the phone is removed: four digits identify nobody, and with the tracking
        # number they let the complainant follow the complaint to its end.
        if self.complainant_phone:
            self.phone_last4 = self.complainant_phone[-4:]
        super().save(*args, **kwargs)


class ComplaintPhoto(models.Model):
    """A photo the consumer attached, re-encoded without its EXIF and GPS data (``photos``)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(_("文件"), max_length=200)  # relative to PRIVATE_MEDIA_ROOT
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("投诉照片")
        verbose_name_plural = _("投诉照片")

    def __str__(self):
        return f"{self.complaint.tracking_number} #{self.pk}"

    @property
    def path(self):
        """Where the file lies, under the private media folder."""
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.file


class ComplaintEvent(models.Model):
    """One entry of a complaint's audit log: what happened, by whom, when."""

    class Actor(models.TextChoices):
        STAFF = "staff", _("工作人员")
        COMPLAINANT = "complainant", _("投诉人")
        MERCHANT = "merchant", _("商家")
        SYSTEM = "system", _("系统")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.CharField(_("操作方"), max_length=15, choices=Actor.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Staff notes stay on the desk; a public note (a reason, a stage) is shown in tracking.
    note = models.TextField(_("说明"), blank=True)
    public_note = models.TextField(_("投诉人可见说明"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.complaint.tracking_number} {self.get_action_display()}"


class Deadline(models.Model):
    """One time limit of a complaint: when it started, when it is due, when it was met, and
    when its cards went out (each at most once: ``deadlines.issue_cards``)."""

    class Kind(models.TextChoices):
        NOTIFY = "notify", _("告知承办单位")
        ACCEPTANCE = "acceptance", _("受理决定")
        FAST_RESPONSE = "fast_response", _("快速响应")
        ON_SITE = "on_site", _("到达现场")
        SETTLEMENT = "settlement", _("商家先行和解")
        MEDIATION = "mediation", _("调解")
        REPORT_BACK = "report_back", _("办结反馈回访")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("时限"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("截止时间"))
    remind_at = models.DateTimeField(_("提醒卡时间"))
    urge_at = models.DateTimeField(_("催办卡时间"))
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled = models.BooleanField(_("已撤销"), default=False)
    reminded_at = models.DateTimeField(_("提醒卡发出"), null=True, blank=True)
    urged_at = models.DateTimeField(_("催办卡发出"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("逾期升级"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        indexes = [
            models.Index(fields=["met_at", "cancelled", "remind_at"]),
            models.Index(fields=["met_at", "cancelled", "urge_at"]),
            models.Index(fields=["met_at", "cancelled", "due_at"]),
        ]

    def __str__(self):
        return f"{self.complaint.tracking_number} {self.get_kind_display()}"

    @property
    def is_open(self):
        return self.met_at is None and not self.cancelled


class Card(models.Model):
    """提醒卡, 催办卡 or 逾期升级: sent once per deadline to a unit, by e-mail and on the desk."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("提醒卡")
        URGE = "urge", _("催办卡")
        ESCALATION = "escalation", _("逾期升级")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="cards")
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("发往单位"), on_delete=models.CASCADE)
    issued_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    emailed = models.BooleanField(_("已发邮件"), default=False)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("提醒催办卡")
        verbose_name_plural = _("提醒催办卡")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind"], name="one_card_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.deadline}"


class PersonalDataView(models.Model):
    """Who looked at a complaint's personal data, and when (Personal Information Protection
    Law: access to it must be traceable)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="personal_data_views"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=30)  # "contact", "photo:<id>", "export" ...

    class Meta:
        ordering = ["-at"]
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")

    def __str__(self):
        return f"{self.user} {self.complaint.tracking_number} {self.what}"
