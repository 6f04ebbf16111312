"""Wagtail's English rows shown in the admin get Chinese names.

The tree's root page and the root collection are rows, so no catalogue reaches them: the editor
sees "Root" in the explorer, the image and document choosers. Wagtail's "Moderators approval"
workflow and task, retired in 0003, are removed when no page or revision ever used them.
"""

from django.db import migrations

ROOT_TITLE = "网站根目录"
ROOT_COLLECTION = "全部文件"
DEFAULT_WORKFLOW = "Moderators approval"


def use_chinese_names(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    WorkflowState = apps.get_model("wagtailcore.WorkflowState")
    TaskState = apps.get_model("wagtailcore.TaskState")

    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_COLLECTION)
    unused_workflows = Workflow.objects.filter(name=DEFAULT_WORKFLOW, active=False).exclude(
        pk__in=WorkflowState.objects.values("workflow_id")
    )
    unused_workflows.delete()
    Task.objects.filter(name=DEFAULT_WORKFLOW, workflow_tasks__isnull=True).exclude(
        pk__in=TaskState.objects.values("task_id")
    ).delete()


def use_english_names(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    Page.objects.filter(depth=1, title=ROOT_TITLE).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=ROOT_COLLECTION).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [("home", "0006_government_site_marks")]

    operations = [migrations.RunPython(use_chinese_names, use_english_names)]
