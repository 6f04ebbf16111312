"""/lists/feed.xml: every published red/black list, newest first, for media and WeChat accounts."""

from django.contrib.syndication.views import Feed
from django.db.models import Count
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.dates import chinese_date

from . import public
from .exports import absolute, page_path
from .models import ListIndexPage

FEED_LENGTH = 30


class ListFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"
    title = gettext_lazy("消费投诉红黑榜")
    description = gettext_lazy("市场监管部门按季度发布的消费投诉红榜和黑榜")

    # Every link on the public address: a feed is read from wherever it was fetched.
    def get_object(self, request, *args, **kwargs):
        return request.path

    def feed_url(self, path):
        return absolute(path)

    def link(self):
        index = ListIndexPage.objects.live().first()
        return absolute(page_path(index) if index else "/")

    def items(self):
        pages = public.published().annotate(entry_count=Count("entries"))
        return pages.order_by("-first_published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("%(period)s，%(region)s%(kind)s，共%(count)d家经营者，上榜展示至%(until)s。") % {
            "period": public.period_label(item.period),
            "region": item.region_name,
            "kind": item.get_kind_display(),
            "count": item.entry_count,
            "until": chinese_date(item.listed_until),
        }

    def item_link(self, item):
        return absolute(page_path(item))

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.get_kind_display(), item.region_name]
