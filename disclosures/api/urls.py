"""/api/v1/: the open-data API's addresses (ninja's, ``api.api``), each answering only the methods
its operations declare: GET and HEAD for every read, and what a later app's router declares (the
complaint intake's POST)."""

from django.urls import URLPattern, re_path

from .api import (
    READ,
    answering_only,
    api,
    declared_methods,
    mount_app_routers,
    reading_only,
    unknown_address,
)

app_name = "api"

mount_app_routers()
ninja_patterns, _app_name, _namespace = api.urls
methods = declared_methods()

urlpatterns = [
    URLPattern(
        pattern.pattern,
        answering_only(pattern.callback, methods.get(str(pattern.pattern), READ)),
        pattern.default_args,
        pattern.name,
    )
    for pattern in ninja_patterns
] + [
    # Last: any other address ending in a slash is a JSON 404, not the site's HTML page. One
    # without the slash still gets CommonMiddleware's redirect to the address with it.
    re_path(r"^(?P<path>.*/)$", reading_only(unknown_address), name="not_found"),
]
