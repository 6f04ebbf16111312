"""Admin for the red/black list: the rules (红黑榜规则, versioned by the model), 起草红黑榜,
a black list's notices (a button on its page), the objection queue (红黑榜异议), and the
publication guard on the page editor (``lists.publication``)."""

from django.contrib import messages
from django.db.models.signals import pre_save
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import TaskState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.roles import ROLE_PERMISSIONS_HOOK

from . import admin_urls, publication, roles
from .admin_views import may_draft
from .models import ListPage, ListRule

hooks.register(ROLE_PERMISSIONS_HOOK, roles.role_permissions)
pre_save.connect(
    publication.refuse_blocked_approval, sender=TaskState, dispatch_uid="lists.publication"
)


class ListRuleViewSet(SnippetViewSet):
    model = ListRule
    icon = "list-ol"
    menu_label = gettext_lazy("红黑榜规则")
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["name", "kind", "scope_level", "version", "is_current", "active"]
    list_filter = ["kind", "is_current", "active"]
    ordering = ["-is_current", "kind", "name", "-version"]
    copy_view_enabled = False


register_snippet(ListRuleViewSet)


@hooks.register("register_admin_urls")
def register_list_urls():
    return [path("red-black-lists/", include(admin_urls, namespace="lists_admin"))]


class ObjectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.may_view_objections(request.user)


class DraftMenuItem(MenuItem):
    def is_shown(self, request):
        return may_draft(request.user)


@hooks.register("register_admin_menu_item")
def register_objections_menu_item():
    return ObjectionsMenuItem(
        gettext_lazy("红黑榜异议"), reverse("lists_admin:queue"), icon_name="warning", order=321
    )


@hooks.register("register_admin_menu_item")
def register_draft_menu_item():
    return DraftMenuItem(
        gettext_lazy("起草红黑榜"), reverse("lists_admin:draft"), icon_name="list-ol", order=322
    )


@hooks.register("register_page_header_buttons")
def notices_button(page, user, view_name=None, next_url=None):
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if (
        isinstance(specific, ListPage)
        and specific.kind == ListRule.Kind.BLACK
        and roles.may_send_notices(user)
    ):
        yield Button(
            _("上榜告知与异议期"),
            reverse("lists_admin:notices", args=[page.pk]),
            icon_name="mail",
            priority=40,
        )


def _publishing(request):
    return "action-publish" in request.POST or (
        request.POST.get("workflow-action-name") == "approve"
    )


@hooks.register("before_edit_page")
def guard_black_list_publication(request, page):
    """Refuse 发布 and 审核通过 of a black list a merchant may still object to, and say why
    whenever such a list is opened in the editor."""
    specific = page.specific
    if not isinstance(specific, ListPage):
        return None
    publishing = request.method == "POST" and _publishing(request)
    if request.method != "GET" and not publishing:
        return None
    reasons = publication.blockers(specific)
    if not reasons:
        return None
    message = _("该黑榜暂不能发布：") + "".join(reasons)
    if not publishing:
        messages.warning(request, message)
        return None
    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)
