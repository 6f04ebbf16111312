"""What a merchant files about a disclosed record, and the public log of what came of it.

A merchant is identified one of two ways (``MerchantSubmission.Channel``): by holding a signed
link sent to the private contact the bureau registered for it, or, when it is not registered,
by a form with its credit code and a photo of its business licence, which staff check before
anything it filed takes effect. Who filed (name, phone) and the licence photo are private:
they are shown on the staff desk only, never on a public page, export, API or index.

An objection (异议) asks the bureau to correct or withdraw a record: while one is undecided the
record shows 异议处理中 (``Disclosure.ObjectionState.OBJECTED``); upheld, the record is
corrected or withdrawn and a ``RecordCorrection`` says so on the record page; rejected, the
record page shows the reason. A reply (回应) is the merchant's own statement next to the
record: one of a fixed set of statements plus free text, scrubbed like every published text
and reviewed before it shows, marked as the merchant's statement and not verified by the bureau.

The abstract bases are shared with the red/black list's objections (``lists.EntryObjection``).
"""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MerchantSubmission(models.Model):
    """Who filed: the merchant the submission speaks for, and how it was identified."""

    class Channel(models.TextChoices):
        LINK = "link", _("登记联系人短信链接")
        LICENCE = "licence", _("营业执照核验")

    merchant = models.ForeignKey(
        "merchants.Merchant",
        verbose_name=_("承诺商家"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    channel = models.CharField(_("身份确认方式"), max_length=10, choices=Channel.choices)
    # Private: whom staff call back about an unregistered merchant's submission.
    submitter_name = models.CharField(_("提交人（不公开）"), max_length=50, blank=True)
    submitter_phone = models.CharField(_("提交人电话（不公开）"), max_length=30, blank=True)
    # Relative to PRIVATE_MEDIA_ROOT, which no URL serves; the licence channel only.
    licence_photo = models.CharField(_("营业执照照片"), max_length=200, blank=True)
    # A link's holder is the registered contact; a licence is checked by staff first.
    identity_verified = models.BooleanField(_("身份已核验"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def licence_path(self):
        return (
            Path(settings.PRIVATE_MEDIA_ROOT) / self.licence_photo if self.licence_photo else None
        )


class ObjectionBase(MerchantSubmission):
    """An objection with its reasons and the staff's decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("异议处理中")
        UPHELD = "upheld", _("异议成立")
        REJECTED = "rejected", _("异议不成立")

    reasons = models.TextField(_("异议理由"))
    state = models.CharField(
        _("处理状态"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Public once decided: what was corrected (upheld) or why it stands (rejected).
    decision_reason = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        abstract = True


class EvidenceBase(models.Model):
    """One file the merchant attached as evidence, kept outside the public media."""

    file = models.CharField(_("文件"), max_length=200)  # relative to PRIVATE_MEDIA_ROOT
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def path(self):
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.file


class RecordObjection(ObjectionBase):
    disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        verbose_name=_("公示投诉"),
        on_delete=models.CASCADE,
        related_name="objections",
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("公示投诉异议")
        verbose_name_plural = _("公示投诉异议")
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"{self.disclosure.complaint_number} {self.get_state_display()}"


class RecordObjectionEvidence(EvidenceBase):
    objection = models.ForeignKey(
        RecordObjection, on_delete=models.CASCADE, related_name="evidence"
    )

    class Meta(EvidenceBase.Meta):
        verbose_name = _("异议证据")
        verbose_name_plural = _("异议证据")


class RecordCorrection(models.Model):
    """One line of a record's public log: what changed after an objection, and when."""

    class Action(models.TextChoices):
        CORRECTED = "corrected", _("更正")
        WITHDRAWN = "withdrawn", _("撤回")

    disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        verbose_name=_("公示投诉"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    objection = models.ForeignKey(
        RecordObjection,
        verbose_name=_("依据的异议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
    )
    action = models.CharField(_("处理"), max_length=10, choices=Action.choices)
    # Public, in plain words: 处理结果由“调解不成功”更正为“调解成功”.
    description = models.TextField(_("更正内容"))
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
        verbose_name = _("公示更正记录")
        verbose_name_plural = _("公示更正记录")

    def __str__(self):
        return f"{self.disclosure.complaint_number} {self.get_action_display()}"


class MerchantReply(MerchantSubmission):
    """The merchant's statement on a record, shown after review and marked as its own."""

    class Statement(models.TextChoices):
        SETTLED = "settled", _("已与消费者和解")
        REFUNDED = "refunded", _("已为消费者退款、退货或赔偿")
        RECTIFIED = "rectified", _("已整改")
        DISPUTES_FACTS = "disputes_facts", _("对事实有异议")

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已发布")
        REJECTED = "rejected", _("未通过审核")

    disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        verbose_name=_("公示投诉"),
        on_delete=models.CASCADE,
        related_name="replies",
    )
    statement = models.CharField(_("回应"), max_length=20, choices=Statement.choices)
    # Scrubbed of personal data when it is received (``disclosures.scrubbing``), as published.
    text = models.TextField(_("补充说明"), blank=True)
    state = models.CharField(
        _("审核状态"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Told to the merchant, never shown publicly.
    review_reason = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("经营者回应")
        verbose_name_plural = _("经营者回应")
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"{self.disclosure.complaint_number} {self.get_statement_display()}"


class DeskLog(models.Model):
    """One staff decision on the desk (identity verified, objection upheld or rejected, reply
    approved or rejected): who, when, what. Kept for the bureau, never public."""

    class Action(models.TextChoices):
        VERIFIED = "verified", _("核验身份")
        UPHELD_WITHDRAWN = "withdrawn", _("异议成立，撤回公示")
        UPHELD_CORRECTED = "corrected", _("异议成立，更正公示")
        REJECTED = "rejected", _("异议不成立")
        REPLY_APPROVED = "reply_ok", _("回应审核通过")
        REPLY_REJECTED = "reply_no", _("回应未通过审核")

    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    objection = models.ForeignKey(
        RecordObjection, null=True, blank=True, on_delete=models.CASCADE, related_name="log"
    )
    reply = models.ForeignKey(
        MerchantReply, null=True, blank=True, on_delete=models.CASCADE, related_name="log"
    )
    note = models.TextField(_("说明"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("异议与回应处理记录")
        verbose_name_plural = _("异议与回应处理记录")

    def __str__(self):
        return self.get_action_display()
