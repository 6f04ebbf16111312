"""An import may not do what its user may not do in the form: suspend, remove or reinstate.

A county's list can say 暂停 or 撤销 for a merchant; imported by 编辑, such a row is an error
naming the merchant, and the whole file is refused like any other bad row, so that the change
goes through 审核. The command line without ``--user`` is the operator's and is not limited.
"""

from django.utils.translation import gettext as _

from common.import_cells import RowError

from ..models import Merchant
from ..roles import changes_standing, may_change_standing


def standing_errors(plan, user):
    """A RowError for each merchant whose standing ``plan`` changes and ``user`` may not."""
    if user is None or may_change_standing(user):
        return []
    errors = []
    for item in plan.items:
        after = item.changes.get("registry_status")
        before = item.merchant.registry_status if item.merchant else None
        if after is None or not changes_standing(before, after):
            continue
        record = item.record
        errors.append(
            RowError(
                record.given_on.get("registry_status", record.line),
                _("“%(name)s”的状态将改为“%(status)s”：暂停、摘牌或恢复商家须由审核人员操作")
                % {
                    "name": item.merchant
                    or record.fields.get("registered_name", record.credit_code),
                    "status": Merchant.RegistryStatus(after).label,
                },
            )
        )
    return sorted(errors, key=lambda error: error.line)


def refuse_standing_changes(report, plan, user):
    """Put the standing errors of ``plan`` into ``report``; whether there were any."""
    errors = standing_errors(plan, user)
    if errors:
        report.errors = errors
        report.error_count = len({error.line for error in errors})
    return bool(errors)
