"""The desk's addresses under the admin (/admin/objections/…), namespaced ``objections_desk``."""

from django.urls import path

from . import views

app_name = "objections_desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("objection/<int:pk>/", views.objection_detail, name="objection"),
    path("objection/<int:pk>/licence/", views.objection_licence, name="objection_licence"),
    path("objection/<int:pk>/evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("objection/<int:pk>/<slug:action>/", views.objection_act, name="objection_act"),
    path("reply/<int:pk>/", views.reply_detail, name="reply"),
    path("reply/<int:pk>/licence/", views.reply_licence, name="reply_licence"),
    path("reply/<int:pk>/<slug:action>/", views.reply_act, name="reply_act"),
]
