"""The disclosure admin form: 编辑 record objections, 审核 withdraw records."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .roles import WITHDRAWN, may_withdraw


class DisclosureAdminForm(WagtailAdminModelForm):
    """Without ``disclosures.withdraw_disclosure``: no 已撤回 among the objection states, and a
    withdrawn record's state is shown but cannot be changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("objection_state")
        if field is None or self.for_user is None or may_withdraw(self.for_user):
            return
        if self.instance.objection_state == WITHDRAWN:
            field.disabled = True  # the stored state is kept whatever is posted
        else:
            field.choices = [c for c in field.choices if c[0] != WITHDRAWN]
        field.help_text = _("撤回公示或恢复已撤回的记录须由审核人员操作。")
