"""The desk's addresses under the admin (/admin/complaints/…), namespaced ``complaints_desk``."""

from django.urls import path

from . import views

app_name = "complaints_desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/personal-data/", views.personal_data, name="personal_data"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
