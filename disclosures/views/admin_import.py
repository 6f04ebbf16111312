"""Admin page: upload a disclosure file (CSV or XLSX), check or import it; download the template."""

from urllib.parse import quote

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..importing import import_disclosures
from ..importing.columns import COLUMN_LIST
from ..importing.template import FILENAME, template_csv
from ..importing.validation import default_display_days

MAX_UPLOAD_MB = 50
# The page shows this many bad rows; the command line lists more, the batch keeps 500.
MAX_SHOWN_ERRORS = 500
# An import both adds records and corrects existing ones.
PERMISSIONS = ("disclosures.add_disclosure", "disclosures.change_disclosure")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("投诉公示文件"),
        help_text=gettext_lazy(
            "CSV(UTF-8、带BOM的UTF-8或GB18030编码)或Excel工作簿(.xlsx),不超过50MB"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("仅检查,不写入"),
        required=False,
        help_text=gettext_lazy("只检查文件并报告将新增、更新多少条记录,不改动任何数据"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("文件超过%(size)dMB,请拆分后分批导入,或由系统管理员在服务器上用命令导入")
                % {"size": MAX_UPLOAD_MB}
            )
        return upload


def _template_download():
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(FILENAME)}"
    return response


def index(request):
    # Wagtail's own permission_denied() redirects to the dashboard; a plain 403 is clearer here.
    if not request.user.has_perms(PERMISSIONS):
        return TemplateResponse(request, "disclosures/admin/import_forbidden.html", status=403)
    if request.GET.get("template") == "csv":
        return _template_download()
    report = None
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_disclosures(
            upload,
            dry_run=form.cleaned_data["dry_run"],
            user=request.user,
            file_name=upload.name,
        )
    return TemplateResponse(
        request,
        "disclosures/admin/import.html",
        {
            "form": form,
            "report": report,
            "shown_errors": report.errors[:MAX_SHOWN_ERRORS] if report else [],
            "more_errors": max(0, report.error_count - MAX_SHOWN_ERRORS) if report else 0,
            "columns": COLUMN_LIST,
            "default_display_days": default_display_days(),
            "max_upload_mb": MAX_UPLOAD_MB,
        },
    )
