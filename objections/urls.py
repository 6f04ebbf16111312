"""A merchant's objection to a disclosed record and its reply (outside /disclosures/, whose
last pattern takes every path as a complaint number)."""

from django.urls import path

from . import views

app_name = "objections"
urlpatterns = [
    path("objections/link/<str:token>/", views.link, name="link"),
    path("objections/licence/<path:number>/", views.licence, name="licence"),
    # Last: a complaint number is whatever the bureau issued, slashes included.
    path("objections/<path:number>/", views.start, name="start"),
]
