"""Models every app builds on: editable reference data, the shape of an import's record, and
the jobs of admin imports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class NamedReference(models.Model):
    """Editable reference data: an editor adds a case type or a pledge type without a release."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ImportRecord(models.Model):
    """What every record of an import keeps about it: the file's name, who sent it, and when its
    import started and ended. An admin upload's job (``ImportJob``) and an app's own record of
    each run (``disclosures.ImportBatch``) are both one."""

    file_name = models.CharField(_("文件名"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True


class ImportJob(ImportRecord):
    """A file uploaded on an admin import page, waiting for or going through its import.

    The import runs as a background task (``common.import_jobs``), not inside the web request: the
    upload waits in a private folder, the task records its progress here, and the page the
    editor is sent to shows it and, once done, the import's report (``outcome``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        FINISHED = "finished", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("导入类别"), max_length=30)  # the import page: merchants, disclosures
    # Where the upload waits, under IMPORT_WORK_DIR/uploads; blank once the task has removed it.
    stored_name = models.CharField(max_length=100, blank=True)
    dry_run = models.BooleanField(_("仅检查"), default=False)
    # The upload page's 添加缺少的类别和商圈: names the file uses and the reference data lacks
    # are added in the import's transaction.
    add_missing = models.BooleanField(_("添加缺少的名称"), default=False)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("阶段"), max_length=20, blank=True)  # as the importer reports it
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    # host:pid of the process running the import, to tell a killed one from a slow one.
    worker = models.CharField(max_length=100, blank=True)
    outcome = models.JSONField(_("结果"), default=dict, blank=True)

    class Meta:
        # Created by home's migration 0004; the table kept its name when the model moved here.
        db_table = "home_importjob"
        ordering = ["-created_at"]
        verbose_name = _("上传导入任务")
        verbose_name_plural = _("上传导入任务")

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
