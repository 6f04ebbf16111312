"""Admin page: upload a merchant list (CSV or XLSX), check it, import it; download the template."""

from django.utils.translation import gettext_lazy as _

from common.admin_import import AdminImportView

from ..importing.columns import COLUMN_SET
from ..models import Merchant
from ..tasks import import_uploaded_merchants


class MerchantImportView(AdminImportView):
    title = _("导入承诺商家")
    model = Merchant
    template_name = "merchants/admin/import.html"
    file_label = _("商家名单文件")
    dry_run_help = _("只检查文件并报告将新建、更新多少商家，不改动任何数据")
    add_missing_label = _("添加缺少的类别和商圈")
    add_missing_help = _(
        "文件中的行业类别、所属商圈在后台没有时，随本次导入一并添加（商圈添加到该行的行政区划下）；"
        "文件未导入则不添加。不勾选时，这些名称列为错误。"
    )
    max_upload_mb = 20
    column_set = COLUMN_SET
    sample_file_name = "承诺商家导入模板.csv"
    kind = "merchants"
    task = import_uploaded_merchants


index = MerchantImportView.as_view()
