"""Admin for the desk's reference data: units, reason templates, working-day overrides."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..models import RefusalTemplate, Unit, WorkdayOverride


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    list_display = ["name", "level", "region", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class RefusalTemplateViewSet(SnippetViewSet):
    model = RefusalTemplate
    icon = "openquote"
    list_display = ["title", "use", "sort_order"]
    list_filter = ["use"]
    ordering = ["use", "sort_order", "title"]


class WorkdayOverrideViewSet(SnippetViewSet):
    model = WorkdayOverride
    icon = "date"
    list_display = ["date", "is_workday", "note"]
    ordering = ["-date"]


class ComplaintReferenceGroup(SnippetViewSetGroup):
    menu_label = _("投诉办理设置")
    menu_icon = "cogs"
    menu_order = 310
    items = (UnitViewSet, RefusalTemplateViewSet, WorkdayOverrideViewSet)
