"""Admin page: upload a merchant list (CSV or XLSX), check it, import it; download the template."""

from django.utils.translation import gettext_lazy as _

from common.admin_import import AdminImportView

from ..importing.columns import COLUMN_LIST, EXTRA_COLUMNS
from ..tasks import import_uploaded_merchants

# An import both registers new merchants and corrects existing ones.
PERMISSIONS = ("merchants.add_merchant", "merchants.change_merchant")


class MerchantImportView(AdminImportView):
    title = _("导入承诺商家")
    permissions = PERMISSIONS
    forbidden_message = _(
        "您没有新增和修改承诺商家的权限,不能导入。"
        "如需导入,请联系系统管理员开通“承诺商家:新增”和“承诺商家:修改”权限。"
    )
    template_name = "merchants/admin/import.html"
    file_label = _("商家名单文件")
    dry_run_help = _("只检查文件并报告将新建、更新多少商家,不改动任何数据")
    max_upload_mb = 20
    columns = COLUMN_LIST + EXTRA_COLUMNS
    sample_file_name = "承诺商家导入模板.csv"
    sample_columns = COLUMN_LIST
    kind = "merchants"
    task = import_uploaded_merchants


index = MerchantImportView.as_view()
