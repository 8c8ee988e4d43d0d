"""Feeds, inside the language prefix: /ja/feeds/… and /en/feeds/…"""

from django.urls import path

from .feeds import DocumentFeed

app_name = "feeds"

urlpatterns = [
    path("documents.atom", DocumentFeed(), name="documents"),
]
