from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from operations.records import KeptBodyMixin, KeptListMixin
from publication.citations import Citation, citation_response
from publication.filters import without_help_texts
from publication.review import shown_parts
from publication.views import PublishedMixin, visible
from rendering.templating import list_page_json_ld

from .filters import DeclarationFilterSet, meeting_options
from .models import Declaration
from .selectors import read_annex, read_document

MAX_PART_NUMBER = 99


class DeclarationListView(KeptListMixin, PublishedMixin, ListView):
    """The documents, filtered by the FilterSet the API shares; a bad value is the form's error (400)."""

    model = Declaration
    paginate_by = 20
    template_name = "declarations/declaration_list.html"
    body_template_name = "declarations/declaration_list_body.html"
    query_parameters = (*DeclarationFilterSet.base_filters, "page")

    def get_queryset(self):
        self.filterset = without_help_texts(
            DeclarationFilterSet(self.request.GET, queryset=super().get_queryset(), request=self.request)
        )
        if not self.filterset.is_valid():
            return Declaration.objects.none()
        return self.filterset.qs.select_related("meeting")

    def get_context_data(self, **kwargs):
        form = self.filterset.form
        # The form has checked the meeting asked for against every meeting with documents; what it shows
        # to choose from is bounded, however large the archive.
        form.fields["meeting"].queryset = meeting_options(self.request, form)
        context = super().get_context_data(filterset=self.filterset, form=form, **kwargs)
        context["json_ld"] = list_page_json_ld(self.request, context, name=_("Documents"))
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class DocumentPartsMixin(PublishedMixin):
    """Everything a document's pages show, read in a fixed number of queries however long it is
    (declarations.selectors)."""

    model = Declaration

    def find_object(self, queryset=None):
        document = read_document(self.kwargs["slug"], user=self.request.user)
        if document is None:
            raise Http404
        return document

    def preview_parts_shown(self, document) -> None:
        # Each theme's notes and annexes, picked again from the document's as the preview shows them; a
        # theme or an annex that the preview adds is taken up by no communiqué item yet.
        notes, annexes = shown_parts(document, "footnotes"), shown_parts(document, "annexes")
        for theme in shown_parts(document, "themes"):
            theme.notes = [note for note in notes if note.theme_id == theme.pk]
            theme.annex_list = [annex for annex in annexes if annex.theme_id == theme.pk]
            theme.taken_up = getattr(theme, "taken_up", [])
        for annex in annexes:
            annex.taken_up = getattr(annex, "taken_up", [])

    def record_context(self, document) -> dict:
        return {
            "page_title": document.title,
            "page_description": document.summary,
            "json_ld": declaration_json_ld(document, self.request),
            "citation": declaration_citation(document, self.request),
        }


def declaration_citation(declaration, request) -> Citation:
    """A document cited as issued by the meeting that adopted it, on the day it was adopted."""
    return Citation(
        key=declaration.slug,
        kind="document",
        title=declaration.title,
        issuers=(declaration.meeting.title,),
        issued=declaration.adopted_on,
        updated=declaration.updated_at,
        version=declaration.version,
        url=request.build_absolute_uri(declaration.get_absolute_url()),
        language=get_language(),
    )


def declaration_cite(request, slug, format):
    """The document's citation as a file for reference managers: BibTeX or CSL-JSON (`format`)."""
    documents = visible(Declaration.objects.select_related("meeting"), request.user)
    declaration = documents.filter(slug=slug).first()
    if declaration is None:
        raise Http404
    return citation_response(declaration_citation(declaration, request), format)


declaration_cite.query_parameters = ()


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


class DeclarationDetailView(KeptBodyMixin, DocumentPartsMixin, DetailView):
    template_name = "declarations/declaration_detail.html"
    body_template_name = "declarations/declaration_body.html"


class DeclarationBilingualView(KeptBodyMixin, DocumentPartsMixin, DetailView):
    """日本語 | English, theme by theme, each text marked with what it is (its TextStatus, out of date)."""

    template_name = "declarations/declaration_bilingual.html"
    body_template_name = "declarations/declaration_bilingual_body.html"
    # The head has no JSON-LD of its own: the document's page has it.
    kept_context = ("page_title", "page_description")

    def record_context(self, document) -> dict:
        sides = [{"language": "ja", "label": "日本語"}, {"language": "en", "label": "English"}]
        return {**super().record_context(document), "sides": sides}


class AnnexDetailView(KeptBodyMixin, PublishedMixin, DetailView):
    model = Declaration
    template_name = "declarations/annex_detail.html"
    body_template_name = "declarations/annex_body.html"
    context_object_name = "declaration"

    def find_object(self, queryset=None):
        if self.kwargs["number"] > MAX_PART_NUMBER:
            # Beyond any part's number, and beyond what the database's small integer column can compare.
            raise Http404
        self.annex = read_annex(self.kwargs["slug"], self.kwargs["number"], user=self.request.user)
        if self.annex is None:
            raise Http404
        return self.annex.declaration

    def get_context_data(self, **kwargs):
        return super().get_context_data(annex=self.annex, **kwargs)

    def record_context(self, declaration) -> dict:
        return {
            "page_title": self.annex.title,
            "page_description": self.annex.summary,
            "json_ld": annex_json_ld(self.annex, declaration, self.request),
        }


def annex_json_ld(annex, declaration, request) -> dict:
    """schema.org CreativeWork data for an annex page: a numbered part of its document."""
    url = request.build_absolute_uri(annex.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": annex.title,
        "genre": str(annex.get_kind_display()),
        "description": annex.summary,
        "inLanguage": get_language(),
        "position": annex.number,
        # An annex keeps no change time of its own: it changes with its document.
        "dateModified": declaration.updated_at.isoformat(),
        "isPartOf": {
            "@type": "CreativeWork",
            "@id": request.build_absolute_uri(declaration.get_absolute_url()),
            "name": declaration.title,
        },
    }
    if declaration.adopted_on:
        data["dateCreated"] = declaration.adopted_on.isoformat()
    if annex.official_url:
        data["sameAs"] = annex.official_url
    return data
