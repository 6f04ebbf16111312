"""The public pages of complaints: intake (``intake``), tracking (``tracking``) and the
merchant's first-settlement page (``settlement``), each with its own ``urlpatterns``."""
