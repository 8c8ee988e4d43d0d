"""The OpenAPI description of what every resource shares: parameters, error bodies, exports."""

import django_filters
from django import forms
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from .fields import NO_NUL_PATTERN, SLUG_SCHEMA_PATTERN
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


NOT_FOUND = error("No such record or page, or a filter names a record that does not exist.")
ERROR_BODY = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in the response language."}},
    "required": ["detail"],
}
MISSING_REFERENCE = OpenApiResponse(
    response={"anyOf": [ERROR_BODY, VALIDATION_ERRORS.response]},
    description="No such record; or the body names, by its slug, a record that does not exist (the "
    "messages by field, as a 400's).",
)
TAKEN_VALUE = OpenApiResponse(
    response={"anyOf": [ERROR_BODY, VALIDATION_ERRORS.response]},
    description="The body gives a value that another record already has (a slug, a number in its "
    "document): the messages by field, as a 400's; or the record was saved after the `version` sent.",
)
THROTTLED = error("Too many requests from an anonymous client; Retry-After says when to try again.")
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag or Last-Modified the client sent.")
READ_ERRORS = {304: NOT_MODIFIED, 400: VALIDATION_ERRORS, 404: NOT_FOUND, 429: THROTTLED}
INVALID_BODY = OpenApiResponse(
    response=VALIDATION_ERRORS.response,
    description="A parameter or the request body is invalid; or a web address of a record that is being "
    "published, or stays published, does not answer (the link check before publishing, which no schema can "
    "make: the message names the field).",
)
WRITE_ERRORS = {
    400: INVALID_BODY,
    401: error("No valid token was sent."),
    403: error("The user may not make this change."),
    404: MISSING_REFERENCE,
    409: TAKEN_VALUE,
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
HELD_PART = {
    202: OpenApiResponse(
        response=HeldForReviewSerializer,
        description="A part of a published document, and the user may not publish: the addition or "
        "deletion is kept with the document's change awaiting review, and the public document stays as it is.",
    )
}
CSV_EXPORT = {
    (200, "text/csv"): OpenApiResponse(
        response=OpenApiTypes.STR,
        description="UTF-8 with a byte-order mark; one row per record, translated fields as <name>_ja and "
        "<name>_en columns.",
    ),
    400: VALIDATION_ERRORS,
    404: error("A filter names, by its slug, a record that does not exist."),
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
            responses={201: read, **HELD_PART, **WRITE_ERRORS},
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
                **HELD_PART,
                **WRITE_ERRORS,
                404: NOT_FOUND,
                409: error("Other records still refer to this one."),
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


def read_only_records(*, name: str, read, plural: str, lookup: str, detail_parameters=(), history=True):
    """The schema of a resource that the API only reads (the admin keeps it): list, one record, its public
    history and both exports."""
    views = {
        "list": extend_schema(
            summary=f"List {plural}",
            parameters=[LANGUAGE, LIST_FORMAT],
            responses={200: read(many=True), **CSV_EXPORT, **READ_ERRORS},
        ),
        "retrieve": extend_schema(
            summary=f"One {name}, by {lookup}",
            parameters=[LANGUAGE, *detail_parameters],
            responses={200: read, **READ_ERRORS},
        ),
        "export": extend_schema(
            summary=f"Export every {name}, all pages",
            description="Every record that the filters select, all pages, streamed as an attachment: "
            "format=json (default) gives a JSON array of whole records, as their own endpoint gives them, "
            "format=csv a CSV file.",
            parameters=[LANGUAGE, EXPORT_FORMAT],
            responses={(200, "application/json"): read(many=True), **CSV_EXPORT},
        ),
    }
    if history:
        views["history"] = extend_schema(parameters=list(detail_parameters))
    return extend_schema_view(**views)


# What the schema says of who may call an operation and of the filters' values, beyond what
# drf-spectacular finds by itself.


def anyone_may_read(view) -> bool:
    """Whether the view's permissions let an anonymous client read (ModelPermissionsOrReadOnly does)."""
    return any(
        isinstance(permission, DjangoModelPermissionsOrAnonReadOnly) for permission in view.get_permissions()
    )


class ApiSchema(AutoSchema):
    """drf-spectacular's AutoSchema, saying that a read needs no credentials where anyone may read: it
    adds the empty security requirement (`{}`) itself only for DRF's AllowAny and IsAuthenticatedOrReadOnly."""

    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths and anyone_may_read(self.view):
            auths.append({})
        return auths

    def get_operation(self, *args, **kwargs):
        """Every free-text query parameter refuses NUL characters (views.reject_nul): its schema says so."""
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            schema = parameter.get("schema", {})
            free_text = schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema)
            if parameter["in"] == "query" and free_text:
                schema["pattern"] = NO_NUL_PATTERN
        return operation


class StrictFilterParameters(DjangoFilterExtension):
    """The filters' parameters as the API checks them: whole numbers with their limits, text with its
    length and without NUL characters, a record's slug as a slug, and never empty (an empty parameter is a
    400: leave it out instead). drf-spectacular's own extension gives the types and choices."""

    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None:
            return parameters
        for parameter in parameters:
            filter_field = filterset_class.base_filters.get(parameter["name"])
            if filter_field is not None:
                parameter["schema"] = {**parameter["schema"], **value_limits(filter_field)}
        return parameters


def value_limits(filter_field) -> dict:
    """The JSON Schema keywords for the values the filter's form field accepts."""
    extra = filter_field.extra
    if issubclass(filter_field.field_class, forms.IntegerField):
        limits = {"type": "integer"}
        if extra.get("min_value") is not None:
            limits["minimum"] = extra["min_value"]
        if extra.get("max_value") is not None:
            limits["maximum"] = extra["max_value"]
        return limits
    if isinstance(filter_field, django_filters.ModelChoiceFilter) and extra.get("to_field_name") == "slug":
        return {"type": "string", "pattern": SLUG_SCHEMA_PATTERN, "maxLength": 100}
    if isinstance(filter_field, django_filters.CharFilter):
        limits = {"type": "string", "minLength": 1, "pattern": NO_NUL_PATTERN}
        if extra.get("max_length") is not None:
            limits["maxLength"] = extra["max_length"]
        return limits
    return {}


def closed_request_bodies(result, generator, request, public):
    """A drf-spectacular postprocessing hook: every request body takes only the fields it lists
    (serializers.RecordWriteSerializer refuses others), so its schema says additionalProperties: false; and
    no text in it may hold a NUL character (parsers.JSONWithoutNulParser refuses one)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
            texts_without_nul(component)
    return result


def texts_without_nul(schema) -> None:
    """Give every free text in `schema` (a string with no pattern, format or choices of its own) the pattern
    that refuses NUL characters."""
    if isinstance(schema, list):
        for item in schema:
            texts_without_nul(item)
        return
    if not isinstance(schema, dict):
        return
    free_text = schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema)
    if free_text and schema.get("maxLength") != 0:
        schema["pattern"] = NO_NUL_PATTERN
    for value in schema.values():
        texts_without_nul(value)
