"""Every bad request to the API is a 4xx with a JSON body that says what is wrong; never a 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
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


class Conflict(APIException):
    status_code = 409
    default_detail = _("The record is still referred to by others; change or delete those first.")
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, plus a model's ValidationError (raised outside a serializer) as a 400, and a
    save over someone else's newer save, or over a change awaiting review made since (optimistic locking),
    as a 409."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
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
        exc = Throttled(
            detail=ngettext(
                "Too many requests: try again in %(seconds)d second.",
                "Too many requests: try again in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait}
        )
        exc.wait = wait
    request = context.get("request")
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
