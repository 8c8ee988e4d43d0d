from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from core.views import PublishedMixin

from .models import Annex, Declaration, Theme


class DeclarationListView(PublishedMixin, ListView):
    model = Declaration
    paginate_by = 20

    def get_queryset(self):
        return super().get_queryset().select_related("meeting")


class DeclarationDetailView(PublishedMixin, DetailView):
    model = Declaration

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("meeting")
            .prefetch_related(
                Prefetch("themes", Theme.objects.prefetch_related("key_points", "footnotes")),
                "annexes",
                "communique_items",
            )
        )


class AnnexDetailView(PublishedMixin, DetailView):
    model = Declaration
    template_name = "declarations/annex_detail.html"
    context_object_name = "declaration"

    def get_object(self, queryset=None):
        declaration = super().get_object(queryset)
        self.annex = get_object_or_404(
            Annex.objects.select_related("theme"), declaration=declaration, number=self.kwargs["number"]
        )
        return declaration

    def get_context_data(self, **kwargs):
        return super().get_context_data(annex=self.annex, **kwargs)
