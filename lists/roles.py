"""Who does what with the red/black list (``home.roles`` gives these permissions to the groups).

编辑 drafts the lists (page permission to add under /lists/), sends a black list's notices and
reads the objections; 审核 decides them (``lists.change_entryobjection``), as it approves the
lists' publication.
"""

from home.roles import EDITOR, REVIEWER

VIEW_OBJECTIONS = "lists.view_entryobjection"
DECIDE_OBJECTIONS = "lists.change_entryobjection"
SEND_NOTICES = "lists.add_listnotice"


def role_permissions():
    both = [VIEW_OBJECTIONS, SEND_NOTICES, "lists.view_listnotice"]
    return {EDITOR: both, REVIEWER: [*both, DECIDE_OBJECTIONS]}


def may_view_objections(user):
    return user.is_active and user.has_perm(VIEW_OBJECTIONS)


def may_decide(user):
    return user.is_active and user.has_perm(DECIDE_OBJECTIONS)


def may_send_notices(user):
    return user.is_active and user.has_perm(SEND_NOTICES)
