"""/api/v1/: the open-data API."""

from django.urls import path

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
]
