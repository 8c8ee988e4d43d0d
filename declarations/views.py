from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.views import PublishedMixin

from .filters import DeclarationFilterSet, meeting_options
from .models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme

MAX_PART_NUMBER = 99


class DeclarationListView(PublishedMixin, ListView):
    """The documents, filtered by the FilterSet the API shares; a bad value is the form's error (400)."""

    model = Declaration
    paginate_by = 20

    def get_queryset(self):
        self.filterset = DeclarationFilterSet(
            self.request.GET, queryset=super().get_queryset(), request=self.request
        )
        if not self.filterset.is_valid():
            return Declaration.objects.none()
        return self.filterset.qs.select_related("meeting")

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        # The form has checked the meeting asked for against every meeting with documents; what it shows
        # to choose from is bounded, however large the archive.
        form.fields["meeting"].queryset = meeting_options(self.request, form)
        return super().get_context_data(filterset=self.filterset, form=form, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class DocumentPartsMixin(PublishedMixin):
    """Everything a document's pages show, fetched in a fixed number of queries however long it is."""

    model = Declaration

    def visible_items(self):
        """Communiqué items of documents the visitor may see, with the document they belong to."""
        return CommuniqueItem.objects.filter(
            declaration__in=self.visible(Declaration.objects.all())
        ).select_related("declaration")

    def get_queryset(self):
        visible_documents = self.visible(Declaration.objects.all())
        return (
            super()
            .get_queryset()
            .select_related("meeting", "source")
            .prefetch_related(
                Prefetch(
                    "themes",
                    Theme.objects.prefetch_related(
                        Prefetch("key_points", KeyPoint.objects.order_by("number")),
                        Prefetch("communique_items", self.visible_items().order_by("declaration", "number")),
                    ),
                ),
                Prefetch("footnotes", Footnote.objects.all()),
                Prefetch(
                    "annexes",
                    Annex.objects.prefetch_related(
                        Prefetch("communique_items", self.visible_items().order_by("number"))
                    ),
                ),
                Prefetch(
                    "communique_items",
                    CommuniqueItem.objects.prefetch_related(
                        Prefetch(
                            "themes",
                            Theme.objects.filter(declaration__in=visible_documents).select_related(
                                "declaration"
                            ),
                        ),
                        Prefetch(
                            "annexes",
                            Annex.objects.filter(declaration__in=visible_documents).select_related(
                                "declaration"
                            ),
                        ),
                    ),
                ),
            )
        )

    def get_object(self, queryset=None):
        declaration = super().get_object(queryset)
        # The parts point at each other within the document: each link is set from what was read, rather
        # than read again with a join for every part (a join to the document reads its whole row).
        # A link that leaves the document (which the models' validation forbids) is read as before.
        themes = {theme.pk: theme for theme in declaration.themes.all()}
        # Each theme's notes, from the document's (every note annotates a theme): one query fewer.
        notes = sorted(declaration.footnotes.all(), key=lambda note: note.number)
        for note in notes:
            if note.theme_id in themes:
                note.theme = themes[note.theme_id]
        # Each theme's annexes, likewise from the document's, in their order: an annex serves a theme of
        # its own document.
        annexes = sorted(declaration.annexes.all(), key=lambda annex: annex.number)
        for theme in themes.values():
            theme.notes = [note for note in notes if note.theme_id == theme.pk]
            theme.annex_list = [annex for annex in annexes if annex.theme_id == theme.pk]
        for annex in annexes:
            if annex.theme_id in themes:
                annex.theme = themes[annex.theme_id]
        return declaration

    def get_context_data(self, **kwargs):
        return super().get_context_data(json_ld=declaration_json_ld(self.object, self.request), **kwargs)


def declaration_json_ld(declaration, request) -> dict:
    """schema.org CreativeWork data for a document page, with its annexes as parts and the meeting that
    adopted it. (schema.org's Legislation is for laws; these documents are political commitments.)"""
    url = request.build_absolute_uri(declaration.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": declaration.title,
        "alternateName": declaration.short_title,
        "genre": str(declaration.get_kind_display()),
        "description": declaration.summary,
        "inLanguage": get_language(),
        "recordedAt": {
            "@type": "Event",
            "name": declaration.meeting.title,
            "url": request.build_absolute_uri(declaration.meeting.get_absolute_url()),
        },
        "hasPart": [
            {
                "@type": "CreativeWork",
                "name": annex.title,
                "position": annex.number,
                "url": request.build_absolute_uri(annex.get_absolute_url()),
            }
            for annex in declaration.annexes.all()
        ],
    }
    if declaration.adopted_on:
        data["dateCreated"] = declaration.adopted_on.isoformat()
    if declaration.official_url:
        data["sameAs"] = declaration.official_url
    return data


class DeclarationDetailView(DocumentPartsMixin, DetailView):
    pass


class TranslationStatus:
    """How a text in one language stands to the document's authentic text."""

    AUTHENTIC = "authentic", _("Authentic text")
    PROVISIONAL = "provisional", _("Provisional translation (仮訳)")
    EDITORIAL = "editorial", _("Editorial translation")
    MISSING = "missing", _("Missing")


def translation_status(declaration, language: str, *, text: str, full_text: bool):
    """The status of one side of the side-by-side view.

    Only the authentic language's full text is authentic. The Japanese of an English-authentic document
    is a provisional translation (仮訳), as the ministries call theirs; the English of the source's
    Japanese summaries (themes, key points, notes, items) is the project's editorial translation, as
    each record's provenance note says. An empty text is missing.
    """
    if not text:
        return TranslationStatus.MISSING
    if language == declaration.authentic_language and (full_text or language == "ja"):
        return TranslationStatus.AUTHENTIC
    if language == "ja":
        return TranslationStatus.PROVISIONAL
    return TranslationStatus.EDITORIAL


class DeclarationBilingualView(DocumentPartsMixin, DetailView):
    """日本語 | English, theme by theme, each side marked with its translation status."""

    template_name = "declarations/declaration_bilingual.html"

    def get_context_data(self, **kwargs):
        declaration = self.object
        sides = []
        for language, label in (("ja", "日本語"), ("en", "English")):
            texts = [getattr(theme, f"title_{language}") for theme in declaration.themes.all()]
            sides.append(
                {
                    "language": language,
                    "label": label,
                    "status": translation_status(
                        declaration, language, text=" ".join(filter(None, texts)), full_text=False
                    ),
                    "body_status": translation_status(
                        declaration, language, text=getattr(declaration, f"body_{language}"), full_text=True
                    ),
                }
            )
        return super().get_context_data(sides=sides, statuses=TranslationStatus, **kwargs)


class AnnexDetailView(PublishedMixin, DetailView):
    model = Declaration
    template_name = "declarations/annex_detail.html"
    context_object_name = "declaration"

    def get_queryset(self):
        return super().get_queryset().select_related("meeting")

    def get_object(self, queryset=None):
        declaration = super().get_object(queryset)
        if self.kwargs["number"] > MAX_PART_NUMBER:
            # Beyond any part's number, and beyond what the database's small integer column can compare.
            raise Http404
        items = CommuniqueItem.objects.filter(
            declaration__in=self.visible(Declaration.objects.all())
        ).select_related("declaration")
        self.annex = get_object_or_404(
            Annex.objects.select_related("theme").prefetch_related(
                Prefetch("communique_items", items.order_by("declaration", "number"))
            ),
            declaration=declaration,
            number=self.kwargs["number"],
        )
        return declaration

    def get_context_data(self, **kwargs):
        return super().get_context_data(annex=self.annex, **kwargs)
