"""/api/v1/complaints: intake (POST, ``intake``) and tracking (GET, ``tracking``) for the
WeChat mini-program, mounted on the open-data API's NinjaAPI so both share its document."""

from ninja import Router

from .intake import router as intake_router
from .tracking import router as tracking_router

router = Router(tags=["complaints"])
router.add_router("", intake_router)
router.add_router("", tracking_router)
