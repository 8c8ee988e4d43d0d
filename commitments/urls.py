from django.urls import path

from publication.views import read_only

from . import views

app_name = "commitments"

urlpatterns = [
    path("", read_only(views.CommitmentListView.as_view()), name="list"),
    path("follow-ups/", read_only(views.FollowUpListView.as_view()), name="follow-ups"),
    path("follow-ups/<slug:slug>/", read_only(views.FollowUpDetailView.as_view()), name="follow-up"),
    path("<slug:slug>/", read_only(views.CommitmentDetailView.as_view()), name="detail"),
]
