from django.urls import path

from publication.views import read_only

from . import views

app_name = "declarations"

urlpatterns = [
    path("", read_only(views.DeclarationListView.as_view()), name="list"),
    path("<slug:slug>/", read_only(views.DeclarationDetailView.as_view()), name="detail"),
    path("<slug:slug>/bilingual/", read_only(views.DeclarationBilingualView.as_view()), name="bilingual"),
    path("<slug:slug>/annexes/<int:number>/", read_only(views.AnnexDetailView.as_view()), name="annex"),
]
