"""Wagtail admin for complaint disclosure: the records, their reference data, the import batches.

Records arrive by import only, so there is no add view; an editor's job on a record is its
objection state (异议 / 更正 / 撤回), and the other fields are shown read-only. Import batches
are a read-only log.
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from common import regions
from common.viewsets import NamedReferenceViewSet
from merchants.models import Region

from .forms import DisclosureAdminForm
from .models import ComplaintCategory, Disclosure, HandlingResult, ImportBatch, ProblemType
from .scrubbing import describe_counts


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Disclosures are created by import only (the import page checks its own permissions)."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Import batches are a record of what happened: they can be looked at, never changed.

    Whoever may import disclosures may see the batches.
    """

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, "view") or user.has_perm(
            "disclosures.add_disclosure"
        )


def city_choices():
    return list(Region.objects.filter(level=regions.CITY).values_list("code", "name"))


class DisclosureFilterSet(WagtailFilterSet):
    city = django_filters.ChoiceFilter(
        label=_("地市"), field_name="city_code", choices=city_choices
    )

    class Meta:
        model = Disclosure
        fields = ["category", "problem_type", "result", "objection_state"]


READ_ONLY_FIELDS = [
    "complaint_number",
    "respondent_name",
    "credit_code",
    "region",
    "respondent_address",
    "category",
    "problem_type",
    "summary",
    "consumer_request",
    "complained_on",
    "handling_department",
    "result",
    "closed_on",
    "recovered_amount",
    "disclosed_on",
    "display_until",
    "merchant",
]


class DisclosureViewSet(SnippetViewSet):
    model = Disclosure
    icon = "doc-full"
    menu_label = _("公示投诉")
    list_display = [
        "complaint_number",
        "respondent_name",
        "category",
        "result",
        "complained_on",
        "display_until",
        "objection_state",
    ]
    filterset_class = DisclosureFilterSet
    search_fields = ["complaint_number", "respondent_name"]
    search_backend_name = None  # plain look-ups: exact numbers and name fragments
    list_per_page = 50
    copy_view_enabled = False
    panels = [
        FieldPanel("objection_state"),
        MultiFieldPanel(
            [FieldPanel(name, read_only=True) for name in READ_ONLY_FIELDS],
            heading=_("公示内容（由导入文件维护，如需更正请修改文件后重新导入）"),
        ),
    ]

    def get_queryset(self, request):
        return Disclosure.objects.select_related("category", "result")

    def get_edit_handler(self):
        # The panels above, in a form that keeps 编辑 from withdrawing a record (roles.py).
        edit_handler = ObjectList(self.panels, base_form_class=DisclosureAdminForm)
        return edit_handler.bind_to_model(self.model)


class ComplaintCategoryViewSet(NamedReferenceViewSet):
    model = ComplaintCategory
    icon = "tag"
    list_display = ["name", "kind", "sort_order"]


class ProblemTypeViewSet(NamedReferenceViewSet):
    model = ProblemType
    icon = "help"


class HandlingResultViewSet(NamedReferenceViewSet):
    model = HandlingResult
    icon = "tick-inverse"
    list_display = ["name", "is_mediation_success", "counts_as_mediated", "sort_order"]


def _started(batch):
    return timezone.localtime(batch.started_at).strftime("%Y-%m-%d %H:%M")


def _counts(batch):
    if batch.status == ImportBatch.Status.REFUSED:
        return _("%(rows)d行，%(errors)d行有误") % {"rows": batch.rows, "errors": batch.error_count}
    return _("%(rows)d行：新增%(created)d，更新%(updated)d，未变%(unchanged)d") % {
        "rows": batch.rows,
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
    }


class ImportBatchViewSet(SnippetViewSet):
    model = ImportBatch
    icon = "list-ul"
    menu_label = _("导入批次")
    list_display = [
        "file_name",
        Column("uploaded_by", label=_("导入人"), accessor=lambda b: b.uploaded_by or "—"),
        Column("started_at", label=_("开始时间"), accessor=_started),
        Column("status", label=_("状态"), accessor=lambda b: b.get_status_display()),
        Column("counts", label=_("数据行数"), accessor=_counts),
        Column("masked", label=_("脱敏统计"), accessor=lambda b: describe_counts(b.masked)),
    ]
    list_filter = ["status"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return ImportBatch.objects.select_related("uploaded_by")


class DisclosureGroup(SnippetViewSetGroup):
    menu_label = _("投诉公示")
    menu_icon = "folder-open-inverse"
    menu_order = 240
    submenu_hook = "register_disclosures_menu_item"  # the import page joins this menu
    items = (
        DisclosureViewSet,
        ComplaintCategoryViewSet,
        ProblemTypeViewSet,
        HandlingResultViewSet,
        ImportBatchViewSet,
    )
