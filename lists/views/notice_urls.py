"""The listed merchant's notice and objection, opened through its signed link."""

from django.urls import path

from .notice import notice

urlpatterns = [path("list-notice/<str:token>/", notice, name="notice")]
