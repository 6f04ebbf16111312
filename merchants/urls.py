"""Public merchant URLs: the scan page of 一企一码, its QR images and poster, the directory."""

from django.urls import path

from .views import directory, qr, scan

app_name = "merchants"

urlpatterns = [
    path("m/<str:code>/", scan.scan_page, name="scan"),
    path("m/<str:code>/qr.png", qr.qr_png, name="qr_png"),
    path("m/<str:code>/qr.svg", qr.qr_svg, name="qr_svg"),
    path("m/<str:code>/poster/", qr.poster, name="poster"),
    path("merchants/", directory.directory, name="directory"),
    path("merchants/districts/<int:pk>/", directory.district, name="district"),
]
