from django.urls import path

from . import admin_views

app_name = "lists_admin"
urlpatterns = [
    path("draft/", admin_views.draft_view, name="draft"),
    path("<int:page_id>/notices/", admin_views.notices_view, name="notices"),
    path("objections/", admin_views.queue_view, name="queue"),
    path("objections/<int:pk>/", admin_views.detail_view, name="objection"),
    path(
        "objections/<int:pk>/evidence/<int:file_id>/",
        admin_views.evidence_view,
        name="evidence",
    ),
]
