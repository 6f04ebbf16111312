"""Who handles complaints (``home.roles`` gives these permissions to the groups).

投诉处理 is a role of its own: its members handle complaints (``complaints.handle_complaint``)
and may open a complainant's name, phone and photos (``complaints.view_personal_data``, each
view logged). Which complaints a member sees is decided by the units (承办单位) they belong to:
their units' and those of the units under them. 审核 keeps the desk's reference data: the
units, the reason templates, the working-day overrides and the time-limit policy; 审核 sees no
complaint unless also in 投诉处理 and a unit's member.
"""

from home.roles import REVIEWER

HANDLER = "投诉处理"
HANDLE_PERMISSION = "complaints.handle_complaint"
PERSONAL_DATA_PERMISSION = "complaints.view_personal_data"

REFERENCE_DATA = [
    f"complaints.{action}_{model}"
    for model in ("unit", "refusaltemplate", "workdayoverride")
    for action in ("add", "change", "delete", "view")
]


def role_permissions():
    return {
        HANDLER: ["wagtailadmin.access_admin", HANDLE_PERMISSION, PERSONAL_DATA_PERMISSION],
        REVIEWER: [*REFERENCE_DATA, "complaints.change_handlingpolicy"],
    }


def may_handle(user):
    return user.is_active and user.has_perm(HANDLE_PERMISSION)


def may_view_personal_data(user):
    return user.is_active and user.has_perm(PERSONAL_DATA_PERMISSION)
