from .views import notice_urls, public_urls

app_name = "lists"
urlpatterns = public_urls.urlpatterns + notice_urls.urlpatterns
