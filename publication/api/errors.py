"""Every bad request to the API is a 4xx with a JSON body that says what is wrong; never a 500.

Within a view, DRF's exception handler (`exception_handler`, the EXCEPTION_HANDLER setting) answers; what
Django itself refuses before or after a view (a Host not allowed, an error no view caught, the database
going away) is answered by the site's error handlers (operations/health.py), which give `error_response`
under API_PREFIX.
"""

import math

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import APIException, NotFound, Throttled, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.serializers import as_serializer_error
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from publication.models import ConcurrentEditError, ConcurrentReviewError

from .languages import accepted_language

# Every address under it answers errors as JSON.
API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_response(request, status: int, detail) -> JsonResponse:
    """An error as the API gives every error, `{"detail": "…"}`, in the language of Accept-Language."""
    with translation.override(accepted_language(request)):
        response = JsonResponse(
            {"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Language"] = translation.get_language()
    return response


def throttled_detail(seconds: int) -> str:
    return ngettext(
        "Too many requests: try again in %(seconds)d second.",
        "Too many requests: try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


def throttled_response(request, wait: float) -> JsonResponse:
    """The 429 of a request over its limit that is answered without its view, as the view answers it."""
    seconds = math.ceil(wait)
    with translation.override(accepted_language(request)):
        response = error_response(request, 429, throttled_detail(seconds))
    response["Retry-After"] = str(seconds)
    return response


class Conflict(APIException):
    status_code = 409
    default_detail = _("The record is still referred to by others; change or delete those first.")
    default_code = "conflict"


# Faults of a request body that are not the body's form but the archive's state: a reference to a
# record that does not exist is a 404, as the record's own address would answer; a value that another
# record already has (a slug, a number in its document) is a 409. Any other fault makes it a 400.
MISSING_RECORD_CODES = {"does_not_exist"}
TAKEN_VALUE_CODES = {"unique", "unique_together"}


def error_codes(detail):
    """Every error code in a DRF error structure (lists and dicts of ErrorDetail)."""
    if isinstance(detail, dict):
        for value in detail.values():
            yield from error_codes(value)
    elif isinstance(detail, list):
        for value in detail:
            yield from error_codes(value)
    else:
        yield getattr(detail, "code", None)


class MissingRecord(ValidationError):
    """A body's references to records that do not exist: the messages by field, as a 400's, with a 404."""

    status_code = 404


class TakenValue(ValidationError):
    """A body's values that other records already have: the messages by field, as a 400's, with a 409."""

    status_code = 409


def by_state(exc: ValidationError) -> ValidationError:
    """`exc` as a 404 if its only faults are references to records that do not exist (and perhaps values
    that other records already have besides), as a 409 if its only faults are values that other records
    already have, else as it is (a 400): a body the schema allows is not a 400 for records missing or taken."""
    codes = set(error_codes(exc.detail))
    if not codes or not codes <= MISSING_RECORD_CODES | TAKEN_VALUE_CODES:
        return exc
    if codes & MISSING_RECORD_CODES:
        return MissingRecord(exc.detail)
    return TakenValue(exc.detail)


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "body_too_large"


class BadRequest(APIException):
    status_code = 400
    default_detail = _("Bad request.")
    default_code = "bad_request"


def exception_handler(exc, context):
    """DRF's handler, plus a model's ValidationError (raised outside a serializer) as a 400, a save over
    someone else's newer save (optimistic locking) as a 409, and what Django refuses of a request while
    the view reads it (a body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413; any other suspicious input: 400),
    which would otherwise leave the view as Django's HTML error page; a change over a change awaiting
    review made since as a 409; and a body whose faults are the archive's state rather than its form as a
    404 or 409 (by_state)."""
    request = context.get("request")
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = BadRequest()
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    if isinstance(exc, ValidationError):
        if request is not None and request.method not in SAFE_METHODS:
            exc = by_state(exc)
    elif isinstance(exc, ConcurrentReviewError):
        if exc.pending is None:
            exc = Conflict(
                _(
                    "The change awaiting review that you amended has been published or discarded; read the "
                    "record again and redo the change."
                )
            )
        else:
            exc = Conflict(
                _(
                    "Another change to this record awaits review (its version is %(version)d): send that "
                    "version as `pending_version` to amend it, or wait until it is reviewed."
                )
                % {"version": exc.pending.version}
            )
    elif isinstance(exc, ConcurrentEditError):
        exc = Conflict(
            _("The record has been changed since version %(version)d; read it again and redo the change.")
            % {"version": exc.record.version}
        )
    elif isinstance(exc, Throttled) and exc.wait is not None:
        # DRF formats the number into its message before translating it, so no catalogue has it.
        wait = exc.wait
        exc = Throttled(detail=throttled_detail(wait))
        exc.wait = wait
    if request is None or request.method not in SAFE_METHODS:
        return drf_exception_handler(exc, context)
    # A read has no transaction of its own (ApiViewMixin.as_view), so there is nothing of it to roll
    # back; DRF would mark whatever transaction is open around it (a test's) as failed.
    open_blocks = [db for db in connections.all(initialized_only=True) if db.in_atomic_block]
    marked = [db.get_rollback() for db in open_blocks]
    response = drf_exception_handler(exc, context)
    for db, rollback in zip(open_blocks, marked, strict=True):
        db.set_rollback(rollback)
    return response


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """A JSON 404 for any address under /api/ that names no resource (the site's 404 page is HTML)."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        translation.activate(accepted_language(request))
        raise NotFound(_("There is no API resource at this address."))
