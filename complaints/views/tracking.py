"""tracking pages."""

urlpatterns = []
