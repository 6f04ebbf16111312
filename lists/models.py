"""The rules of the complaint red/black list (红黑榜), as data the bureau edits in the admin.

A rule is versioned: once a list has used a version (``mark_used``), saving an edit writes a
new row that ``supersedes`` it and becomes the current one, so a published list keeps pointing
at the exact version it was computed with. Unused versions are edited in place (a draft rule
being tuned does not pile up versions).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from common import regions
from objections.models import EvidenceBase, ObjectionBase

from .rule_text import rule_in_words


def growth_percent(complaints, previous):
    """The change on the previous window in per cent, to one decimal; None without a previous
    complaint (the computed entry and the drafted one both read it)."""
    if not previous:
        return None
    change = (complaints - previous) / previous
    return round(100 * change, 1)


# Working days a told merchant has to object (lists.notices), unless the rule says otherwise.
OBJECTION_WORKDAYS = 5


class ListRuleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def active(self):
        """The rules a drafting run computes: the current version of each active rule."""
        return self.current().filter(active=True)


class ListRule(models.Model):
    class Kind(models.TextChoices):
        RED = "red", _("红榜")
        BLACK = "black", _("黑榜")

    class Period(models.TextChoices):
        QUARTER = "quarter", _("每季度")

    class Order(models.TextChoices):
        COMPLAINTS = "complaints", _("按投诉量从多到少")
        SCHEME_TIME = "scheme_time", _("按参加放心消费承诺的时间从早到晚")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("榜单类型"), max_length=10, choices=Kind.choices)
    period = models.CharField(
        _("发布周期"), max_length=10, choices=Period.choices, default=Period.QUARTER
    )
    window_months = models.PositiveSmallIntegerField(
        _("统计窗口（月）"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("截至本期最后一天的月数，按投诉日期统计"),
    )
    scope_level = models.PositiveSmallIntegerField(
        _("排名范围"), choices=regions.RegionLevel.choices, default=regions.CITY
    )
    category = models.ForeignKey(
        "disclosures.ComplaintCategory",
        verbose_name=_("限定商品或服务类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空为全部类别"),
    )
    min_complaints = models.PositiveIntegerField(
        _("最少公示投诉数"), default=0, help_text=_("窗口内公示投诉少于此数的经营者不上榜")
    )
    max_complaints = models.PositiveIntegerField(
        _("最多公示投诉数"),
        null=True,
        blank=True,
        help_text=_("红榜：窗口内公示投诉多于此数的不上榜；留空为不限"),
    )
    success_rate_below = models.DecimalField(
        _("调解成功率低于（%）"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("黑榜：调解成功率低于此值才上榜；留空为不限"),
    )
    all_mediated_successfully = models.BooleanField(
        _("要求全部调解成功"), default=False, help_text=_("红榜：窗口内每件公示投诉都调解成功")
    )
    growth_above = models.DecimalField(
        _("投诉增长率高于（%）"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("较上一窗口的增长；留空为不限"),
    )
    settlement_failure_rate_above = models.DecimalField(
        _("先行和解拒绝或未答复率高于（%）"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("扫码投诉转先行和解后，经营者拒绝或逾期未答复的比例；留空为不限"),
    )
    overdue_rate_above = models.DecimalField(
        _("超期办理率高于（%）"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("窗口内办结的扫码投诉中，有时限超期的比例；留空为不限"),
    )
    pledge_whole_period = models.BooleanField(
        _("要求承诺整期有效"), default=False, help_text=_("红榜：本期每一天都有有效的承诺")
    )
    no_suspension = models.BooleanField(
        _("要求未被暂停或摘牌"), default=False, help_text=_("红榜：本期内及之后没有暂停或摘牌")
    )
    order = models.CharField(_("排序"), max_length=20, choices=Order.choices)
    max_entries = models.PositiveSmallIntegerField(
        _("每榜最多条数"), default=10, validators=[MinValueValidator(1)]
    )
    display_months = models.PositiveSmallIntegerField(
        _("上榜展示期（月）"), default=3, validators=[MinValueValidator(1)]
    )
    objection_workdays = models.PositiveSmallIntegerField(
        _("异议期（工作日）"),
        default=OBJECTION_WORKDAYS,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("黑榜：告知发出后经营者可提出异议的工作日数；留空为5个工作日"),
    )
    active = models.BooleanField(_("启用"), default=True)

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("取代的版本"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    is_current = models.BooleanField(_("当前版本"), default=True, editable=False)
    # Set once a list is computed with this version for publication: from then on it is frozen.
    used = models.BooleanField(_("已被榜单使用"), default=False, editable=False)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ListRuleQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldRowPanel(
            [FieldPanel("period"), FieldPanel("window_months"), FieldPanel("display_months")]
        ),
        FieldPanel("objection_workdays"),
        FieldRowPanel([FieldPanel("scope_level"), FieldPanel("category")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_complaints"), FieldPanel("max_complaints")]),
                FieldPanel("success_rate_below"),
                FieldPanel("growth_above"),
                FieldRowPanel(
                    [FieldPanel("settlement_failure_rate_above"), FieldPanel("overdue_rate_above")]
                ),
                FieldPanel("all_mediated_successfully"),
                FieldPanel("pledge_whole_period"),
                FieldPanel("no_suspension"),
            ],
            heading=_("上榜条件"),
        ),
        FieldRowPanel([FieldPanel("order"), FieldPanel("max_entries")]),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["kind", "name", "-version"]
        verbose_name = _("红黑榜规则")
        verbose_name_plural = _("红黑榜规则")

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}，第{self.version}版）"

    def save(self, *args, **kwargs):
        """An edit of a used version becomes the next version; the used one stays as it was."""
        if self.pk and not self._state.adding and self._is_used_in_database():
            with transaction.atomic():
                previous_pk = self.pk
                ListRule.objects.filter(pk=previous_pk).update(is_current=False)
                self.pk = None
                self._state.adding = True
                self.supersedes_id = previous_pk
                self.version = (
                    ListRule.objects.filter(pk=previous_pk).values_list("version", flat=True)[0] + 1
                )
                self.is_current = True
                self.used = False
                kwargs.pop("update_fields", None)
                kwargs["force_insert"] = True
                super().save(*args, **kwargs)
            return
        super().save(*args, **kwargs)

    def clean(self):
        if self.objection_workdays is None:
            self.objection_workdays = OBJECTION_WORKDAYS
        errors = {}
        if self.kind == self.Kind.BLACK and (self.pledge_whole_period or self.no_suspension):
            errors["pledge_whole_period"] = _("承诺和暂停条件只用于红榜")
        if self.order == self.Order.SCHEME_TIME and not self.pledge_whole_period:
            errors["order"] = _("按承诺时间排序只适用于要求承诺有效的红榜")
        if (
            self.max_complaints is not None
            and self.min_complaints
            and self.max_complaints < self.min_complaints
        ):
            errors["max_complaints"] = _("最多公示投诉数不能少于最少公示投诉数")
        if errors:
            raise ValidationError(errors)

    def _is_used_in_database(self):
        return ListRule.objects.filter(pk=self.pk, used=True).exists()

    def mark_used(self):
        """Freeze this version: a list computed with it is about to keep a reference to it."""
        if not self.used:
            ListRule.objects.filter(pk=self.pk).update(used=True)
            self.used = True


class ListIndexPage(Page):
    """/lists/: the published lists, newest period first (``draft_lists`` creates it)."""

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["lists.ListPage"]

    class Meta:
        verbose_name = _("红黑榜栏目")

    def get_context(self, request, *args, **kwargs):
        from . import public

        context = super().get_context(request, *args, **kwargs)
        context["cities"], context["periods"] = public.index_lists(self)
        return context


class ListPage(Page):
    """One list of one period and one city, computed by a rule version (``lists.drafting``)."""

    rule = models.ForeignKey(
        ListRule,
        verbose_name=_("所用规则版本"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    period = models.CharField(_("期间"), max_length=7, help_text=_("如“2026-Q3”"))
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    region_name = models.CharField(_("地区"), max_length=50)
    kind = models.CharField(_("榜单类型"), max_length=10, choices=ListRule.Kind.choices)
    computed_at = models.DateTimeField(_("计算时间"))
    listed_until = models.DateField(_("上榜展示至"))

    content_panels = Page.content_panels + [
        FieldRowPanel(
            [
                FieldPanel("rule", read_only=True),
                FieldPanel("period", read_only=True),
                FieldPanel("kind", read_only=True),
            ]
        ),
        FieldRowPanel(
            [
                FieldPanel("region_name", read_only=True),
                FieldPanel("computed_at", read_only=True),
                FieldPanel("listed_until"),
            ]
        ),
        InlinePanel("entries", heading=_("上榜经营者"), label=_("上榜经营者")),
    ]

    # Lists come from a rule's computation (``draft_lists``), never from an empty form.
    is_creatable = False
    parent_page_types = ["lists.ListIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("红黑榜")
        verbose_name_plural = _("红黑榜")
        indexes = [models.Index(fields=["rule", "period", "region_code"])]

    def rule_in_words(self):
        """The rule version's conditions as sentences a reader understands."""
        return rule_in_words(self.rule)

    def get_context(self, request, *args, **kwargs):
        from . import public

        context = super().get_context(request, *args, **kwargs)
        context["entries"] = public.entries_with_records(self)
        context["changes"] = public.changes(self)
        context["is_current"] = public.is_current(self)
        context["period_label"] = public.period_label(self.period)
        return context


class EntryObjectionState(models.TextChoices):
    """Where a listed merchant's right to object stands, shown beside its entry."""

    NONE = "none", _("无异议")
    NOTIFIED = "notified", _("已告知，异议期内")
    OBJECTED = "objected", _("异议处理中")
    UPHELD = "upheld", _("异议成立，已更正")
    REJECTED = "rejected", _("异议不成立")


class ListEntry(Orderable):
    """One listed merchant with every figure and its denominator, as computed."""

    page = ParentalKey(ListPage, on_delete=models.CASCADE, related_name="entries")
    rank = models.PositiveSmallIntegerField(_("名次"))
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    name = models.CharField(_("经营者名称"), max_length=200)
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    complaints = models.PositiveIntegerField(_("窗口内公示投诉"))
    previous_complaints = models.PositiveIntegerField(_("上一窗口公示投诉"))
    mediation_successes = models.PositiveIntegerField(_("调解成功件数"))
    mediation_total = models.PositiveIntegerField(_("进入调解件数"))
    # From the complaint desk (扫码投诉), None where the merchant had no such complaint.
    settlement_failures = models.PositiveIntegerField(
        _("先行和解拒绝或未答复件数"), null=True, blank=True
    )
    settlement_total = models.PositiveIntegerField(_("转先行和解件数"), null=True, blank=True)
    overdue_handlings = models.PositiveIntegerField(_("超期办理件数"), null=True, blank=True)
    handled_total = models.PositiveIntegerField(_("办结扫码投诉件数"), null=True, blank=True)
    pledge_days = models.PositiveSmallIntegerField(_("承诺有效天数"), null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(_("本期天数"), null=True, blank=True)
    record_ids = models.JSONField(_("所依据的投诉记录"), default=list, blank=True)
    objection_state = models.CharField(
        _("异议状态"),
        max_length=10,
        choices=EntryObjectionState.choices,
        default=EntryObjectionState.NONE,
    )

    panels = [
        FieldRowPanel([FieldPanel("rank"), FieldPanel("name"), FieldPanel("credit_code")]),
        FieldRowPanel(
            [
                FieldPanel("complaints", read_only=True),
                FieldPanel("mediation_successes", read_only=True),
                FieldPanel("mediation_total", read_only=True),
            ]
        ),
        # Written only by lists.objections (notices and decisions), never by hand.
        FieldPanel("objection_state", read_only=True),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("上榜经营者")
        verbose_name_plural = _("上榜经营者")

    @property
    def mediation_percent(self):
        if not self.mediation_total:
            return None
        return round(100 * self.mediation_successes / self.mediation_total, 1)

    @property
    def growth_percent(self):
        return growth_percent(self.complaints, self.previous_complaints)


class ListNotice(models.Model):
    """The notice of a black-list entry sent before publication to the merchant's registered
    private contact: a signed link (``common.signed_links``) to its figures and records, and
    the end of its objection window. The phone it went to is never stored here."""

    entry = models.OneToOneField(
        ListEntry, verbose_name=_("上榜经营者"), on_delete=models.CASCADE, related_name="notice"
    )
    # None: no registered merchant has the entry's credit code (no notice possible).
    merchant = models.ForeignKey(
        "merchants.Merchant",
        verbose_name=_("承诺商家"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # None: no registered private contact, so no notice went out; staff see it on the list.
    sent_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    objection_until = models.DateTimeField(_("异议期截止"), null=True, blank=True)
    opened_at = models.DateTimeField(_("首次查看时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("上榜告知")
        verbose_name_plural = _("上榜告知")

    def __str__(self):
        return str(self.entry.name)


class EntryObjection(ObjectionBase):
    """A listed merchant's objection to its entry, or to one record behind it."""

    # The list it was filed on; the entry is kept while listed (None once dropped on upholding).
    page = models.ForeignKey(
        ListPage,
        verbose_name=_("榜单"),
        null=True,
        on_delete=models.CASCADE,
        related_name="objections",
    )
    entry = models.ForeignKey(
        ListEntry,
        verbose_name=_("上榜经营者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objections",
    )
    name = models.CharField(_("经营者名称"), max_length=200, blank=True)
    # The record objected to, when the objection names one; else the entry as a whole.
    disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        verbose_name=_("所指投诉记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("红黑榜异议")
        verbose_name_plural = _("红黑榜异议")

    def __str__(self):
        return f"{self.name} {self.get_state_display()}"


class EntryObjectionEvidence(EvidenceBase):
    objection = models.ForeignKey(EntryObjection, on_delete=models.CASCADE, related_name="evidence")

    class Meta(EvidenceBase.Meta):
        verbose_name = _("异议证据")
        verbose_name_plural = _("异议证据")


class EntryChange(models.Model):
    """One line of a list's log: an entry or a record behind it corrected or dropped after an
    objection, or an objection rejected with its reason."""

    page = models.ForeignKey(
        ListPage, verbose_name=_("榜单"), on_delete=models.CASCADE, related_name="changes"
    )
    # Kept when the entry is dropped: the log then names the merchant in ``description``.
    entry = models.ForeignKey(
        ListEntry,
        verbose_name=_("上榜经营者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    objection = models.ForeignKey(
        EntryObjection,
        verbose_name=_("依据的异议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    description = models.TextField(_("内容"))
    made_at = models.DateTimeField(_("时间"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("榜单更正记录")
        verbose_name_plural = _("榜单更正记录")

    def __str__(self):
        return self.description[:40]


class EntryRemoval(models.Model):
    """What an upheld objection took off a list: the whole entry (``disclosure`` None) or one
    record behind it. Drafting the period again reads these, so a redraft never brings back
    what a decision removed."""

    page = models.ForeignKey(
        ListPage, verbose_name=_("榜单"), on_delete=models.CASCADE, related_name="removals"
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        verbose_name=_("移除的投诉记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    objection = models.ForeignKey(
        EntryObjection,
        verbose_name=_("依据的异议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="removals",
    )
    made_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("异议移除记录")
        verbose_name_plural = _("异议移除记录")

    def __str__(self):
        return f"{self.credit_code} {self.disclosure_id or ''}".strip()
