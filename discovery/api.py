"""`/api/v1/declarations/<slug>/akn/?lang=ja|en`: an outcome document's expression in one language as
Akoma Ntoso 3.0 XML (discovery.akomantoso), the same as the site's `/{lang}/declarations/<slug>/akn.xml`."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from declarations.models import Declaration
from declarations.selectors import read_document
from publication.api.languages import LANGUAGE_PARAM, LANGUAGES
from publication.api.schema import READ_ERRORS
from publication.api.views import ApiViewMixin

from .akomantoso import CONTENT_TYPE, akoma_ntoso


class AkomaNtosoRenderer(BaseRenderer):
    """The XML as built; an error's body (a dict) as the API's JSON, which the view labels so."""

    media_type = CONTENT_TYPE
    format = "akn"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, accepted_media_type, renderer_context)


class XmlOnly(BaseContentNegotiation):
    """One representation whatever the client's Accept says (DRF's documented IgnoreClientContentNegotiation)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


LANGUAGE = OpenApiParameter(
    LANGUAGE_PARAM,
    OpenApiTypes.STR,
    enum=list(LANGUAGES),
    description="The language expression: ja or en (an expression has one language, so all is a 400). "
    "Without it, the first of ja and en in Accept-Language; else ja.",
)


class DeclarationAkomaNtosoView(ApiViewMixin, APIView):
    """An outcome document as Akoma Ntoso 3.0 XML, one language expression."""

    renderer_classes = [AkomaNtosoRenderer]
    content_negotiation_class = XmlOnly
    # Read as the document's record is: the public sees published documents, staff their drafts too.
    queryset = Declaration.objects.none()

    @extend_schema(
        summary="An outcome document as Akoma Ntoso 3.0 XML",
        description="The document with its themes, key points, footnotes, annexes and communiqué items as "
        "an Akoma Ntoso 3.0 `statement`, valid against the OASIS schema. Its `eId`s are the anchors of the "
        "document's page; the expression in the authentic language is marked authoritative. Each published "
        "commitment a paragraph holds is a `TLCConcept` of the references that the paragraph names in its "
        "`refersTo`.",
        parameters=[LANGUAGE],
        responses={
            (200, CONTENT_TYPE): OpenApiResponse(response=OpenApiTypes.STR, description="The XML."),
            # An error is the API's JSON, whatever the XML's renderer.
            **{(status, "application/json"): READ_ERRORS[status] for status in (400, 404, 429)},
        },
    )
    def get(self, request, slug):
        if self.language not in LANGUAGES:
            raise ValidationError({LANGUAGE_PARAM: [_("An expression has one language: use ja or en.")]})
        document = read_document(slug, user=request.user)
        if document is None:
            raise NotFound()
        xml = akoma_ntoso(
            document,
            self.language,
            archive_url=request.build_absolute_uri(reverse("home")),
            meeting_url=request.build_absolute_uri(document.meeting.get_absolute_url()),
        )
        return Response(xml)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        response.content_type = "application/json"
        return response
