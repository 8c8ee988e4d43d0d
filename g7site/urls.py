from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from bench import views as bench
from discovery.views import DataView, declaration_akoma_ntoso
from home.pages import CONTENT_PAGES, ContentPageView
from home.views import HomeView
from operations import health
from publication.views import read_only
from search.views import SearchView

urlpatterns = [
    # For the load balancer: liveness (the process answers) and readiness (the database answers).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("g7site.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("discovery.urls")),
]

urlpatterns += i18n_patterns(
    path("", read_only(HomeView.as_view()), name="home"),
    path("meetings/", include("meetings.urls")),
    path("declarations/", include("declarations.urls")),
    path("commitments/", include("commitments.urls")),
    # Above the documents' app in the layers, so routed here rather than in declarations/urls.py.
    path(
        "declarations/<slug:slug>/akn.xml",
        read_only(declaration_akoma_ntoso),
        name="declaration-akoma-ntoso",
    ),
    path("feeds/", include("discovery.feed_urls")),
    path("search/", read_only(SearchView.as_view()), name="search"),
    path("data/", read_only(DataView.as_view()), name="data"),
    # About, accessibility, terms of reuse, contact: /{lang}/about/ and the like.
    *(path(f"{name}/", read_only(ContentPageView.as_view(page=name)), name=name) for name in CONTENT_PAGES),
)

if getattr(settings, "BENCH_FLOOR", False):
    urlpatterns.insert(0, path(bench.FLOOR_PATH, bench.floor))

# A 500 never shows a traceback; one caused by the database going away is the 503 page. Under /api/, each
# of Django's own error answers is the API's JSON.
handler400 = "operations.health.bad_request"
handler403 = "operations.health.permission_denied"
handler404 = "operations.health.page_not_found"
handler500 = "operations.health.server_error"
