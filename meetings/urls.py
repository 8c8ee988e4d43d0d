from django.urls import path

from publication.views import read_only

from . import views

app_name = "meetings"

urlpatterns = [
    path("", read_only(views.MeetingListView.as_view()), name="list"),
    path("<slug:slug>/", read_only(views.MeetingDetailView.as_view()), name="detail"),
    path("<slug:slug>/cite.bib", read_only(views.meeting_cite), {"format": "bibtex"}, name="cite-bibtex"),
    path("<slug:slug>/cite.json", read_only(views.meeting_cite), {"format": "csl-json"}, name="cite-csl"),
]
