"""A merchant's objection to a disclosed record and its reply."""

app_name = "objections"
urlpatterns = []
