"""The public red/black list addresses beside the page tree (exports, feed, merchant history).

Each has a dot or a fixed first segment that no list page's slug can take (slugs are
“<region>-<period>-<kind>”, made by drafting), so Wagtail's pages never hide behind them.
"""

from django.urls import path

from ..feeds import ListFeed
from . import public

urlpatterns = [
    path("lists/feed.xml", ListFeed(), name="feed"),
    path("lists/lists.json", public.lists_json, name="lists_json"),
    path("lists/merchants/<str:credit_code>/", public.merchant_history, name="merchant"),
    path("lists/<slug:slug>.csv", public.list_csv, name="csv"),
    path("lists/<slug:slug>.json", public.list_json, name="json"),
]
