"""Public disclosure URLs."""

from django.urls import path

from .views import records

app_name = "disclosures"

urlpatterns = [
    path("disclosures/merchants/<str:credit_code>/", records.merchant_records, name="merchant"),
]
