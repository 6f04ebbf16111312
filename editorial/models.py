"""Editorial page types: 消费提示/警示, 典型案例, 新闻, 3·15 专题 and reports.

Every article shares one base (date, summary, listing image, StreamField body from the shared
blocks) so listings, feeds, Open Graph tags and site search treat them alike.
"""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from common.models import NamedReference
from common.query_params import QueryParams, page_number
from common.slugs import PinyinSlugMixin
from home.blocks import BaseStreamBlock
from search.mixins import ChineseSearchMixin

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]
# Alerts and news need nothing beyond the shared article layout.
ARTICLE_TEMPLATE = "editorial/article_page.html"


class Audience(NamedReference):
    class Meta(NamedReference.Meta):
        verbose_name = _("提示对象")
        verbose_name_plural = _("提示对象")


class SeasonEvent(NamedReference):
    class Meta(NamedReference.Meta):
        verbose_name = _("消费节点")
        verbose_name_plural = _("消费节点")


class CaseType(NamedReference):
    class Meta(NamedReference.Meta):
        verbose_name = _("案例类型")
        verbose_name_plural = _("案例类型")


class ArticlePage(PinyinSlugMixin, ChineseSearchMixin, Page):
    """Fields every dated editorial article has."""

    date = models.DateField(_("发布日期"), default=timezone.localdate)
    intro = models.CharField(
        _("摘要"), max_length=250, help_text=_("列表、分享卡片和搜索结果中显示，250字以内")
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("正文"), blank=True)
    source = models.CharField(
        _("来源"),
        max_length=60,
        blank=True,
        default="本站",
        help_text=_("如“本站”“国家市场监督管理总局”；转载的文章填写原发布机构"),
    )

    article_panels = [
        FieldPanel("date"),
        FieldPanel("source"),
        FieldPanel("intro"),
        FieldPanel("listing_image"),
    ]
    search_fields = (
        Page.search_fields
        + ChineseSearchMixin.search_fields
        + [
            index.SearchField("intro"),
            index.SearchField("body"),
            index.FilterField("date"),
        ]
    )

    class Meta:
        abstract = True

    def get_neighbours(self):
        """(上一篇, 下一篇) in the order the section lists its articles (newest first).

        Only the public, live articles of the same section and type; None at either end.
        """
        siblings = type(self).objects.sibling_of(self, inclusive=False).live().public()
        newer = models.Q(date__gt=self.date) | models.Q(date=self.date, pk__gt=self.pk)
        older = models.Q(date__lt=self.date) | models.Q(date=self.date, pk__lt=self.pk)
        previous = siblings.filter(newer).order_by("date", "pk").first()
        following = siblings.filter(older).order_by("-date", "-pk").first()
        return previous, following

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["previous_article"], context["next_article"] = self.get_neighbours()
        return context


class ArticleIndexPage(PinyinSlugMixin, ChineseSearchMixin, Page):
    """A listing of one article type, newest first, paginated, with optional filters."""

    intro = models.CharField(_("栏目说明"), max_length=250, blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = (
        Page.search_fields + ChineseSearchMixin.search_fields + [index.SearchField("intro")]
    )

    article_model = None
    page_size = 10

    class Meta:
        abstract = True

    def get_articles(self, request):
        return (
            self.article_model.objects.child_of(self)
            .live()
            .public()
            .order_by("-date", "-pk")
            .select_related("listing_image")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.get_articles(request), self.page_size)
        # Not a number: the first page; past the end: the last.
        articles = paginator.get_page(page_number(request.GET.get("page")))
        context["articles"] = articles
        context["paginator"] = paginator
        return context


class AlertPage(ArticlePage):
    class Kind(models.TextChoices):
        TIP = "tip", _("消费提示")
        WARNING = "warning", _("消费警示")

    alert_kind = models.CharField(_("类别"), max_length=10, choices=Kind, default=Kind.TIP)
    audiences = ParentalManyToManyField(Audience, verbose_name=_("提示对象"), blank=True)
    season_event = models.ForeignKey(
        SeasonEvent,
        verbose_name=_("消费节点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            ArticlePage.article_panels
            + [FieldPanel("alert_kind"), FieldPanel("audiences"), FieldPanel("season_event")],
            heading=_("提示信息"),
        ),
        FieldPanel("body"),
    ]
    search_fields = ArticlePage.search_fields + [index.FilterField("alert_kind")]

    parent_page_types = ["editorial.AlertIndexPage"]
    subpage_types = []
    template = ARTICLE_TEMPLATE

    class Meta:
        verbose_name = _("消费提示/警示")
        verbose_name_plural = _("消费提示/警示")


class AlertIndexPage(ArticleIndexPage):
    article_model = AlertPage

    subpage_types = ["editorial.AlertPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("消费提示栏目")

    def get_articles(self, request):
        articles = (
            super()
            .get_articles(request)
            .select_related("season_event")
            .prefetch_related("audiences")
        )
        params = QueryParams(request.GET)
        if kind := params.choice("kind", AlertPage.Kind.values):
            articles = articles.filter(alert_kind=kind)
        # Not ASCII digits: no filter. Beyond the database's range: read as its largest id,
        # which names no event, so the listing is empty as for any unknown id.
        if event := params.integer("event"):
            articles = articles.filter(season_event_id=event)
        return articles

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kinds"] = AlertPage.Kind.choices
        context["events"] = SeasonEvent.objects.filter(alerts__isnull=False).distinct()
        context["selected_kind"] = request.GET.get("kind", "")
        context["selected_event"] = request.GET.get("event", "")
        return context


class CasePage(ArticlePage):
    """典型案例: what a merchant did, the legal basis, and the outcome."""

    case_type = models.ForeignKey(
        CaseType,
        verbose_name=_("案例类型"),
        null=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    merchant_name = models.CharField(
        _("当事人（按公开名称）"), max_length=120, help_text=_("按处罚决定书公开的名称填写")
    )
    region = models.CharField(_("所在地区"), max_length=60, blank=True)
    facts = RichTextField(_("基本案情"), features=RICH_TEXT_FEATURES)
    legal_basis = RichTextField(_("法律依据"), features=RICH_TEXT_FEATURES)
    outcome = models.CharField(_("处理结果"), max_length=250)
    fine_amount = models.DecimalField(
        _("罚没金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    refund_amount = models.DecimalField(
        _("为消费者挽回损失（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            ArticlePage.article_panels
            + [FieldPanel("case_type"), FieldPanel("merchant_name"), FieldPanel("region")],
            heading=_("案例信息"),
        ),
        FieldPanel("facts"),
        FieldPanel("legal_basis"),
        MultiFieldPanel(
            [
                FieldPanel("outcome"),
                FieldRowPanel([FieldPanel("fine_amount"), FieldPanel("refund_amount")]),
            ],
            heading=_("处理结果"),
        ),
        FieldPanel("body", heading=_("案例评析")),
    ]
    search_fields = ArticlePage.search_fields + [
        index.SearchField("merchant_name"),
        index.SearchField("facts"),
        index.SearchField("legal_basis"),
        index.SearchField("outcome"),
    ]

    parent_page_types = ["editorial.CaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")


class CaseIndexPage(ArticleIndexPage):
    article_model = CasePage

    subpage_types = ["editorial.CasePage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("典型案例栏目")

    def get_articles(self, request):
        articles = super().get_articles(request).select_related("case_type")
        if case_type := QueryParams(request.GET).integer("type"):  # as ``event`` above
            articles = articles.filter(case_type_id=case_type)
        return articles

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["case_types"] = CaseType.objects.filter(cases__isnull=False).distinct()
        context["selected_type"] = request.GET.get("type", "")
        return context


class NewsPage(ArticlePage):
    class Kind(models.TextChoices):
        NEWS = "news", _("工作动态")
        PRESS = "press", _("新闻发布")
        NOTICE = "notice", _("通知公告")

    news_kind = models.CharField(_("类别"), max_length=10, choices=Kind, default=Kind.NEWS)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            ArticlePage.article_panels + [FieldPanel("news_kind")],
            heading=_("新闻信息"),
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["editorial.NewsIndexPage"]
    subpage_types = []
    template = ARTICLE_TEMPLATE

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")


class NewsIndexPage(ArticleIndexPage):
    article_model = NewsPage

    subpage_types = ["editorial.NewsPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("新闻栏目")


class ReportPage(ArticlePage):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度消费维权报告")
        DATA_ANALYSIS = "data", _("12315数据分析报告")
        OTHER = "other", _("其他报告")

    report_kind = models.CharField(_("报告类型"), max_length=10, choices=Kind, default=Kind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("报告年度"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("报告全文"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            ArticlePage.article_panels
            + [FieldPanel("report_kind"), FieldPanel("year"), FieldPanel("document")],
            heading=_("报告信息"),
        ),
        FieldPanel("body"),
    ]
    search_fields = ArticlePage.search_fields + [index.FilterField("year")]

    parent_page_types = ["editorial.ReportIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")


class ReportIndexPage(ArticleIndexPage):
    article_model = ReportPage

    subpage_types = ["editorial.ReportPage"]
    parent_page_types = ["home.HomePage"]

    class Meta:
        verbose_name = _("报告栏目")


class CampaignPage(ArticlePage):
    """A year's 3·15 国际消费者权益日 campaign: theme, sections, figures, that year's output."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    theme = models.CharField(_("年度主题"), max_length=100)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("year"), FieldPanel("theme")] + ArticlePage.article_panels,
            heading=_("专题信息"),
        ),
        FieldPanel("body", heading=_("专题内容（分节、关键数据）")),
    ]
    search_fields = ArticlePage.search_fields + [index.SearchField("theme")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("3·15专题")
        verbose_name_plural = _("3·15专题")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["year_cases"] = (
            CasePage.objects.live().public().filter(date__year=self.year).order_by("-date")
        )
        context["year_reports"] = (
            ReportPage.objects.live().public().filter(date__year=self.year).order_by("-date")
        )
        context["year_alerts"] = (
            AlertPage.objects.live().public().filter(date__year=self.year).order_by("-date")[:6]
        )
        return context
