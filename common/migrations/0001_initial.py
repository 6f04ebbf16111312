# The import job moved from home to the ground floor; its table (home_importjob) stays.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0004_import_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=30, verbose_name="导入类别")),
                        ("file_name", models.CharField(max_length=255, verbose_name="文件名")),
                        ("stored_name", models.CharField(blank=True, max_length=100)),
                        ("dry_run", models.BooleanField(default=False, verbose_name="仅检查")),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="上传时间"
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="开始时间"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="完成时间"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "排队中"),
                                    ("running", "导入中"),
                                    ("finished", "已完成"),
                                    ("failed", "失败"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="状态",
                            ),
                        ),
                        ("phase", models.CharField(blank=True, max_length=20, verbose_name="阶段")),
                        (
                            "rows_done",
                            models.PositiveIntegerField(default=0, verbose_name="已处理行数"),
                        ),
                        ("worker", models.CharField(blank=True, max_length=100)),
                        (
                            "outcome",
                            models.JSONField(blank=True, default=dict, verbose_name="结果"),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="导入人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "上传导入任务",
                        "verbose_name_plural": "上传导入任务",
                        "db_table": "home_importjob",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
