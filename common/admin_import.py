"""One admin import page for every app: permission check, sample-file download, upload, report.

An app subclasses ``AdminImportView`` with its title, model, texts and file format (the column
table and the sample CSV are built from it), names the background task that runs its importer
on an uploaded file, and gives a template that extends ``common/admin/import.html`` with what
its report and file requirements look like.

An upload is not imported inside the request: it is saved, its task queued (``import_jobs``),
and the editor sent to ``?job=<id>`` on the same page, which shows the import's progress,
reloading itself while the job runs, and then its report above the upload form.
"""

from urllib.parse import quote

from django import forms
from django.contrib.auth import get_permission_codename
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import import_jobs, tabular
from .models import ImportJob

# While a job runs its page reloads this often (a meta refresh: no script on the page).
REFRESH_SECONDS = 2
# A job queued this long has no worker taking it: the page says what to check.
STALLED_QUEUE_SECONDS = 60
PHASES = {"check": gettext_lazy("正在检查"), "write": gettext_lazy("正在写入")}


def import_permissions(model):
    """An import both adds records and corrects existing ones: it needs both permissions."""
    options = model._meta
    return tuple(
        f"{options.app_label}.{get_permission_codename(action, options)}"
        for action in ("add", "change")
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
        # The same words as the importer's, for a file of no bytes at all.
        error_messages={"empty": gettext_lazy("文件是空的，请检查是否选错了文件")},
    )
    dry_run = forms.BooleanField(label=gettext_lazy("仅检查，不写入"), required=False)
    add_missing = forms.BooleanField(required=False)

    def __init__(
        self,
        *args,
        file_label,
        dry_run_help,
        max_upload_mb,
        too_large_message,
        add_missing_label,
        add_missing_help,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["add_missing"].label = add_missing_label
        self.fields["add_missing"].help_text = add_missing_help
        self.max_upload_mb = max_upload_mb
        self.too_large_message = too_large_message
        self.fields["file"].label = file_label
        self.fields["file"].help_text = _(
            "CSV（UTF-8、带BOM的UTF-8或GB18030编码）或Excel工作簿（.xlsx），不超过%(size)dMB"
        ) % {"size": max_upload_mb}
        self.fields["dry_run"].help_text = dry_run_help

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_upload_mb * 1024 * 1024:
            raise forms.ValidationError(self.too_large_message % {"size": self.max_upload_mb})
        return upload


class AdminImportView(View):
    """Subclasses set the attributes below."""

    title = ""
    model = None  # what the import adds and corrects: without both permissions, a 403
    template_name = ""  # extends common/admin/import.html
    file_label = ""
    dry_run_help = ""
    # The checkbox that adds the names a file uses and the reference data lacks (--add-missing).
    add_missing_label = gettext_lazy("添加缺少的类别")
    add_missing_help = ""
    max_upload_mb = 20
    too_large_message = gettext_lazy("文件超过%(size)dMB，请拆分后分批导入")
    # The file format (``tabular.ColumnSet``): every column is listed under the form, the
    # template's columns make the downloadable import template (导入模板).
    column_set = None
    sample_file_name = ""
    kind = ""  # ImportJob.kind of this page's uploads
    task = None  # the django_tasks task that imports an upload, given its ImportJob's id

    def sample_csv(self):
        """The import template's bytes: headers and an example row."""
        return tabular.sample_csv(self.column_set.template_columns)

    def extra_context(self, report):
        """What else the app's template shows; ``report`` is the finished job's outcome or None."""
        return {}

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's own permission_denied() redirects to the dashboard; a plain 403 is clearer here.
        if not request.user.has_perms(import_permissions(self.model)):
            return TemplateResponse(
                request,
                "common/admin/import_forbidden.html",
                {"title": self.title, "message": self.forbidden_message()},
                status=403,
            )
        if request.GET.get("template") == "csv":
            return self.sample_download()
        return super().dispatch(request, *args, **kwargs)

    def forbidden_message(self):
        name = self.model._meta.verbose_name
        return _(
            "您没有新增和修改%(name)s的权限，不能导入。"
            "如需导入，请联系系统管理员开通“%(name)s：新增”和“%(name)s：修改”权限。"
        ) % {"name": name}

    def get(self, request):
        return self.render(request, self.get_form(), self.get_job(request))

    def post(self, request):
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form)
        job = import_jobs.create_job(
            self.kind,
            form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            add_missing=form.cleaned_data["add_missing"],
            user=request.user,
        )
        self.task.enqueue(job.pk)
        return redirect(f"{request.path}?job={job.pk}")

    def get_job(self, request):
        """The job named by ``?job=``, or None; 404 for one of another page or none at all."""
        value = request.GET.get("job")
        if value is None:
            return None
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            raise Http404
        job = ImportJob.objects.filter(kind=self.kind, pk=int(value)).first()
        if job is None:
            raise Http404
        return import_jobs.fail_abandoned(job)

    def get_form(self, *args):
        return ImportForm(
            *args,
            file_label=self.file_label,
            dry_run_help=self.dry_run_help,
            max_upload_mb=self.max_upload_mb,
            too_large_message=self.too_large_message,
            add_missing_label=self.add_missing_label,
            add_missing_help=self.add_missing_help,
        )

    def sample_download(self):
        response = HttpResponse(self.sample_csv(), content_type="text/csv; charset=utf-8")
        disposition = f"attachment; filename*=UTF-8''{quote(self.sample_file_name)}"
        response["Content-Disposition"] = disposition
        return response

    def render(self, request, form, job=None):
        report = job.outcome if job and not job.in_progress else None
        context = {
            "title": self.title,
            "form": form,
            "job": job,
            "report": report,
            "columns": list(self.column_set.by_field.values()),
            "refresh_seconds": REFRESH_SECONDS,
            "limits": tabular.Limits.from_settings(),
        }
        if job and job.in_progress:
            context["phase"] = PHASES.get(job.phase, _("正在导入"))
            waited = (timezone.now() - job.created_at).total_seconds()
            context["stalled"] = (
                job.status == ImportJob.Status.QUEUED and waited > STALLED_QUEUE_SECONDS
            )
        context.update(self.extra_context(report))
        return TemplateResponse(request, self.template_name, context)
