"""Feeds, inside the language prefix: /ja/feeds/… and /en/feeds/…"""

from django.urls import path

from .feeds import AssessmentFeed, CorrectionFeed, DocumentFeed

app_name = "feeds"

urlpatterns = [
    path("documents.atom", DocumentFeed(), name="documents"),
    path("corrections.atom", CorrectionFeed(), name="corrections"),
    path("assessments.atom", AssessmentFeed(), name="assessments"),
]
