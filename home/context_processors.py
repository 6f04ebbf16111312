from django.conf import settings


def reader_preferences(request):
    """The large-text mode (适老化) a reader chose, remembered in a cookie across visits."""
    return {
        "large_text": request.COOKIES.get(settings.PORTAL_TEXT_SIZE_COOKIE) == "large",
        "portal_base_url": settings.PORTAL_BASE_URL,
    }
