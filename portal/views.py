"""The HTML site map: the page tree's public pages and the sections served by Django views.

``/sitemap.xml`` is for search engines; this page is for people (government websites are
expected to have one). Articles are reached through their section, so a section that lists
articles is named with how many it holds instead of listing them all.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from editorial.models import ArticleIndexPage

# Sections that are views, not pages: (title, URL name, what a visitor finds there).
VIEW_SECTIONS = [
    (_("承诺商家名录"), "merchants:directory", _("按地区、行业和商圈查放心消费承诺商家")),
    (_("投诉信息公示"), "disclosures:search", _("按关键词、地区、类别和处理结果查询公示的投诉")),
    (_("投诉公示统计"), "disclosures:stats", _("按月份、类别、问题类型、地区和处理结果统计")),
    (_("站内搜索"), "search", _("搜索消费提示、典型案例、新闻和报告")),
    (_("开放数据接口说明"), "api:docs", _("投诉公示和承诺商家的 JSON 接口文档")),
]


def _public_children(page):
    return page.get_children().live().public().specific().order_by("path")


def _branch(page):
    """A page and, unless it is a listing of articles, its public child pages."""
    if isinstance(page, ArticleIndexPage):
        count = page.article_model.objects.child_of(page).live().public().count()
        return {"page": page, "count": count, "children": []}
    return {"page": page, "children": [_branch(child) for child in _public_children(page)]}


@require_safe
def sitemap_page(request):
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    tree = [_branch(child) for child in _public_children(root)] if root else []
    sections = [
        {"title": title, "url": reverse(url_name), "description": description}
        for title, url_name, description in VIEW_SECTIONS
    ]
    context = {"root": root, "tree": tree, "sections": sections, "title": _("网站地图")}
    return render(request, "sitemap.html", context)
