"""The listed merchant's notice and objection, opened through its signed link."""

urlpatterns = []
