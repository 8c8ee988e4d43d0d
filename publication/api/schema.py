"""The OpenAPI description of what every resource shares: parameters, error bodies, exports."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from .languages import CHOICES, LANGUAGE_PARAM
from .serializers import ErrorSerializer, HeldForReviewSerializer

LANGUAGE = OpenApiParameter(
    LANGUAGE_PARAM,
    OpenApiTypes.STR,
    enum=list(CHOICES),
    description=(
        'The language of every translated field: ja or en, or all for {"ja": …, "en": …}. '
        "Without it, the first of ja and en in Accept-Language; else ja. Another value is a 400."
    ),
)

LIST_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="json (default): one page of records. csv: every record that matches, all pages, as a "
    "CSV attachment (the same as export/?format=csv).",
)

EXPORT_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="json (default): a JSON array of every record. csv: a CSV file, a column per language.",
)

VALIDATION_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {},
        "description": "Messages by parameter or field name, in the response language: a list of "
        'strings, or for a translated field an object by language ({"title": {"ja": ["…"]}}); '
        "`non_field_errors` for a rule across fields; `detail` for a body that is not valid JSON.",
    },
    description="A parameter or the request body is invalid.",
)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


NOT_FOUND = error("No such record, or no such page.")
THROTTLED = error("Too many requests from an anonymous client; Retry-After says when to try again.")
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag or Last-Modified the client sent.")
READ_ERRORS = {304: NOT_MODIFIED, 400: VALIDATION_ERRORS, 404: NOT_FOUND, 429: THROTTLED}
WRITE_ERRORS = {
    400: VALIDATION_ERRORS,
    401: error("No valid token was sent."),
    403: error("The user may not make this change."),
    404: NOT_FOUND,
    415: error("The body is not JSON."),
    429: THROTTLED,
}
CHANGE_RESPONSES = {
    202: OpenApiResponse(
        response=HeldForReviewSerializer,
        description="The record is published and the user may not publish: the change is kept for a "
        "publisher's review (the admin's review page), and the public record stays as it is.",
    ),
    409: error("The record was saved after the `version` sent: read it again and redo the change."),
}
CSV_EXPORT = {
    (200, "text/csv"): OpenApiResponse(
        response=OpenApiTypes.STR,
        description="UTF-8 with a byte-order mark; one row per record, translated fields as <name>_ja and "
        "<name>_en columns.",
    ),
    400: VALIDATION_ERRORS,
    429: THROTTLED,
}


def document_records(*, name: str, read, write, plural: str, lookup: str, detail_parameters=(), summary=None):
    """The schema of a resource's operations: list, read, write, delete and both exports. `summary` is
    what the list shows of each record, when it is less than `read`."""
    details = [LANGUAGE, *detail_parameters]
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            parameters=[LANGUAGE, LIST_FORMAT],
            responses={200: (summary or read)(many=True), **CSV_EXPORT, **READ_ERRORS},
        ),
        retrieve=extend_schema(
            summary=f"One {name}, by {lookup}",
            parameters=details,
            responses={200: read, **READ_ERRORS},
        ),
        create=extend_schema(
            summary=f"Create a {name} (editors)",
            parameters=[LANGUAGE],
            request=write,
            responses={201: read, **WRITE_ERRORS},
        ),
        update=extend_schema(
            summary=f"Replace a {name} (editors)",
            parameters=details,
            request=write,
            responses={200: read, **CHANGE_RESPONSES, **WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change some fields of a {name} (editors)",
            parameters=details,
            request=write,
            responses={200: read, **CHANGE_RESPONSES, **WRITE_ERRORS},
        ),
        destroy=extend_schema(
            summary=f"Delete a {name} (editors)",
            parameters=details,
            responses={
                204: OpenApiResponse(description="Deleted."),
                409: error("Other records still refer to this one."),
                **WRITE_ERRORS,
            },
        ),
        export=extend_schema(
            summary=f"Export every {name}, all pages",
            description="Every record that the filters select, all pages, streamed as an attachment: "
            "format=json (default) gives a JSON array of whole records, as their own endpoint gives them, "
            "format=csv a CSV file.",
            parameters=[LANGUAGE, EXPORT_FORMAT],
            responses={
                (200, "application/json"): read(many=True),
                **CSV_EXPORT,
            },
        ),
    )
