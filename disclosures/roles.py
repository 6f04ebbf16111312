"""What 编辑 and 审核 may do with disclosed complaints (``home.roles`` gives it to the groups).

编辑 import files (an import adds and corrects records: add and change) and record an objection
(经营者提出异议, 已更正). Withdrawing a record from public view (已撤回), or putting a withdrawn
one back, is 审核's: ``disclosures.withdraw_disclosure``. 审核 also keep the reference data.
"""

from home.roles import EDITOR, REVIEWER

from .models import Disclosure

WITHDRAW_PERMISSION = "disclosures.withdraw_disclosure"
WITHDRAWN = Disclosure.ObjectionState.WITHDRAWN

RECORDS = ["disclosures.add_disclosure", "disclosures.change_disclosure"]
REFERENCE_DATA = [
    f"disclosures.{action}_{model}"
    for model in ("complaintcategory", "problemtype", "handlingresult")
    for action in ("add", "change", "delete")
]


def role_permissions():
    return {EDITOR: RECORDS, REVIEWER: [*RECORDS, WITHDRAW_PERMISSION, *REFERENCE_DATA]}


def may_withdraw(user):
    return user.has_perm(WITHDRAW_PERMISSION)
