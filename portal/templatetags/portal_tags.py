"""Template helpers for the public pages: main navigation, breadcrumbs, share metadata."""

from decimal import Decimal

from django import template
from django.apps import apps
from django.conf import settings
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from wagtail.models import Page, Site

from editorial.models import ArticlePage, CampaignPage
from home.models import StandardPage
from search import site_search

register = template.Library()

SHARE_IMAGE_SPEC = "fill-1200x630"
DEFAULT_SHARE_IMAGE = "images/share-default.png"


def _site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


def absolute_url(url, base_url=None):
    """Make a site-relative URL absolute on the portal's public address (for WeChat shares)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return (base_url or settings.PORTAL_BASE_URL).rstrip("/") + url


@register.simple_tag(takes_context=True)
def main_menu(context):
    """首页 plus the home page's live children shown in menus, each with its aria-current value.

    "page" marks the page being viewed, "true" the section it belongs to.
    """
    root = _site_root(context)
    if root is None:
        return []
    current = context.get("page")

    def aria_current(item):
        if not current:
            return ""
        if current.pk == item.pk:
            return "page"
        return "true" if item.pk != root.pk and current.is_descendant_of(item) else ""

    items = [{"title": gettext("首页"), "url": root.url, "current": aria_current(root)}]
    items += _app_sections(context)
    for child in root.get_children().live().in_menu():
        title = child.title
        # There is one campaign page a year; the menu names the section, not this year's title.
        if issubclass(child.specific_class, CampaignPage):
            title = CampaignPage._meta.verbose_name
        items.append({"title": title, "url": child.url, "current": aria_current(child)})
    return items


# Sections served by Django views rather than the page tree: (title, URL name, path prefix).
APP_SECTIONS = [
    (gettext_lazy("承诺商家"), "merchants:directory", "/merchants/"),
    (gettext_lazy("投诉公示"), "disclosures:search", "/disclosures/"),
]


def _app_sections(context):
    request = context.get("request")
    path = request.path if request else ""
    items = []
    for title, url_name, prefix in APP_SECTIONS:
        url = reverse(url_name)
        current = "page" if path == url else "true" if path.startswith(prefix) else ""
        items.append({"title": str(title), "url": url, "current": current})
    return items


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """Plain pages under the home page (关于本站, 隐私声明), linked from every footer."""
    root = _site_root(context)
    if root is None:
        return []
    return StandardPage.objects.child_of(root).live().public().order_by("path")


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, title=None):
    """Ancestors from the site's home page down to the current page (or a named view)."""
    root = _site_root(context)
    page = context.get("page")
    trail = []
    if page and root and page.pk != root.pk and page.is_descendant_of(root):
        trail = list(Page.objects.ancestor_of(page).filter(depth__gte=root.depth).live())
        title = title or page.title
    elif root:
        trail = [root]
    return {"trail": trail, "title": title, "request": context.get("request")}


@register.simple_tag(takes_context=True)
def share_meta(context, title="", description="", path=""):
    """Title, description, canonical URL, image and type for Open Graph and <meta> tags.

    A view's page without a Wagtail page (the scan page, rendered without a request) names its
    title, description and path, or puts the description in its context as
    ``share_description`` (a complaint's own page); a page of the tree has them from its fields.
    """
    request = context.get("request")
    page = context.get("page")
    base_url = context.get("portal_base_url") or settings.PORTAL_BASE_URL
    meta = {
        "title": str(title or settings.PORTAL_NAME),
        "description": str(description or context.get("share_description", "")),
        "url": absolute_url(path or (request.path if request else "/"), base_url),
        "image": absolute_url(static(DEFAULT_SHARE_IMAGE), base_url),
        "image_size": (1200, 630),
        "type": "website",
        "is_home": False,
    }
    if page is None:
        return meta

    root = _site_root(context)
    meta["is_home"] = root is not None and page.pk == root.pk
    # The home page is shared under the site's name, not as "首页".
    meta["title"] = page.seo_title or (meta["title"] if meta["is_home"] else page.title)
    meta["description"] = (
        page.search_description or getattr(page, "intro", "") or getattr(page, "hero_intro", "")
    )
    # The page's path on the public address: with a second Site (another host name for the
    # admin, say) get_url would give that site's host instead of PORTAL_BASE_URL.
    url_parts = page.get_url_parts(request=request)
    if url_parts:
        meta["url"] = absolute_url(url_parts[2], base_url)
    if isinstance(page, ArticlePage):
        meta["type"] = "article"
    image = getattr(page, "listing_image", None)
    if image:
        rendition = image.get_rendition(SHARE_IMAGE_SPEC)
        meta["image"] = absolute_url(rendition.url, base_url)
        meta["image_size"] = (rendition.width, rendition.height)
    return meta


@register.simple_tag(takes_context=True)
def section_url(context, model_label):
    """URL of the first live page of a type under the site's home page, e.g. the alert index."""
    root = _site_root(context)
    if root is None:
        return ""
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return ""
    section = model.objects.descendant_of(root).live().first()
    return section.get_url(request=context.get("request")) if section else ""


def query_url(request, **changes):
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy() if request else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.inclusion_tag("includes/filter_chips.html", takes_context=True)
def filter_chips(context, label, param, choices, selected=None, everything_value="", name=""):
    """A row of filter links for one GET parameter, "全部" first.

    `choices` are (value, label) pairs, model instances (filtered by primary key) or dicts with
    value, label and count. Changing a filter goes back to the first page. `selected` overrides
    the value read from the request (a county's city in the city row), `everything_value` is
    where "全部" leads (a county row's "全部" is the whole city), and `name` tells two rows of one
    parameter apart for their labels.
    """
    request = context.get("request")
    if selected is None:
        selected = request.GET.get(param, "") if request else ""
    options = []
    for choice in choices:
        if isinstance(choice, dict):
            option = {"value": choice["value"], "label": choice["label"], "count": choice["count"]}
        elif isinstance(choice, (list, tuple)):
            option = {"value": choice[0], "label": choice[1]}
        else:
            option = {"value": choice.pk, "label": choice}
        option["value"] = str(option["value"])
        options.append(option)
    everything = {"value": str(everything_value), "label": gettext("全部"), "everything": True}
    if options and all("count" in option for option in options):
        everything["count"] = sum(option["count"] for option in options)
    options.insert(0, everything)

    # An unknown value filters nothing, so "全部" is what the reader sees.
    values = {option["value"] for option in options}
    if str(selected) not in values:
        selected = everything["value"]
    for option in options:
        option["url"] = query_url(request, **{param: option["value"] or None, "page": None})
        option["current"] = option["value"] == str(selected)
    return {"label": label, "param": param, "name": name or param, "options": options}


@register.filter
def page_type_label(page_type):
    """The name of an indexed page type (editorial.alertpage: 消费提示/警示) for search results."""
    return site_search.page_type_label(page_type)


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current one, with the paginator's ellipsis in the gaps."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)


@register.filter
def money(value):
    """An amount in yuan with two decimals and thousands grouped: 1,517,923.00.

    Django's zh-hans format has no thousands separator, and grouping every number on the site
    (years, counts) would be wrong; amounts alone read better grouped.
    """
    if value in (None, ""):
        return ""
    return f"{Decimal(value):,.2f}"
