"""The bureau's publishing set-up: groups 编辑 and 审核 and the workflow 编辑提交 → 审核发布.

Editors draft and submit; reviewers approve, which publishes (or schedules, with go_live_at).
Wagtail's English default groups and workflow are replaced so the admin shows one clear path.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "编辑"
REVIEWER_GROUP = "审核"
WORKFLOW_NAME = "编辑提交 → 审核发布"
TASK_NAME = "审核发布"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]
REVIEWER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image", "delete_image"]),
    (
        "wagtaildocs",
        "document",
        ["add_document", "change_document", "choose_document", "delete_document"],
    ),
]
REVIEWER_MODEL_PERMISSIONS = [
    ("editorial", codename)
    for model in ("audience", "seasonevent", "casetype")
    for codename in (f"add_{model}", f"change_{model}", f"delete_{model}")
] + [("home", "change_portalsettings")]


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_publishing_setup(apps, schema_editor):
    # Model permissions are normally created after all migrations; we need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    access_admin = _permission(apps, "wagtailadmin", "access_admin")

    def make_group(name, page_codenames, collection_perms, model_perms):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for app_label, codename in model_perms:
            group.permissions.add(_permission(apps, app_label, codename))
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission(apps, "wagtailcore", codename)
            )
        for app_label, _model, codenames in collection_perms:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, codename),
                )
        return group

    make_group(EDITOR_GROUP, EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS, [])
    reviewers = make_group(
        REVIEWER_GROUP,
        REVIEWER_PAGE_PERMISSIONS,
        REVIEWER_COLLECTION_PERMISSIONS,
        REVIEWER_MODEL_PERMISSIONS,
    )

    # Retire Wagtail's English defaults (only while nobody uses them).
    WorkflowPage.objects.filter(page=root_page).delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def remove_publishing_setup(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Group.objects.filter(name__in=[EDITOR_GROUP, REVIEWER_GROUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_create_homepage"),
        ("editorial", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "__latest__"),
        ("wagtaildocs", "__latest__"),
        ("wagtailadmin", "__latest__"),
    ]

    operations = [migrations.RunPython(create_publishing_setup, remove_publishing_setup)]
