"""Disclosed consumer complaints (消费投诉信息公示) and the reference data they are filed under.

Rule: 《市场监督管理投诉信息公示暂行规则》(国市监稽规〔2023〕6号). A record is public from its
disclosure date until its display-until date, unless the merchant's objection led to its
withdrawal; ``Disclosure.objects.public()`` is the one definition every public view, export,
API and index uses. Complaint text is scrubbed of personal data before it is stored
(``scrubbing.py``); the raw text is never kept.
"""

import functools
import uuid

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from common import regions
from common.models import ImportRecord, NamedReference
from search.text_analysis import index_text
from search.token_index import column_index

from .facets import IN_REGION, KEYWORD, given, stored_region

# The record's own public text that the keyword search reads, in the order its tokens are
# stored (``search_tokens``); the category, the problem type, the handling department and the
# respondent's address are matched by their names at query time instead (``disclosures.keyword``
# says why). Changing this list needs a migration that recomputes the tokens (as
# 0009_search_every_public_field, 0012_department_by_name and 0013_address_by_name do) and a
# reindex of Elasticsearch, whose document holds these same tokens (its `tokens` field).
SEARCHED_TEXT = (
    "respondent_name",
    "summary",
    "consumer_request",
)


# The fields whose values repeat from record to record (one respondent's name, the usual
# requests): their tokens are remembered (``search_text``). Not the summary, which
# rarely repeats; nor an unusually long value.
REMEMBERED_FIELDS = tuple(name != "summary" for name in SEARCHED_TEXT)
REMEMBERED_CHARS = 200


@functools.lru_cache(maxsize=16_384)
def _remembered_tokens(text):
    return index_text(text)


def search_text(texts):
    """The full-text tokens of a record's ``SEARCHED_TEXT`` values, field after field.

    The tokens of the repeating fields are remembered, so an import tokenises little more than
    the summaries and five searched fields cost it no more than three did (bench/disclosures.py).
    A field's tokens never run into the next one's (text_analysis cuts at every space), so this
    is ``index_text`` of the fields joined by spaces.
    """
    parts = []
    for text, remembered in zip(texts, REMEMBERED_FIELDS, strict=True):
        if not text:
            continue
        if remembered and len(text) <= REMEMBERED_CHARS:
            parts.append(_remembered_tokens(text))
        else:
            parts.append(index_text(text))
    return " ".join([part for part in parts if part])


class ComplaintCategory(NamedReference):
    """商品或服务类别: 一般食品, 服装鞋帽, 餐饮住宿, 教育培训 ..."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("商品类")
        SERVICE = "service", _("服务类")

    kind = models.CharField(_("大类"), max_length=10, choices=Kind.choices, blank=True)

    panels = NamedReference.panels + [FieldPanel("kind")]

    class Meta(NamedReference.Meta):
        verbose_name = _("商品或服务类别")
        verbose_name_plural = _("商品或服务类别")


class ProblemType(NamedReference):
    """投诉问题类型: 售后服务, 质量, 合同, 虚假宣传, 价格 ..."""

    class Meta(NamedReference.Meta):
        verbose_name = _("投诉问题类型")
        verbose_name_plural = _("投诉问题类型")


class HandlingResult(NamedReference):
    """处理结果: 调解成功, 调解不成功, 终止调解, 不予受理 ...

    The two flags define the mediation success rate (调解成功率): successes divided by the
    complaints whose mediation was concluded, so 不予受理 does not count against a merchant.
    """

    is_mediation_success = models.BooleanField(_("计为调解成功"), default=False)
    counts_as_mediated = models.BooleanField(
        _("计入调解成功率的分母"),
        default=True,
        help_text=_("进入调解程序的结果（调解成功、调解不成功、终止调解）勾选；不予受理等不勾选"),
    )

    panels = NamedReference.panels + [
        FieldPanel("is_mediation_success"),
        FieldPanel("counts_as_mediated"),
    ]

    class Meta(NamedReference.Meta):
        verbose_name = _("处理结果")
        verbose_name_plural = _("处理结果")


class HandlingDepartment(models.Model):
    """A handling department's name as the records give it (长沙市岳麓区市场监督管理局).

    Each record holds its department's id (``Disclosure.department``), so the keyword matches
    the few hundred distinct names at search time, as it matches category names, instead of
    every record carrying the department's words in its tokens (a million copies of a few
    hundred names, and 市场监督 matching nearly every record through the full-text index).
    Filled by the import and by a record's save; not edited by hand.
    """

    name = models.CharField(_("名称"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("处理部门")
        verbose_name_plural = _("处理部门")

    def __str__(self):
        return self.name

    @classmethod
    def id_of(cls, name):
        """The id of the department named ``name``, added if it is new; None for no name."""
        if not name:
            return None
        return cls.objects.get_or_create(name=name)[0].pk


class RespondentAddress(models.Model):
    """A respondent's address as the records give it (长沙市岳麓区麓谷大道627号), once.

    Each record holds its address's id (``Disclosure.address``): the keyword matches a term
    against these distinct addresses through their own full-text index (``ADDRESS_INDEX``) and
    then the records by id, as it matches department names (``disclosures.keyword``), instead of
    every record carrying its address's words in its tokens (about 16 more tokens a row for the
    full-text index to write on every import). Filled by the import and by a record's save;
    addresses no record names any more are left: they match nothing.
    """

    text = models.CharField(_("地址"), max_length=300, unique=True)
    # text_analysis tokens of ``text``, for ``ADDRESS_INDEX``.
    search_tokens = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("被投诉人地址")
        verbose_name_plural = _("被投诉人地址")

    def __str__(self):
        return self.text

    @classmethod
    def id_of(cls, text):
        """The id of the address ``text``, added if it is new; None for no address."""
        if not text:
            return None
        return cls.objects.get_or_create(text=text, defaults={"search_tokens": index_text(text)})[
            0
        ].pk

    @classmethod
    def add(cls, texts):
        """{text: id} of ``texts`` (non-empty), the new ones added in a few statements: an
        import meets tens of thousands of addresses, one query each would cost it seconds."""
        texts = list(dict.fromkeys(texts))
        cls.objects.bulk_create(
            [cls(text=text, search_tokens=index_text(text)) for text in texts],
            batch_size=500,
            ignore_conflicts=True,
        )
        found = {}
        for start in range(0, len(texts), 500):
            part = texts[start : start + 500]
            found.update(cls.objects.filter(text__in=part).values_list("text", "pk"))
        return found

    @classmethod
    def last_id(cls):
        return cls.objects.aggregate(last=models.Max("pk"))["last"] or 0

    @classmethod
    def remove_unused(cls, after_id):
        """Delete the addresses with an id above ``after_id`` that no record names: those an
        undone import added. One pass over the records (no index on ``address_id``)."""
        if after_id is None:
            return
        table, records = cls._meta.db_table, Disclosure._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id > %s AND id NOT IN "
                f"(SELECT address_id FROM {records} WHERE address_id > %s)",
                [after_id, after_id],
            )


# The distinct addresses' own full-text index (migration 0013): FTS5 on SQLite, a tsvector
# column with a GIN index on PostgreSQL.
ADDRESS_INDEX = column_index("disclosures_respondentaddress", "search_tokens")


class ImportBatch(ImportRecord):
    """One disclosure file's import, refused and dry runs included: who, when, what the file
    held and what became of it."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("检查中")
        REFUSED = "refused", _("已拒绝")
        CHECKED = "checked", _("仅检查")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("导入失败")

    # A batch is recorded when its import starts.
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    error_count = models.PositiveIntegerField(_("错误行数"), default=0)
    # The first errors, as {"line": n, "reason": "..."} (a refused file of a million bad rows
    # must not become a million-entry JSON document).
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    # How many of each kind of personal data were masked, e.g. {"mobile": 120, "name": 31}.
    masked = models.JSONField(_("脱敏统计"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("公示导入批次")
        verbose_name_plural = _("公示导入批次")

    def __str__(self):
        return f"{self.file_name}（{timezone.localtime(self.started_at):%Y-%m-%d %H:%M}）"


class DisclosureQuerySet(models.QuerySet):
    def public(self, on=None):
        """Records a citizen may see on ``on`` (default today); every public path uses this."""
        on = on or timezone.localdate()
        return self.filter(disclosed_on__lte=on, display_until__gte=on, pending=False).exclude(
            objection_state=Disclosure.ObjectionState.WITHDRAWN
        )

    def in_order(self, ids):
        """The records of ``ids`` (a search engine's page), in that order; ids no longer in the
        table are left out."""
        by_id = self.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def in_region(self, code):
        """Records in a province, city or county, given any of their codes."""
        return self.filter(**{stored_region(code).lookup: code})

    def filtered_by(self, query):
        """These records narrowed by a DisclosureQuery's filters (``facets.FILTERS``), not its
        keyword: what the search engines do, in plain ORM terms, for the export and the tests
        that hold the engines to it."""
        records = self
        conditions = {}
        for filter, value in given(query):
            if filter.match == IN_REGION:
                records = records.in_region(value)
            elif filter.match != KEYWORD:
                conditions[filter.lookup] = value
        return records.filter(**conditions)


class Disclosure(models.Model):
    """One disclosed complaint, as the bureau publishes it (never the complainant's data)."""

    class ObjectionState(models.TextChoices):
        NONE = "none", _("无异议")
        OBJECTED = "objected", _("经营者提出异议")
        CORRECTED = "corrected", _("已更正")
        WITHDRAWN = "withdrawn", _("已撤回")

    complaint_number = models.CharField(_("投诉编号"), max_length=64, unique=True)
    respondent_name = models.CharField(_("被投诉人名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    region = models.ForeignKey(
        "merchants.Region",
        db_index=False,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    # Denormalised from the region code so that facets by city and province are plain GROUP BYs.
    city_code = models.CharField(_("地市代码"), max_length=6, editable=False)
    province_code = models.CharField(_("省级代码"), max_length=6, editable=False)
    respondent_address = models.CharField(_("被投诉人地址"), max_length=300, blank=True)
    # The address as a code (``RespondentAddress``), what the keyword matches it by; set from
    # ``respondent_address`` on every save and by the import. No constraint and no index, as
    # ``department``: only the import and ``save`` set it, searches read it from the snapshot.
    address = models.ForeignKey(
        RespondentAddress,
        db_index=False,
        db_constraint=False,
        verbose_name=_("被投诉人地址代码"),
        null=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        related_name="disclosures",
    )
    category = models.ForeignKey(
        ComplaintCategory,
        db_index=False,
        verbose_name=_("商品或服务类别"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    problem_type = models.ForeignKey(
        ProblemType,
        db_index=False,
        verbose_name=_("投诉问题类型"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    summary = models.TextField(_("投诉内容摘要"))
    consumer_request = models.TextField(_("消费者诉求"), blank=True)
    complained_on = models.DateField(_("投诉日期"))
    # YYYYMM of the complaint date: the statistics' month axis without date functions.
    complained_month = models.PositiveIntegerField(_("投诉月份"), editable=False)
    handling_department = models.CharField(_("处理部门"), max_length=200)
    # The department's name as a code (``HandlingDepartment``), what the keyword matches it by;
    # set from ``handling_department`` on every save and by the import. No constraint: the
    # import writes a million of these, and only the import and ``save`` ever set them.
    department = models.ForeignKey(
        HandlingDepartment,
        db_index=False,
        db_constraint=False,
        verbose_name=_("处理部门代码"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    result = models.ForeignKey(
        HandlingResult,
        db_index=False,
        verbose_name=_("处理结果"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    recovered_amount = models.DecimalField(
        _("挽回经济损失（元）"), max_digits=14, decimal_places=2, default=0
    )
    disclosed_on = models.DateField(_("公示日期"))
    display_until = models.DateField(_("公示截止日期"))
    objection_state = models.CharField(
        _("异议状态"),
        max_length=10,
        choices=ObjectionState.choices,
        default=ObjectionState.NONE,
    )
    merchant = models.ForeignKey(
        "merchants.Merchant",
        db_index=False,
        verbose_name=_("对应承诺商家"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosures",
    )
    batch = models.ForeignKey(
        ImportBatch,
        db_index=False,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosures",
    )
    # Written by an import that has not finished (SQLite commits an import chunk by chunk so
    # that the site can write meanwhile): no public path shows it until the import publishes.
    pending = models.BooleanField(_("导入未完成"), default=False, db_default=False, editable=False)
    # text_analysis tokens of the SEARCHED_TEXT fields, for the full-text index.
    search_tokens = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-complained_on", "-pk"]
        verbose_name = _("公示投诉")
        verbose_name_plural = _("公示投诉")
        # 审核's part (disclosures/roles.py): 已撤回 and back.
        permissions = [("withdraw_disclosure", "撤回或恢复公示投诉")]
        # Only the indexes a query needs: each one costs a large import a pass over the table.
        # Filters and facets are answered by the in-memory columns (disclosures.snapshot), so the
        # foreign keys to reference data, regions and batches have none, and the visibility
        # rule and the city have none (the rule holds for almost every row: an index on it only
        # slowed SQLite).
        # The merchant's records use the composite index, which covers its foreign key.
        indexes = [
            models.Index(fields=["complained_on"], name="disclosure_date_idx"),
            models.Index(fields=["merchant", "complained_on"], name="disclosure_merchant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(display_until__gte=models.F("disclosed_on")),
                name="disclosure_displayed_after_disclosed",
            ),
            models.CheckConstraint(
                condition=Q(recovered_amount__gte=0), name="disclosure_recovered_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.complaint_number} {self.respondent_name}"

    # Computed from the record's own values (``derived``), in this order: on every save, and
    # by the import, which writes rows without building model instances.
    DERIVED_FIELDS = ("city_code", "province_code", "complained_month", "search_tokens")

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        self.department_id = HandlingDepartment.id_of(self.handling_department)
        self.address_id = RespondentAddress.id_of(self.respondent_address)
        super().save(*args, **kwargs)

    def fill_derived_fields(self):
        """Set the derived fields from the record's values: before a save that bypasses
        ``save()`` (the import's ``bulk_update``)."""
        self.city_code, self.province_code, self.complained_month, self.search_tokens = (
            self.derived(
                self.region_id,
                self.complained_on,
                *(getattr(self, name) for name in SEARCHED_TEXT),
            )
        )

    @staticmethod
    def derived(region_code, complained_on, *texts):
        """The values of ``DERIVED_FIELDS`` for these values: the region's city and province,
        the complaint's month (YYYYMM) and the full-text tokens of ``texts``, the values of
        ``SEARCHED_TEXT`` in its order. Plain values in and out, so the model and the import
        derive the same way without depending on each other's shape."""
        return (
            regions.city_of(region_code),
            regions.province_of(region_code),
            complained_on.year * 100 + complained_on.month,
            search_text(texts),
        )


class DisclosureDataVersion(models.Model):
    """One row whose token changes with every change to the disclosure table.

    The database search keeps the filter and facet columns in memory (``snapshot``) and
    compares this token, one indexed read, to know when to reload them. A random token rather
    than a counter: a change rolled back restores the old token, and a counter would then hand
    out the same number again for different data.
    """

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公示数据版本")
        verbose_name_plural = _("公示数据版本")

    def __str__(self):
        return str(self.token)

    @classmethod
    def current(cls):
        token = cls.objects.filter(pk=1).values_list("token", flat=True).first()
        return token or cls.bump()

    @classmethod
    def bump(cls):
        """Record that disclosures changed: call inside the transaction that changed them."""
        token = uuid.uuid4()
        if not cls.objects.filter(pk=1).update(token=token, changed_at=timezone.now()):
            cls.objects.update_or_create(pk=1, defaults={"token": token})
        return token

    @classmethod
    def replace(cls):
        """``bump()``, returning (the token it replaced, None if none, and the new one). The
        row is locked first, so that no other change comes between the two."""
        with transaction.atomic():
            found = cls.objects.select_for_update().filter(pk=1)
            return found.values_list("token", flat=True).first(), cls.bump()
