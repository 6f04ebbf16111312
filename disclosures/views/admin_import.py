"""Admin page: upload a disclosure file (CSV or XLSX), check or import it; download the template."""

from django.utils.translation import gettext_lazy as _

from common.admin_import import AdminImportView, import_permissions

from ..importing import recover_interrupted_imports
from ..importing.columns import COLUMN_SET
from ..importing.validation import default_display_days
from ..models import Disclosure
from ..tasks import import_uploaded_disclosures

PERMISSIONS = import_permissions(Disclosure)  # also who sees the menu item


class DisclosureImportView(AdminImportView):
    title = _("导入投诉公示")
    model = Disclosure
    template_name = "disclosures/admin/import.html"
    file_label = _("投诉公示文件")
    dry_run_help = _("只检查文件并报告将新增、更新多少条记录，不改动任何数据")
    add_missing_label = _("添加缺少的类别")
    add_missing_help = _(
        "文件中的商品或服务类别在后台没有时，随本次导入一并添加；文件未导入则不添加。"
        "不勾选时，这些名称列为错误。投诉问题类型和处理结果须先在后台添加。"
    )
    max_upload_mb = 50
    too_large_message = _(
        "文件超过%(size)dMB，请拆分后分批导入，或由系统管理员在服务器上用命令导入"
    )
    column_set = COLUMN_SET
    sample_file_name = "投诉公示导入模板.csv"
    kind = "disclosures"
    task = import_uploaded_disclosures

    def get(self, request):
        # An import killed since the last look (a restart, kill -9) is put right before the
        # editor reads its state: its batch shows as failed, its pending rows are gone.
        recover_interrupted_imports()
        return super().get(request)

    def extra_context(self, report):
        return {"default_display_days": default_display_days()}


index = DisclosureImportView.as_view()
