"""intake pages."""

urlpatterns = []
