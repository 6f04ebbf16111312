import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from common.reader_preferences import remember_and_return

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """For the load balancer and monitoring: 200 when the database and cache answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure means unhealthy; the reason goes to the log
        logger.exception("Health check: database unreachable")
        checks["database"] = "error"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error"
    except Exception:
        logger.exception("Health check: cache unreachable")
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@cache_control(max_age=3600, public=True)
@require_GET
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@require_GET
def set_text_size(request):
    """No-JavaScript fallback for the large-text switch: set the cookie and go back."""
    size = "large" if request.GET.get("size") == "large" else "normal"
    # Readable by portal.js, which switches the size without a reload.
    return remember_and_return(request, settings.PORTAL_TEXT_SIZE_COOKIE, size, httponly=False)
