from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from common.slugs import PinyinSlugMixin
from search.mixins import ChineseSearchMixin

from .blocks import BaseStreamBlock

# Later apps add entries to the home page's context through this Wagtail hook: a function of the
# request returning a dict (editorial: latest_alerts, latest_cases, latest_news, current_campaign).
HOME_PAGE_CONTEXT_HOOK = "home_page_context"


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
        help_text=_("在扫码页提示消费者核对，如 fxxf.amr.hunan.gov.cn"),
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    service_hours = models.CharField(
        _("服务时间"), max_length=100, default="12315热线 8:30—17:30（节假日值班受理）"
    )
    icp_record = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    public_security_record = models.CharField(
        _("公安备案号"),
        max_length=60,
        blank=True,
        help_text=_(
            "如“湘公网安备 43010202000123号”；页脚链接到全国互联网安全管理服务平台的备案记录"
        ),
    )
    # What the State Council's rules for government websites ask every footer to show.
    website_identifier = models.CharField(
        _("网站标识码"),
        max_length=20,
        blank=True,
        help_text=_("全国政府网站信息报送系统分配的标识码，如 4300000049"),
    )
    show_government_mark = models.BooleanField(
        _("显示党政机关网站标识"),
        default=False,
        help_text=_("本站已在中央机构编制委员会办公室注册为党政机关网站时勾选"),
    )
    government_mark_url = models.URLField(
        _("党政机关网站标识核验网址"),
        blank=True,
        help_text=_("点击红色标识时打开的核验页面，由开普云（conac.cn）提供"),
    )
    error_report_url = models.URLField(
        _("我为政府网站找错网址"),
        blank=True,
        help_text=_("国务院办公厅政府网站找错服务的网址，填写后在页脚显示“我为政府网站找错”"),
    )

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
            [
                FieldPanel("website_identifier"),
                FieldPanel("show_government_mark"),
                FieldPanel("government_mark_url"),
                FieldPanel("icp_record"),
                FieldPanel("public_security_record"),
                FieldPanel("error_report_url"),
            ],
            heading=_("政府网站标识与备案信息"),
        ),
    ]

    class Meta:
        verbose_name = _("站点信息")

    @property
    def public_security_record_url(self):
        """The record's page on the MPS registry: its number is the digits of the record."""
        number = "".join(ch for ch in self.public_security_record if ch.isascii() and ch.isdigit())
        if not number:
            return ""
        return f"https://beian.mps.gov.cn/#/query/webSearch?code={number}"


class HomePage(PinyinSlugMixin, ChineseSearchMixin, Page):
    """The front door: newest alerts and cases, the 12315 hotline and the two search boxes."""

    hero_title = models.CharField(_("主标题"), max_length=80, default="放心消费 · 信息公示")
    hero_intro = models.CharField(
        _("导语"),
        max_length=200,
        blank=True,
        default="查商家承诺、查投诉公示、看消费提示，让每一次消费更安心。",
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
        context = super().get_context(request, *args, **kwargs)
        # The newest alerts, cases and news come from the apps that own them.
        for contribute in hooks.get_hooks(HOME_PAGE_CONTEXT_HOOK):
            context.update(contribute(request))
        return context


class StandardPage(PinyinSlugMixin, ChineseSearchMixin, Page):
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
