from django.urls import path

from . import views

app_name = "declarations"

urlpatterns = [
    path("", views.DeclarationListView.as_view(), name="list"),
    path("<slug:slug>/", views.DeclarationDetailView.as_view(), name="detail"),
    path("<slug:slug>/bilingual/", views.DeclarationBilingualView.as_view(), name="bilingual"),
    path("<slug:slug>/annexes/<int:number>/", views.AnnexDetailView.as_view(), name="annex"),
]
