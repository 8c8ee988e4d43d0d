"""Discovery addresses outside the language prefix: one sitemap, robots.txt and one calendar for both
languages (the calendar's language comes from ?lang= or Accept-Language)."""

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
]
