"""The base of every API viewset: language, visibility, strict lookups, conditional GET and exports."""

import hashlib
from datetime import datetime

from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from publication.models import Correction, Publishable, published_condition
from publication.review import (
    can_publish,
    deletion_refused_message,
    held_for_review_message,
    json_value,
    needs_review,
    part_change,
    part_change_rows,
    submit_pending_change,
)

from . import exports
from .errors import Conflict
from .filters import SLUG_PATTERN
from .languages import (
    LANGUAGE_PARAM,
    accepted_language,
    content_language,
    messages_language,
    negotiate_language,
)
from .pagination import PageNumbers
from .serializers import CorrectionSerializer, ErrorSerializer

FORMAT_PARAM = "format"


def reject_nul(request, kwargs) -> None:
    """A NUL character is a 400 here, before it can reach the database (PostgreSQL rejects it in text)."""
    for key, values in request.query_params.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise ValidationError({key.replace("\x00", ""): [_("Null characters are not allowed.")]})
    if any("\x00" in str(value) for value in kwargs.values()):
        raise NotFound()


def declared_parameters(view) -> set[str]:
    """The query parameters the view's operation declares: language, format, its filters, its paging."""
    names = {LANGUAGE_PARAM, FORMAT_PARAM}
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        names.update(filterset_class.base_filters)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names.update(paginator.declared_parameters())
    return names


def reject_empty(request, view) -> None:
    """An empty value of a declared parameter (`?kind=`, `?page=`) is a 400: a client that means no
    filter leaves the parameter out, and one that sent an empty value by mistake learns of it."""
    for name in sorted(declared_parameters(view)):
        if "" in request.query_params.getlist(name):
            raise ValidationError({name: [_("Give a value, or leave the parameter out.")]})


class ApiViewMixin:
    """Language negotiation, NUL rejection, Content-Language and Vary, and conditional GET."""

    language = "ja"

    def initial(self, request, *args, **kwargs):
        # Until the language is negotiated, messages follow Accept-Language.
        self.language = accepted_language(request)
        translation.activate(self.language)
        reject_nul(request, kwargs)
        reject_empty(request, self)
        self.language = negotiate_language(request)
        translation.activate(messages_language(self.language))
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": self.language}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = content_language(self.language)
        # The body depends on the language asked for and on who asks (editors also see drafts).
        patch_vary_headers(response, ["Accept-Language", "Authorization", "Cookie"])
        return response

    def last_modified(self) -> datetime | None:
        """The time the records of the response last changed, if the resource keeps it."""
        return None

    @classmethod
    def as_view(cls, *args, **kwargs):
        # Not in ATOMIC_REQUESTS' transaction: a read needs none (on SQLite it would take the write lock,
        # and every reader would wait for the others); `dispatch` opens one for each write.
        view = transaction.non_atomic_requests(super().as_view(*args, **kwargs))
        # A viewset's actions come first ({"get": "list", …}); an APIView has none.
        actions = args[0] if args else kwargs.get("actions")
        view.query_parameters = frozenset(cls.read_parameters((actions or {}).get("get"), kwargs))
        return view

    @classmethod
    def read_parameters(cls, action: str | None, initkwargs: dict) -> tuple[str, ...]:
        """The query parameters a GET of this view reads (`action` for a viewset), which the page cache
        keys its responses on (operations/cache.py): every view reads `lang`."""
        return (LANGUAGE_PARAM,)

    def dispatch(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            # All or nothing, as ATOMIC_REQUESTS would have it: the exception handler marks the
            # transaction for rollback when a write fails.
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        response = super().dispatch(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        response.render()
        response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest())
        last_modified = self.last_modified()
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,
        )


class RecordViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """A resource of the archive.

    Subclasses give the `model`, `base_queryset()` (with what they serialize prefetched), `serializer_class` for
    reads, `write_serializer_class` for writes, `filterset_class`, and `csv_columns`. Anonymous clients
    and users who may not change the records see published ones only (`publication` is the path to
    the record whose state decides, "" for the record itself, None for records that are always public).
    """

    lookup_field = "slug"
    # Any text reaches get_object(), which answers 404 for what cannot be a slug; a stricter URL pattern
    # would leave such paths to the site's HTML 404 page.
    lookup_value_regex = "[^/]+"
    lookup_pattern = SLUG_PATTERN
    pagination_class = PageNumbers
    model = None
    publication: str | None = ""
    publication_model = None
    write_serializer_class = None
    # What the list shows of each record, when that is less than the record itself.
    summary_serializer_class = None
    csv_columns: list[exports.Column] = []
    export_name = ""

    @classmethod
    def read_parameters(cls, action, initkwargs):
        """A list reads its filters, its format and its page; an export its filters and its format, all
        pages at once; a record only its language."""
        parameters = super().read_parameters(action, initkwargs)
        if action not in ("list", "export"):
            return parameters
        filterset_class = getattr(cls, "filterset_class", None)
        filters = tuple(filterset_class.base_filters) if filterset_class else ()
        parameters = (*parameters, *filters, FORMAT_PARAM)
        pagination = initkwargs.get("pagination_class", cls.pagination_class)
        if action == "list" and pagination is not None:
            parameters = (*parameters, pagination.page_query_param, pagination.page_size_query_param)
        return parameters

    def base_queryset(self):
        """Every record of the resource, before visibility; subclasses add what they serialize."""
        return self.model._default_manager.all()

    # Visibility

    def can_preview(self) -> bool:
        model = self.publication_model or self.model
        user = self.request.user
        opts = model._meta
        return user.is_authenticated and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def get_serializer_context(self):
        # The path to the record whose publication governs this one: a write asks it whether it needs a note.
        return {**super().get_serializer_context(), "publication": self.publication}

    def get_queryset(self):
        return self.visible(self.base_queryset())

    def visible(self, queryset):
        """`queryset` narrowed to the records this request may see."""
        if self.publication is None or self.can_preview():
            return queryset
        if self.publication == "":
            return queryset.published()
        # The rule as a condition on the join to the record that decides, not an IN over every published
        # one: SQLite then reads a page of parts in their document's order off the indexes (0.06 ms at
        # 100× instead of sorting every theme, 14 ms).
        return queryset.filter(published_condition(self.publication))

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update") and self.write_serializer_class:
            return self.write_serializer_class
        if self.gives_summaries():
            return self.summary_serializer_class
        return self.serializer_class

    def gives_summaries(self) -> bool:
        """Whether this response is a page of the list in JSON, which gives each record as a summary (its
        record and the exports, CSV included, give everything)."""
        return (
            self.summary_serializer_class is not None
            and self.action == "list"
            and self.request.query_params.get(FORMAT_PARAM, "json") == "json"
        )

    def gives_csv(self) -> bool:
        """Whether this response is the CSV of the list or of its export, whose rows show the columns of the
        resource's import-export resource rather than its API record."""
        return self.action in ("list", "export") and self.request.query_params.get(FORMAT_PARAM) == "csv"

    def lookup_filter(self) -> dict:
        """The filter that finds the one record of a detail URL; 404 for a value that cannot be one."""
        value = self.kwargs[self.lookup_field]
        if not self.lookup_pattern.fullmatch(value) or len(value) > 100:
            raise NotFound()
        return {self.lookup_field: value}

    def get_object(self):
        queryset = self.get_queryset()
        try:
            record = queryset.get(**self.lookup_filter())
        except queryset.model.DoesNotExist:
            raise NotFound() from None
        self.check_object_permissions(self.request, record)
        return record

    # Reads and writes

    def list(self, request, *args, **kwargs):
        export_format = request.query_params.get(FORMAT_PARAM, "json")
        if export_format == "csv":
            # Every page at once, but a page or page size that the JSON would refuse is refused here too.
            self.paginator.check_parameters(request)
            return self.export_csv(request)
        if export_format != "json":
            raise ValidationError({FORMAT_PARAM: [_("Unknown format: use json or csv.")]})
        return super().list(request, *args, **kwargs)

    def read_representation(self, record) -> dict:
        fresh = self.get_queryset().get(pk=record.pk)
        return self.serializer_class(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.check_publication_rules(serializer)
        held = self.part_review_record(
            serializer.validated_data.get(self.publication) if self.publication else None
        )
        if held is not None:
            return self.hold_part_for_review(held, serializer=serializer)
        record = serializer.save()
        self.record_changed(record)
        return Response(self.read_representation(record), status=201)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.check_publication_rules(serializer, record)
        if needs_review(request.user, record):
            return self.hold_for_review(serializer, record)
        held = self.part_review_record(getattr(record, self.publication) if self.publication else None)
        if held is not None:
            return self.hold_part_for_review(held, serializer=serializer, part=record)
        record = serializer.save()
        self.record_changed(record)
        return Response(self.read_representation(record))

    def destroy(self, request, *args, **kwargs):
        if self.publication:
            record = self.get_object()
            held = self.part_review_record(getattr(record, self.publication))
            if held is not None:
                return self.hold_part_for_review(held, part=record, delete=True)
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        self.check_publication_rules(None, instance)
        if isinstance(instance, Publishable) and needs_review(self.request.user, instance):
            raise PermissionDenied(_("Only publishers may delete a published record."))
        refused = deletion_refused_message(instance)
        if refused:
            raise Conflict(refused)
        instance._history_user = self.request.user
        # The admin refuses to delete a record that others protect (a meeting with documents); so do we.
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict() from exc
        self.record_changed(instance)

    # The admin's publication rules: only publishers publish, schedule, unpublish or delete what is
    # public; an editor's change to a published record waits for review; the parts of a published
    # document are changed by publishers only.

    def check_publication_rules(self, serializer, record=None) -> None:
        user = self.request.user
        data = serializer.validated_data if serializer is not None else {}
        if issubclass(self.model, Publishable) and not can_publish(user, self.model):
            status = record.status if record is not None else Publishable.Status.DRAFT
            published_at = record.published_at if record is not None else None
            # The publish time is a publisher's too, on a draft as well: set there, it would backdate
            # (or schedule) the publication of whoever publishes the draft next.
            rescheduled = data.get("published_at", published_at) != published_at
            if data.get("status", status) != status or rescheduled:
                raise PermissionDenied(_("Only publishers may publish, schedule or unpublish a record."))
        if self.publication and record is not None:
            # A part's change, addition or deletion in a published document waits for review with the
            # document's (part_review_record); moved into or out of one, it would not be reviewed there.
            parents = [data.get(self.publication), getattr(record, self.publication)]
            moved = parents[0] is not None and parents[0] != parents[1]
            if moved and any(parent is not None and needs_review(user, parent) for parent in parents):
                raise PermissionDenied(
                    _("This document is published: only a publisher may add or change its parts.")
                )

    def part_review_record(self, parent):
        """The published record (`parent`, the part's document) whose change awaiting review holds this
        user's write to one of its parts; None when the write is made at once."""
        if parent is not None and needs_review(self.request.user, parent):
            return parent
        return None

    def hold_part_for_review(self, record, *, serializer=None, part=None, delete=False):
        """Keep an editor's addition, change or deletion of a part of the published `record` with the
        record's change awaiting review: 202, the public record and its parts unchanged."""
        sent = serializer.validated_data if serializer is not None else {}
        if delete:
            change = part_change(part, fk=self.publication, delete=True)
        elif part is not None:
            values = serializer.proposed_values(part)
            values.pop(self.publication, None)
            if not values:
                return Response(self.read_representation(part))
            current = type(part)._base_manager.get(pk=part.pk)
            change = part_change(current, fk=self.publication, values=values)
        else:
            change = part_change(
                self.model(**{self.publication: record}),
                fk=self.publication,
                values=self.proposed_addition(serializer),
            )
        pending = submit_pending_change(
            record=record,
            data={},
            parts=[change],
            user=self.request.user,
            note=sent.get("change_note", ""),
            pending_version=sent.get("pending_version", 0 if "version" in sent else None),
        )
        return self.held_response(record, pending)

    def proposed_addition(self, serializer) -> dict:
        """The values of the part that `serializer` would add, checked as a save would check them but not
        saved: {field name: value}, JSON-safe."""
        data = dict(serializer.validated_data)
        for name in ("version", "pending_version", "change_note"):
            data.pop(name, None)
        part = self.model()
        many_to_many = serializer.assign(part, data)
        serializer.clean_record(part)
        opts = part._meta
        names = {field.name for field in opts.concrete_fields}
        values = {
            field.name: json_value(getattr(part, field.attname))
            for field in opts.concrete_fields
            if field.editable
            and not field.primary_key
            and field.name != self.publication
            and f"{field.name}_ja" not in names
            and getattr(part, field.attname) not in (None, "")
        }
        return {**values, **{name: json_value(list(value)) for name, value in many_to_many.items()}}

    def held_response(self, record, pending):
        return Response(
            {
                "detail": held_for_review_message(record),
                "pending_change": {
                    "fields": sorted(pending.data),
                    "parts": part_change_rows(pending),
                    "proposed_by": self.request.user.get_username(),
                    "base_version": pending.base_version,
                    "version": pending.version,
                },
            },
            status=202,
        )

    def hold_for_review(self, serializer, record):
        """Keep an editor's change to a published record for a publisher's review: 202, the public record unchanged."""
        values = serializer.proposed_values(record)
        if not values:
            return Response(self.read_representation(record))
        # A change made on a version of the record expects the change awaiting review it names (none, unless
        # it names one), so that two editors' changes on one version are one 202 and one 409.
        sent = serializer.validated_data
        pending_version = sent.get("pending_version", 0 if "version" in sent else None)
        pending = submit_pending_change(
            record=record,
            data=values,
            user=self.request.user,
            note=sent.get("change_note", ""),
            pending_version=pending_version,
        )
        return self.held_response(record, pending)

    def record_changed(self, record) -> None:
        """A hook for records whose change time is kept by another record (a document's parts)."""

    # Exports

    # Public history

    @extend_schema(
        summary="The record's public corrections",
        description="Every correction made to the record, and to the parts shown with it (a document's "
        "themes, key points, footnotes, annexes and communiqué items; a meeting's places and chairs), "
        "after it was published, newest first (at most 100), each with its note and each changed field "
        "before and after, both languages of a translated one.",
        responses={200: CorrectionSerializer(many=True), 404: ErrorSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        queryset = self.visible(self.model._default_manager.all())
        try:
            record = queryset.only("pk").get(**self.lookup_filter())
        except queryset.model.DoesNotExist:
            raise NotFound() from None
        label = record._meta.label_lower
        rows = Correction.objects.filter(
            Q(model=label, object_id=record.pk) | Q(page_model=label, page_id=record.pk)
        ).order_by("-date", "-id")[:100]
        return Response(CorrectionSerializer(rows, many=True, context=self.get_serializer_context()).data)

    def export_queryset(self):
        return self.filter_queryset(self.get_queryset())

    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request, *args, **kwargs):
        """Every record that the filters select, all pages, streamed: `?format=json` (default) or `csv`."""
        export_format = request.query_params.get(FORMAT_PARAM, "json")
        if export_format == "csv":
            return self.export_csv(request)
        if export_format != "json":
            raise ValidationError({FORMAT_PARAM: [_("Unknown format: use json or csv.")]})
        context = self.get_serializer_context()

        def serialize(chunk):
            return self.serializer_class(chunk, many=True, context=context).data

        return exports.json_response(
            serialize,
            self.export_queryset(),
            language=messages_language(self.language),
            filename=f"{self.export_name}.json",
        )

    def export_csv(self, request):
        return exports.csv_response(
            self.csv_columns,
            self.export_queryset(),
            language=messages_language(self.language),
            filename=f"{self.export_name}.csv",
        )
