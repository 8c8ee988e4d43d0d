from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.views import HomeView
from search.views import SearchView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("g7site.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("discovery.urls")),
]

urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("meetings/", include("meetings.urls")),
    path("declarations/", include("declarations.urls")),
    path("feeds/", include("discovery.feed_urls")),
    path("search/", SearchView.as_view(), name="search"),
)
