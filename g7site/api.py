"""The API's addresses: /api/v1/ (the resources), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI).

Records with a slug are routed by the router; the numbered parts of a document (themes, annexes,
communiqué items) are listed across documents at /api/v1/<parts>/ and found within their document at
/api/v1/declarations/<slug>/<parts>/<number>/.
"""

from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from commitments.api import AssessmentViewSet, CommitmentViewSet, EarlierCommitmentViewSet, FollowUpViewSet
from declarations.api import AnnexViewSet, CommuniqueItemViewSet, DeclarationViewSet, ThemeViewSet
from discovery.api import DeclarationAkomaNtosoView
from meetings.api import MeetingViewSet, OrganizationViewSet, PersonViewSet, PrefectureViewSet
from publication.api.errors import NotFoundView
from search.api import SearchView

app_name = "api"

router = DefaultRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")
router.register("prefectures", PrefectureViewSet, basename="prefecture")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("earlier-commitments", EarlierCommitmentViewSet, basename="earlier-commitment")
router.register("assessments", AssessmentViewSet, basename="assessment")

LIST_ACTIONS = {"get": "list", "post": "create"}
DETAIL_ACTIONS = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}


def part_routes(segment: str, viewset, basename: str) -> list:
    return [
        path(f"v1/{segment}/", viewset.as_view(LIST_ACTIONS), name=f"{basename}-list"),
        # As the router does for the action: an export is all pages, never one.
        path(
            f"v1/{segment}/export/",
            viewset.as_view({"get": "export"}, pagination_class=None),
            name=f"{basename}-export",
        ),
        path(
            f"v1/declarations/<str:slug>/{segment}/<int:number>/",
            viewset.as_view(DETAIL_ACTIONS),
            name=f"{basename}-detail",
        ),
        path(
            f"v1/declarations/<str:slug>/{segment}/<int:number>/history/",
            viewset.as_view({"get": "history"}, pagination_class=None),
            name=f"{basename}-history",
        ),
    ]


urlpatterns = [
    *part_routes("themes", ThemeViewSet, "theme"),
    *part_routes("annexes", AnnexViewSet, "annex"),
    *part_routes("communique-items", CommuniqueItemViewSet, "communique-item"),
    path(
        "v1/declarations/<str:slug>/akn/",
        DeclarationAkomaNtosoView.as_view(),
        name="declaration-akoma-ntoso",
    ),
    path("v1/search/", SearchView.as_view(), name="search"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script is served as a file (?script), so the page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc was served here until it turned out to draw "API docs by Redocly" with an image from its
    # makers' CDN, which no option turns off: no page of the site asks anything of another.
    path("docs/redoc/", RedirectView.as_view(pattern_name="api:docs", permanent=True), name="redoc"),
    # Anything else under /api/ is a JSON 404, not the site's HTML page.
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
