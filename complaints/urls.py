"""Public addresses of complaints: each page module lists its own."""

from .views import intake, settlement, tracking

urlpatterns = [*intake.urlpatterns, *tracking.urlpatterns, *settlement.urlpatterns]
