"""One admin import page for every app: permission check, sample-file download, upload, report.

An app subclasses ``AdminImportView`` with its title, permissions, texts and columns (the sample
CSV is built from them), says how to run its importer, and gives a template that extends
``home/admin/import.html`` with what its report and file requirements look like.
"""

from urllib.parse import quote

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import tabular


class ImportForm(forms.Form):
    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))
    dry_run = forms.BooleanField(label=gettext_lazy("仅检查,不写入"), required=False)

    def __init__(self, *args, file_label, dry_run_help, max_upload_mb, too_large_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_upload_mb = max_upload_mb
        self.too_large_message = too_large_message
        self.fields["file"].label = file_label
        self.fields["file"].help_text = _(
            "CSV(UTF-8、带BOM的UTF-8或GB18030编码)或Excel工作簿(.xlsx),不超过%(size)dMB"
        ) % {"size": max_upload_mb}
        self.fields["dry_run"].help_text = dry_run_help

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_upload_mb * 1024 * 1024:
            raise forms.ValidationError(self.too_large_message % {"size": self.max_upload_mb})
        return upload


class AdminImportView(View):
    """Subclasses set the attributes below and implement ``run_import``."""

    title = ""
    permissions = ()  # all of them, or the page answers 403
    forbidden_message = ""
    template_name = ""  # extends home/admin/import.html
    file_label = ""
    dry_run_help = ""
    max_upload_mb = 20
    too_large_message = gettext_lazy("文件超过%(size)dMB,请拆分后分批导入")
    columns = ()  # the column table under the form: objects with label, field, required
    sample_file_name = ""  # the downloadable import template (导入模板)
    sample_columns = ()  # its columns, in file order

    def run_import(self, upload, *, dry_run, user):
        """Import the uploaded file; return a report with ``refused`` and ``headline``."""
        raise NotImplementedError

    def sample_csv(self):
        """The import template's bytes: headers and an example row."""
        return tabular.sample_csv(self.sample_columns)

    def extra_context(self, report):
        """What else the app's template shows; ``report`` is None before an upload."""
        return {}

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's own permission_denied() redirects to the dashboard; a plain 403 is clearer here.
        if not request.user.has_perms(self.permissions):
            return TemplateResponse(
                request,
                "home/admin/import_forbidden.html",
                {"title": self.title, "message": self.forbidden_message},
                status=403,
            )
        if request.GET.get("template") == "csv":
            return self.sample_download()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(request, self.get_form())

    def post(self, request):
        form = self.get_form(request.POST, request.FILES)
        report = None
        if form.is_valid():
            report = self.run_import(
                form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], user=request.user
            )
        return self.render(request, form, report)

    def get_form(self, *args):
        return ImportForm(
            *args,
            file_label=self.file_label,
            dry_run_help=self.dry_run_help,
            max_upload_mb=self.max_upload_mb,
            too_large_message=self.too_large_message,
        )

    def sample_download(self):
        response = HttpResponse(self.sample_csv(), content_type="text/csv; charset=utf-8")
        disposition = f"attachment; filename*=UTF-8''{quote(self.sample_file_name)}"
        response["Content-Disposition"] = disposition
        return response

    def render(self, request, form, report=None):
        context = {"title": self.title, "form": form, "report": report, "columns": self.columns}
        context.update(self.extra_context(report))
        return TemplateResponse(request, self.template_name, context)
