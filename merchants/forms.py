"""The merchant admin form: 编辑 see and set only the statuses their role allows."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .roles import STANDING_FIELDS, WITHDRAWN, may_change_standing


class MerchantAdminForm(WagtailAdminModelForm):
    """Without ``merchants.suspend_merchant``: 待审核 and 已公示 only; the standing of a
    suspended or removed merchant is shown but cannot be changed (the rest of it can)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is None or may_change_standing(self.for_user):
            return
        withdrawn = self.instance.pk is not None and self.instance.registry_status in WITHDRAWN
        for name in STANDING_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            if name == "registry_status" and not withdrawn:
                field.choices = [c for c in field.choices if c[0] not in WITHDRAWN]
            else:
                # A disabled field keeps the stored value whatever is posted.
                field.disabled = True
            if name == "registry_status":
                field.help_text = _("暂停、摘牌或恢复商家须由审核人员操作。")
