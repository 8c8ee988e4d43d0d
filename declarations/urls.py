from django.urls import path

from publication.views import read_only

from . import views

app_name = "declarations"

urlpatterns = [
    path("", read_only(views.DeclarationListView.as_view()), name="list"),
    path("<slug:slug>/", read_only(views.DeclarationDetailView.as_view()), name="detail"),
    path("<slug:slug>/cite.bib", read_only(views.declaration_cite), {"format": "bibtex"}, name="cite-bibtex"),
    path("<slug:slug>/cite.json", read_only(views.declaration_cite), {"format": "csl-json"}, name="cite-csl"),
    path("<slug:slug>/bilingual/", read_only(views.DeclarationBilingualView.as_view()), name="bilingual"),
    path("<slug:slug>/annexes/<int:number>/", read_only(views.AnnexDetailView.as_view()), name="annex"),
]
