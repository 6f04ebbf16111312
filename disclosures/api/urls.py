"""/api/v1/: the open-data API's addresses (ninja's, ``api.api``), each GET and HEAD only."""

from django.urls import URLPattern, re_path

from .api import api, reading_only, unknown_address

app_name = "api"

ninja_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    URLPattern(pattern.pattern, reading_only(pattern.callback), pattern.default_args, pattern.name)
    for pattern in ninja_patterns
] + [
    # Last: any other address ending in a slash is a JSON 404, not the site's HTML page. One
    # without the slash still gets CommonMiddleware's redirect to the address with it.
    re_path(r"^(?P<path>.*/)$", reading_only(unknown_address), name="not_found"),
]
