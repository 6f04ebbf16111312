from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from search.mixins import ChineseSearchMixin

from .blocks import BaseStreamBlock


class NamedReference(models.Model):
    """Editable reference data: an editor adds a case type or a pledge type without a release."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Facts about the bureau that appear on every page (header, footer, scan pages)."""

    bureau_name = models.CharField(_("主办单位"), max_length=100, default="湖南省市场监督管理局")
    hotline = models.CharField(_("投诉举报电话"), max_length=20, default="12315")
    complaint_site_url = models.URLField(_("全国12315平台网址"), default="https://www.12315.cn/")
    official_domain = models.CharField(
        _("本站官方域名"),
        max_length=100,
        blank=True,
        help_text=_("在扫码页提示消费者核对,如 fxxf.amr.hunan.gov.cn"),
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    service_hours = models.CharField(
        _("服务时间"), max_length=100, default="12315热线 8:30—17:30(节假日值班受理)"
    )
    icp_record = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    public_security_record = models.CharField(_("公安备案号"), max_length=60, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("bureau_name"), FieldPanel("address"), FieldPanel("official_domain")],
            heading=_("主办单位"),
        ),
        MultiFieldPanel(
            [FieldPanel("hotline"), FieldPanel("service_hours"), FieldPanel("complaint_site_url")],
            heading=_("投诉渠道"),
        ),
        MultiFieldPanel(
            [FieldPanel("icp_record"), FieldPanel("public_security_record")],
            heading=_("备案信息"),
        ),
    ]

    class Meta:
        verbose_name = _("站点信息")


class HomePage(ChineseSearchMixin, Page):
    """The front door: newest alerts and cases, the 12315 hotline and the two search boxes."""

    hero_title = models.CharField(_("主标题"), max_length=80, default="放心消费 · 信息公示")
    hero_intro = models.CharField(
        _("导语"),
        max_length=200,
        blank=True,
        default="查商家承诺、查投诉公示、看消费提示,让每一次消费更安心。",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("补充内容"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_intro"),
        FieldPanel("body"),
    ]
    search_fields = (
        Page.search_fields + ChineseSearchMixin.search_fields + [index.SearchField("hero_intro")]
    )

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        # Imported here: the editorial app's pages live under the home page, not the reverse.
        from editorial.models import AlertPage, CampaignPage, CasePage, NewsPage

        context = super().get_context(request, *args, **kwargs)
        context["latest_alerts"] = (
            AlertPage.objects.live()
            .public()
            .select_related("season_event")
            .order_by("-date", "-pk")[:6]
        )
        context["latest_cases"] = (
            CasePage.objects.live()
            .public()
            .select_related("case_type")
            .order_by("-date", "-pk")[:4]
        )
        context["latest_news"] = NewsPage.objects.live().public().order_by("-date", "-pk")[:5]
        context["current_campaign"] = CampaignPage.objects.live().public().order_by("-year").first()
        return context


class StandardPage(ChineseSearchMixin, Page):
    """Plain content pages: 关于本站, 隐私政策, 使用帮助."""

    intro = models.CharField(_("摘要"), max_length=250, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("正文"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = (
        Page.search_fields
        + ChineseSearchMixin.search_fields
        + [
            index.SearchField("intro"),
            index.SearchField("body"),
        ]
    )

    class Meta:
        verbose_name = _("普通页面")


class ImportJob(models.Model):
    """A file uploaded on an admin import page, waiting for or going through its import.

    The import runs as a background task (``home.import_jobs``), not inside the web request: the
    upload waits in a private folder, the task records its progress here, and the page the
    editor is sent to shows it and, once done, the import's report (``outcome``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        FINISHED = "finished", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("导入类别"), max_length=30)  # the import page: merchants, disclosures
    file_name = models.CharField(_("文件名"), max_length=255)
    # Where the upload waits, under IMPORT_WORK_DIR/uploads; blank once the task has removed it.
    stored_name = models.CharField(max_length=100, blank=True)
    dry_run = models.BooleanField(_("仅检查"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("阶段"), max_length=20, blank=True)  # as the importer reports it
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    # host:pid of the process running the import, to tell a killed one from a slow one.
    worker = models.CharField(max_length=100, blank=True)
    outcome = models.JSONField(_("结果"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("上传导入任务")
        verbose_name_plural = _("上传导入任务")

    def __str__(self):
        return f"{self.file_name}({self.get_status_display()})"

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
