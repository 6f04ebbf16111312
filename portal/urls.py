from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from editorial.feeds import AlertFeed, CaseFeed
from home import views as home_views
from portal import views as portal_views
from portal.script_conversion import set_script
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("feeds/alerts.xml", AlertFeed(), name="feed_alerts"),
    path("feeds/cases.xml", CaseFeed(), name="feed_cases"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap/", portal_views.sitemap_page, name="sitemap_page"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("healthz", home_views.healthz, name="healthz"),
    path("", include("merchants.urls")),
    path("", include("disclosures.urls")),
    path("", include("complaints.urls")),
    path("", include("objections.urls")),
    path("", include("lists.urls")),
    path("api/v1/", include("disclosures.api.urls")),
    path("text-size/", home_views.set_text_size, name="set_text_size"),
    path("script/", set_script, name="set_script"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
