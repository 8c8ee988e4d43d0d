"""Discovery addresses outside the language prefix: one sitemap, robots.txt, the icon, one calendar of every
meeting and one of each meeting for both languages (a calendar's language comes from ?lang= or
Accept-Language), and the whole archive as one file."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS

app_name = "discovery"

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("meetings.ics", views.meetings_ics, name="meetings-ics"),
    path("meetings/<slug:slug>.ics", views.meeting_ics, name="meeting-ics"),
    path("data/g7-2023-archive.zip", views.archive_bundle, name="archive"),
]
