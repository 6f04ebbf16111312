"""What 编辑 and 审核 may do in the registry (``home.roles`` gives it to the groups).

编辑 register merchants and correct them, import lists and print posters and QR codes (all of
which need add and change). A merchant's standing is 审核's: suspending it (已暂停), removing it
(已摘牌) or reinstating one of those, in the admin form or through an import, needs
``merchants.suspend_merchant``. 审核 also keep the registry's reference data.
"""

from home.roles import EDITOR, REVIEWER

from .models import Merchant

SUSPEND_PERMISSION = "merchants.suspend_merchant"
# The statuses only a holder of SUSPEND_PERMISSION may give or take away.
WITHDRAWN = (Merchant.RegistryStatus.SUSPENDED, Merchant.RegistryStatus.REMOVED)
# The form fields that make up a merchant's standing.
STANDING_FIELDS = ("registry_status", "status_changed_on", "status_reason")

REGISTRY = ["merchants.add_merchant", "merchants.change_merchant", "merchants.view_merchant"]
REFERENCE_DATA = [
    f"merchants.{action}_{model}"
    for model in ("businesscategory", "businessdistrict", "pledgetype")
    for action in ("add", "change", "delete")
]


def role_permissions():
    return {EDITOR: REGISTRY, REVIEWER: [*REGISTRY, SUSPEND_PERMISSION, *REFERENCE_DATA]}


def may_change_standing(user):
    return user.has_perm(SUSPEND_PERMISSION)


def changes_standing(before, after):
    """Whether going from status ``before`` (None: a new merchant) to ``after`` needs 审核."""
    return before != after and (before in WITHDRAWN or after in WITHDRAWN)
