"""Public disclosure URLs."""

from django.urls import path

from .views import export, records, search, stats

app_name = "disclosures"

urlpatterns = [
    path("disclosures/", search.search_page, name="search"),
    path("disclosures/export.csv", export.export_csv, name="export"),
    path("disclosures/stats/", stats.stats_page, name="stats"),
    path("disclosures/merchants/<str:credit_code>/", records.merchant_records, name="merchant"),
    # Last: a complaint number is whatever the bureau issued, slashes included.
    path("disclosures/<path:complaint_number>/", records.record_page, name="record"),
]
