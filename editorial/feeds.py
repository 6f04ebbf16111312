"""RSS feeds for alerts and typical cases, so media and WeChat accounts can follow them."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .models import AlertPage, CasePage

FEED_LENGTH = 30


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"
    model = None

    # Every link of the feed on the public address (PORTAL_BASE_URL): Django would put the
    # request's host in front of a path, and a feed is read from wherever it was fetched.
    def get_object(self, request, *args, **kwargs):
        return request.path

    def feed_url(self, path):
        return settings.PORTAL_BASE_URL + path

    def items(self):
        return self.model.objects.live().public().order_by("-date", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        parts = item.get_url_parts()
        return settings.PORTAL_BASE_URL + (parts[2] if parts else "/")

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class AlertFeed(ArticleFeed):
    model = AlertPage
    title = _("消费提示与警示")
    description = _("市场监管部门发布的消费提示、消费警示")

    def link(self):
        return settings.PORTAL_BASE_URL + "/"

    def item_categories(self, item):
        return [item.get_alert_kind_display()] + [a.name for a in item.audiences.all()]


class CaseFeed(ArticleFeed):
    model = CasePage
    title = _("典型案例")
    description = _("市场监管部门公布的消费维权典型案例")

    def link(self):
        return settings.PORTAL_BASE_URL + "/"

    def item_categories(self, item):
        return [item.case_type.name] if item.case_type else []
