"""The bureau's two roles, 编辑 and 审核, and what each may do: one description, kept true.

编辑 registers merchants, imports files, prints posters and QR codes, drafts pages and submits
them for review. 审核 may do all that and also approves and publishes pages (the workflow's
审核发布 task, home/migrations/0003), suspends or removes merchants and withdraws disclosures.

The groups and their page and collection permissions are made here; each app adds the model
permissions of its own admin through the ``register_role_permissions`` hook, a function returning
``{group name: ["app_label.codename", …]}``, so this module names no later app's models.

``ensure_roles`` runs after every ``migrate`` (post_migrate), so a new database, and a database
upgraded to a release whose features need a new permission, get the roles without demo data or
a hand-made group. It only adds: a permission an administrator gives a group stays, but one taken
away from 编辑 or 审核 comes back at the next migrate (a narrower role belongs in a group of its
own).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from wagtail import hooks

EDITOR = "编辑"
REVIEWER = "审核"
ROLE_PERMISSIONS_HOOK = "register_role_permissions"

# Page permissions on the root page, so on every page of every site.
PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page"],
    REVIEWER: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}
# Image and document permissions on the root collection.
COLLECTION_PERMISSIONS = {
    EDITOR: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}
COLLECTION_PERMISSIONS[REVIEWER] = COLLECTION_PERMISSIONS[EDITOR] + [
    "wagtailimages.delete_image",
    "wagtaildocs.delete_document",
]
MODEL_PERMISSIONS = {
    EDITOR: ["wagtailadmin.access_admin"],
    REVIEWER: ["wagtailadmin.access_admin", "home.change_portalsettings"],
}


def role_permissions():
    """``{group: set of "app_label.codename"}``: this module's model permissions and the apps'."""
    granted = {name: set(codenames) for name, codenames in MODEL_PERMISSIONS.items()}
    for contribute in hooks.get_hooks(ROLE_PERMISSIONS_HOOK):
        for name, codenames in contribute().items():
            granted.setdefault(name, set()).update(codenames)
    return granted


def _permissions(names, using):
    """The Permission rows of ``"app_label.codename"`` names; a missing one is an error."""
    from django.contrib.auth.models import Permission

    wanted = {tuple(name.split(".", 1)) for name in names}
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.using(using)
        .filter(codename__in={codename for _label, codename in wanted})
        .select_related("content_type")
    }
    missing = wanted - found.keys()
    if missing:
        raise LookupError("unknown permissions: " + ", ".join(sorted(".".join(m) for m in missing)))
    return [found[key] for key in sorted(wanted)]


def ensure_roles(using="default", **kwargs):
    """Create 编辑 and 审核 if missing and give them every permission their work needs."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.objects.using(using).filter(depth=1).first()
    root_collection = Collection.objects.using(using).filter(depth=1).first()
    if root_page is None or root_collection is None:
        return  # wagtailcore not migrated yet (``migrate`` of a single app)
    granted = role_permissions()
    # Django makes an app's permissions in that app's own post_migrate, which may come later.
    named = [*granted.values(), *COLLECTION_PERMISSIONS.values(), ["wagtailcore.add_page"]]
    for app_label in {name.split(".", 1)[0] for names in named for name in names}:
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, using=using)

    # An app may add a narrower role of its own (e.g. 投诉处理) through the same hook.
    for name in (EDITOR, REVIEWER, *sorted(granted.keys() - {EDITOR, REVIEWER})):
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*_permissions(granted.get(name, ()), using))
        page_permissions = [
            f"wagtailcore.{codename}" for codename in PAGE_PERMISSIONS.get(name, ())
        ]
        for permission in _permissions(page_permissions, using):
            GroupPagePermission.objects.using(using).get_or_create(
                group=group, page=root_page, permission=permission
            )
        for permission in _permissions(COLLECTION_PERMISSIONS.get(name, ()), using):
            GroupCollectionPermission.objects.using(using).get_or_create(
                group=group, collection=root_collection, permission=permission
            )
