from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Audience, CaseType, SeasonEvent


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]


class SeasonEventViewSet(SnippetViewSet):
    model = SeasonEvent
    icon = "date"
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]


class CaseTypeViewSet(SnippetViewSet):
    model = CaseType
    icon = "tag"
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]


class EditorialReferenceGroup(SnippetViewSetGroup):
    menu_label = _("内容分类")
    menu_icon = "folder-inverse"
    menu_order = 300
    items = (AudienceViewSet, SeasonEventViewSet, CaseTypeViewSet)


register_snippet(EditorialReferenceGroup)
