from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from common.viewsets import NamedReferenceViewSet
from home.models import HOME_PAGE_CONTEXT_HOOK
from home.roles import REVIEWER, ROLE_PERMISSIONS_HOOK

from .models import AlertPage, Audience, CampaignPage, CasePage, CaseType, NewsPage, SeasonEvent


class AudienceViewSet(NamedReferenceViewSet):
    model = Audience
    icon = "group"


class SeasonEventViewSet(NamedReferenceViewSet):
    model = SeasonEvent
    icon = "date"


class CaseTypeViewSet(NamedReferenceViewSet):
    model = CaseType
    icon = "tag"


class EditorialReferenceGroup(SnippetViewSetGroup):
    menu_label = _("内容分类")
    menu_icon = "folder-inverse"
    menu_order = 300
    items = (AudienceViewSet, SeasonEventViewSet, CaseTypeViewSet)


register_snippet(EditorialReferenceGroup)


@hooks.register(HOME_PAGE_CONTEXT_HOOK)
def latest_on_home_page(request):
    """The home page's newest alerts, cases and news, and the current 3·15 campaign."""
    return {
        "latest_alerts": (
            AlertPage.objects.live()
            .public()
            .select_related("season_event")
            .order_by("-date", "-pk")[:6]
        ),
        "latest_cases": (
            CasePage.objects.live()
            .public()
            .select_related("case_type")
            .order_by("-date", "-pk")[:4]
        ),
        "latest_news": NewsPage.objects.live().public().order_by("-date", "-pk")[:5],
        "current_campaign": CampaignPage.objects.live().public().order_by("-year").first(),
    }


@hooks.register(ROLE_PERMISSIONS_HOOK)
def editorial_role_permissions():
    """审核 keep the editorial reference data (home.roles gives it to the group)."""
    models = ("audience", "seasonevent", "casetype")
    actions = ("add", "change", "delete")
    return {REVIEWER: [f"editorial.{a}_{m}" for m in models for a in actions]}
