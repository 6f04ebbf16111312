"""Who works the objections desk (``home.roles`` gives these permissions to the groups).

编辑 may open the queues and read an objection or a reply; 审核, who may already withdraw a
disclosure, also decides: verifies a licence, upholds or rejects an objection, approves or
rejects a reply, and opens the private files (licence photo, evidence) and the submitter's
name and phone.
"""

from home.roles import EDITOR, REVIEWER

VIEW_PERMISSIONS = ["objections.view_recordobjection", "objections.view_merchantreply"]
DECIDE_PERMISSIONS = ["objections.change_recordobjection", "objections.change_merchantreply"]


def role_permissions():
    return {
        EDITOR: VIEW_PERMISSIONS,
        REVIEWER: [*VIEW_PERMISSIONS, *DECIDE_PERMISSIONS],
    }


def may_view(user):
    return user.is_active and user.has_perms(VIEW_PERMISSIONS)


def may_decide(user):
    return user.is_active and user.has_perms(DECIDE_PERMISSIONS)
