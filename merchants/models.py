"""The pledge-merchant registry: merchants, their pledges, regions, districts and public codes.

Status has two layers. Editors set the registry status (待审核, 已公示, 暂停, 摘牌); whether a
published merchant's pledge is *in force* or *expired* follows from its pledge dates, so a poster
on the wall turns red on the day the pledge ends without anyone editing the record.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from common import credit_code, regions
from common.models import NamedReference
from search.fulltext import matching_expression
from search.text_analysis import index_text, query_terms
from search.token_index import column_index

from . import codes

MIN_RETURN_DAYS = 7
EXPIRING_SOON_DAYS = 30


def validate_credit_code(value):
    try:
        credit_code.validate(value)
    except credit_code.CreditCodeError as error:
        raise ValidationError(str(error)) from error


class Region(models.Model):
    """One 行政区划: province, city (地级市/州) or county (区/县/县级市)."""

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.PositiveSmallIntegerField(_("级别"), choices=regions.RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return self.full_name

    @cached_property
    def lineage(self):
        """Province, city, county, top down (one query per level, cached on the object)."""
        chain, region = [], self
        while region is not None:
            chain.append(region)
            region = region.parent
        return list(reversed(chain))

    @property
    def full_name(self):
        names = [region.name for region in self.lineage]
        # 市辖区-style placeholders add nothing a reader needs.
        return "".join(name for name in names if name not in {"市辖区", "县"})

    @property
    def province(self):
        return self.lineage[0]

    @property
    def city(self):
        return next((r for r in self.lineage if r.level == regions.CITY), None)

    @property
    def county(self):
        return self.lineage[-1] if self.level == regions.COUNTY else None

    @property
    def prefix(self):
        return regions.code_prefix(self.code)


class BusinessCategory(NamedReference):
    """行业类别: 商超、餐饮、服装鞋帽 ..."""

    class Meta(NamedReference.Meta):
        verbose_name = _("行业类别")
        verbose_name_plural = _("行业类别")


class PledgeType(NamedReference):
    """承诺类型: 放心消费承诺, 线下无理由退货承诺, 快速响应双承诺, and any an editor adds."""

    description = models.TextField(
        _("通俗说明"), blank=True, help_text=_("在扫码页和海报上向消费者解释这项承诺")
    )
    is_return_pledge = models.BooleanField(
        _("退货类承诺"),
        default=False,
        help_text=_("勾选后须填写退货期限（不少于7天）、退货范围和退货条件"),
    )

    panels = NamedReference.panels + [FieldPanel("description"), FieldPanel("is_return_pledge")]

    class Meta(NamedReference.Meta):
        verbose_name = _("承诺类型")
        verbose_name_plural = _("承诺类型")


class BusinessDistrict(models.Model):
    """商圈、街区、集贸市场: a place merchants belong to, and a 放心消费 unit in its own right."""

    KIND_CHOICES = [
        ("district", _("商圈")),
        ("street", _("街区")),
        ("market", _("集贸市场")),
        ("mall", _("商场")),
    ]

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=KIND_CHOICES, default="district")
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="districts"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_pledge_unit = models.BooleanField(_("放心消费示范单位"), default=False)
    has_service_station = models.BooleanField(_("设有消费维权服务站"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("region"),
        FieldPanel("address"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("is_pledge_unit"), FieldPanel("has_service_station")]),
    ]

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("商圈/街区/市场")
        verbose_name_plural = _("商圈/街区/市场")

    def __str__(self):
        return self.name


class PublicStatus(models.TextChoices):
    """What the public sees: the registry status combined with the pledge dates."""

    PENDING = "pending", _("待审核")
    IN_FORCE = "in_force", _("承诺有效")
    EXPIRED = "expired", _("承诺已过期")
    SUSPENDED = "suspended", _("已暂停")
    REMOVED = "removed", _("已摘牌")


# What a reader types to find a merchant is cut to this length (directory and API).
MAX_QUERY_LENGTH = 60
# Six or more letters and digits: part of a credit code, matched as its prefix too.
CREDIT_CODE_QUERY = re.compile(r"^[0-9A-Za-z]{6,18}$")


class MerchantQuerySet(models.QuerySet):
    def _pledges_in_force(self, on):
        return Pledge.objects.filter(merchant=OuterRef("pk")).in_force(on)

    def _pledges_upcoming(self, on):
        return Pledge.objects.filter(merchant=OuterRef("pk"), starts_on__gt=on)

    def with_status(self, status, on=None):
        """Merchants whose public status on ``on`` (default today) is ``status``."""
        on = on or timezone.localdate()
        listed = Q(registry_status=Merchant.RegistryStatus.LISTED)
        if status == PublicStatus.IN_FORCE:
            return self.filter(listed & Exists(self._pledges_in_force(on)))
        if status == PublicStatus.EXPIRED:
            return self.filter(
                listed & ~Exists(self._pledges_in_force(on)) & ~Exists(self._pledges_upcoming(on))
            )
        if status == PublicStatus.PENDING:
            not_yet = (
                listed & ~Exists(self._pledges_in_force(on)) & Exists(self._pledges_upcoming(on))
            )
            return self.filter(Q(registry_status=Merchant.RegistryStatus.PENDING) | not_yet)
        if status in (PublicStatus.SUSPENDED, PublicStatus.REMOVED):
            return self.filter(registry_status=status)
        return self.none()

    def with_pledge_type(self, pledge_type):
        return self.filter(
            Exists(Pledge.objects.filter(merchant=OuterRef("pk"), pledge_type=pledge_type))
        )

    def expiring_within(self, days=EXPIRING_SOON_DAYS, on=None):
        """Published merchants with a pledge in force that ends within ``days``."""
        on = on or timezone.localdate()
        ending = Pledge.objects.filter(
            merchant=OuterRef("pk"), ends_on__gte=on, ends_on__lte=on + datetime.timedelta(days)
        ).in_force(on)
        return self.filter(registry_status=Merchant.RegistryStatus.LISTED).filter(Exists(ending))

    def in_region(self, code):
        """Merchants in a province, city or county, given any of their codes."""
        return self.filter(region__code__startswith=regions.code_prefix(code))

    def publicly_listed(self):
        """Merchants past review (not pending); ``public`` also leaves out those whose pledge
        has yet to start."""
        return self.exclude(registry_status=Merchant.RegistryStatus.PENDING)

    def public(self):
        """Merchants a citizen may see listed: not pending review, and not waiting for a pledge
        to start (the directory and the open-data API)."""
        not_yet = Merchant.objects.with_status(PublicStatus.PENDING).values("pk")
        return self.publicly_listed().exclude(pk__in=not_yet)

    def matching(self, text):
        """Merchants whose name, shop name or credit code match what a reader typed."""
        terms = query_terms(text)
        condition = Q()
        if terms:
            index = column_index("merchants_merchant", "search_tokens")
            condition = Q(pk__in=matching_expression(index, terms))
        compact = text.strip()
        if CREDIT_CODE_QUERY.match(compact):
            condition |= Q(credit_code__startswith=compact.upper())
        return self.filter(condition) if condition else self.none()


class Merchant(ClusterableModel):
    """One registered business (by credit code) with one or more pledges."""

    class RegistryStatus(models.TextChoices):
        PENDING = "pending", _("待审核")
        LISTED = "listed", _("已公示")
        SUSPENDED = "suspended", _("已暂停")
        REMOVED = "removed", _("已摘牌")

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    registered_name = models.CharField(_("经营者名称"), max_length=200)
    shop_name = models.CharField(_("门店名称"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="merchants",
        limit_choices_to={"level": regions.COUNTY},
    )
    address = models.CharField(_("经营地址"), max_length=300)
    category = models.ForeignKey(
        BusinessCategory,
        verbose_name=_("行业类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merchants",
    )
    district = models.ForeignKey(
        BusinessDistrict,
        verbose_name=_("所属商圈/街区/市场"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merchants",
    )
    online_shop = models.CharField(_("网店名称"), max_length=200, blank=True)
    online_platform = models.CharField(_("网店所在平台"), max_length=100, blank=True)
    is_odr = models.BooleanField(_("ODR企业（在线纠纷解决）"), default=False)
    has_service_station = models.BooleanField(_("设有消费维权服务站"), default=False)
    # Never shown in public: the bureau's own channel to the merchant.
    contact_person = models.CharField(_("联系人（不公开）"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话（不公开）"), max_length=30, blank=True)

    registry_status = models.CharField(
        _("登记状态"),
        max_length=20,
        choices=RegistryStatus.choices,
        default=RegistryStatus.PENDING,
        db_index=True,
    )
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_reason = models.CharField(
        _("暂停或摘牌原因"),
        max_length=300,
        blank=True,
        help_text=_("暂停或摘牌时必填，会在扫码页向消费者显示"),
    )

    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Bigrams of the names, shop and credit code for the directory's full-text index.
    search_tokens = models.TextField(editable=False, blank=True)

    objects = MerchantQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("credit_code"),
                FieldPanel("registered_name"),
                FieldPanel("shop_name"),
                FieldPanel("category"),
            ],
            heading=_("经营者"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("address"),
                FieldPanel("district"),
                FieldRowPanel([FieldPanel("online_shop"), FieldPanel("online_platform")]),
                FieldRowPanel([FieldPanel("is_odr"), FieldPanel("has_service_station")]),
            ],
            heading=_("经营场所"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("contact_person"), FieldPanel("contact_phone")])],
            heading=_("联系方式（仅监管部门可见）"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registry_status"),
                FieldPanel("status_changed_on"),
                FieldPanel("status_reason"),
            ],
            heading=_("登记状态"),
        ),
        InlinePanel("pledges", heading=_("承诺"), label=_("承诺"), min_num=1),
    ]

    class Meta:
        ordering = ["region_id", "registered_name"]
        verbose_name = _("承诺商家")
        verbose_name_plural = _("承诺商家")
        indexes = [models.Index(fields=["region", "registry_status"])]
        # 审核's part of the registry (merchants/roles.py): 已暂停, 已摘牌 and back.
        permissions = [("suspend_merchant", "暂停、摘牌或恢复承诺商家")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.shop_name and self.shop_name != self.registered_name:
            return f"{self.registered_name}（{self.shop_name}）"
        return self.registered_name

    def clean(self):
        super().clean()
        self.credit_code = credit_code.normalize(self.credit_code)
        needs_reason = self.registry_status in (
            self.RegistryStatus.SUSPENDED,
            self.RegistryStatus.REMOVED,
        )
        if needs_reason and not self.status_reason.strip():
            raise ValidationError(
                {"status_reason": _("暂停或摘牌时须写明原因，扫码页会显示给消费者")}
            )

    def build_search_tokens(self):
        return index_text(
            " ".join([self.registered_name, self.shop_name, self.online_shop, self.credit_code])
        )

    def save(self, *args, **kwargs):
        self.credit_code = credit_code.normalize(self.credit_code)
        if self.registry_status in (self.RegistryStatus.SUSPENDED, self.RegistryStatus.REMOVED):
            self.status_changed_on = self.status_changed_on or timezone.localdate()
        self.search_tokens = self.build_search_tokens()
        super().save(*args, **kwargs)
        if not self.codes.exists():
            MerchantCode.issue(self)

    # --- status -------------------------------------------------------------------------

    def public_status(self, on=None):
        """The status a consumer sees on ``on`` (default today)."""
        on = on or timezone.localdate()
        if self.registry_status == self.RegistryStatus.PENDING:
            return PublicStatus.PENDING
        if self.registry_status == self.RegistryStatus.SUSPENDED:
            return PublicStatus.SUSPENDED
        if self.registry_status == self.RegistryStatus.REMOVED:
            return PublicStatus.REMOVED
        pledges = list(self.pledges.all())
        if any(pledge.is_in_force(on) for pledge in pledges):
            return PublicStatus.IN_FORCE
        if any(pledge.starts_on > on for pledge in pledges):
            return PublicStatus.PENDING
        return PublicStatus.EXPIRED

    def valid_until(self, on=None):
        """The last day of the longest pledge in force (None: open-ended or none in force)."""
        on = on or timezone.localdate()
        in_force = [pledge for pledge in self.pledges.all() if pledge.is_in_force(on)]
        if not in_force or any(pledge.ends_on is None for pledge in in_force):
            return None
        return max(pledge.ends_on for pledge in in_force)

    def expired_on(self, on=None):
        """The day the last pledge ended, for an expired merchant."""
        on = on or timezone.localdate()
        ended = [p.ends_on for p in self.pledges.all() if p.ends_on and p.ends_on < on]
        return max(ended) if ended else None

    # --- codes --------------------------------------------------------------------------

    @property
    def current_code(self):
        """The code printed on the merchant's poster today (None only before the first save)."""
        return next((c for c in self.codes.all() if c.retired_at is None), None)


class PledgeQuerySet(models.QuerySet):
    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Pledge(models.Model):
    """One promise a merchant made, for a period."""

    merchant = ParentalKey(Merchant, on_delete=models.CASCADE, related_name="pledges")
    pledge_type = models.ForeignKey(
        PledgeType, verbose_name=_("承诺类型"), on_delete=models.PROTECT, related_name="pledges"
    )
    content = models.TextField(_("承诺内容"), blank=True)
    return_days = models.PositiveSmallIntegerField(
        _("退货期限（天）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_RETURN_DAYS)],
        help_text=_("线下无理由退货不少于7天"),
    )
    return_scope = models.TextField(_("退货范围"), blank=True)
    return_conditions = models.TextField(_("退货条件"), blank=True)
    starts_on = models.DateField(_("承诺开始日期"))
    ends_on = models.DateField(_("承诺结束日期"), null=True, blank=True, help_text=_("留空为长期"))

    objects = PledgeQuerySet.as_manager()

    panels = [
        FieldPanel("pledge_type"),
        FieldPanel("content"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("return_days"),
        FieldPanel("return_scope"),
        FieldPanel("return_conditions"),
    ]

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="pledge_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(return_days__isnull=True) | Q(return_days__gte=MIN_RETURN_DAYS),
                name="pledge_return_period_at_least_seven_days",
            ),
        ]

    def __str__(self):
        return str(self.pledge_type)

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("承诺结束日期不能早于开始日期")
        if self.pledge_type_id and self.pledge_type.is_return_pledge:
            if self.return_days is None:
                errors["return_days"] = _("退货类承诺须填写退货期限（不少于7天）")
            if not self.return_scope.strip():
                errors["return_scope"] = _("退货类承诺须写明哪些商品可以退货")
        if errors:
            raise ValidationError(errors)

    def is_in_force(self, on=None):
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def holds(self, on=None):
        """What a consumer may rely on: in force, from a merchant the bureau has not suspended
        or removed (their pledges' dates may still run, their promises no longer count)."""
        withdrawn = (Merchant.RegistryStatus.SUSPENDED, Merchant.RegistryStatus.REMOVED)
        return self.is_in_force(on) and self.merchant.registry_status not in withdrawn


class MerchantCode(models.Model):
    """A public code printed in a QR poster. Codes are never deleted, so never reused."""

    code = models.CharField(_("公示码"), max_length=codes.LENGTH, unique=True)
    merchant = models.ForeignKey(
        Merchant,
        verbose_name=_("商家"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="codes",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    retired_reason = models.CharField(_("停用原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("商家公示码")
        verbose_name_plural = _("商家公示码")

    def __str__(self):
        return self.code

    @classmethod
    def issue(cls, merchant, attempts=10):
        """A fresh random code; collisions (1 in ~10^10) are retried, never reused."""
        for _attempt in range(attempts):
            try:
                with transaction.atomic():
                    return cls.objects.create(code=codes.new_code(), merchant=merchant)
            except IntegrityError:
                continue
        raise RuntimeError("could not issue a unique merchant code")

    def retire(self, reason):
        """Stop this code (e.g. a forged poster copied it) and give the merchant a new one."""
        self.retired_at = timezone.now()
        self.retired_reason = reason
        self.save(update_fields=["retired_at", "retired_reason"])
        return MerchantCode.issue(self.merchant) if self.merchant_id else None

    @property
    def is_retired(self):
        return self.retired_at is not None


class ScanCount(models.Model):
    """How many times a merchant's code was scanned on a day. Nothing about the person."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="scan_counts")
    day = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("扫码次数"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("扫码统计")
        verbose_name_plural = _("扫码统计")
        constraints = [
            models.UniqueConstraint(fields=["merchant", "day"], name="one_scan_count_a_day")
        ]

    def __str__(self):
        return f"{self.merchant_id} {self.day}: {self.count}"
