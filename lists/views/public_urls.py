"""The public red/black list addresses beside the page tree (exports, feed, merchant history)."""

urlpatterns = []
