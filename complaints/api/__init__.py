"""/api/v1/complaints: intake (POST, ``intake``) and tracking (GET, ``tracking``) for the
WeChat mini-program, mounted on the open-data API's NinjaAPI so both share its document.

The open-data API imports no app: it mounts this router because ``ComplaintsConfig.api_routers``
names it, and lets through the methods its operations declare. The intake's paths name
``complaints`` themselves: under a prefix, ninja would make the intake's own address
/complaints/ with a slash.
"""

from django.utils.translation import gettext_lazy
from ninja import Router

from .intake import router as intake_router
from .tracking import router as tracking_router

# The heading of the documentation page's group.
COMPLAINTS_TAG = gettext_lazy("扫码投诉")

router = Router(tags=[COMPLAINTS_TAG])
router.add_router("", intake_router)
router.add_router("complaints", tracking_router)
