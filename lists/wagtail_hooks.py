"""Admin for the red/black list rules (红黑榜规则): edited by staff, versioned by the model."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ListRule


class ListRuleViewSet(SnippetViewSet):
    model = ListRule
    icon = "list-ol"
    menu_label = _("红黑榜规则")
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["name", "kind", "scope_level", "version", "is_current", "active"]
    list_filter = ["kind", "is_current", "active"]
    ordering = ["-is_current", "kind", "name", "-version"]
    copy_view_enabled = False


register_snippet(ListRuleViewSet)
