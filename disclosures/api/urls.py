"""/api/v1/: the open-data API."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.openapi, name="openapi"),
    path("openapi.json", views.openapi, name="openapi_json"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("merchants/", views.merchants, name="merchants"),
    path("merchants/<str:credit_code>/", views.merchant_detail, name="merchant"),
    path(
        "merchants/<str:credit_code>/disclosures/",
        views.merchant_disclosures,
        name="merchant_disclosures",
    ),
    # Last: any other address ending in a slash is a JSON 404, not the site's HTML page. One
    # without the slash still gets CommonMiddleware's redirect to the address with it.
    re_path(r"^(?P<path>.*/)$", views.not_found, name="not_found"),
]
