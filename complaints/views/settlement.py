"""settlement pages."""

urlpatterns = []
