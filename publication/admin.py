"""The editors' admin: bilingual forms, review before publishing, history with compare and restore,
optimistic locking, translation status, import and export."""

import copy
import itertools
from types import SimpleNamespace

from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin, SortableTabularInline
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.forms import ImportForm
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .corrections import column_label
from .formsets import PartForm, PartsFormSet, SortablePartsFormSet
from .history import changed_fields, compare_versions, restorable_changes, restore_version, same, version_note
from .models import ConcurrentEditError, PendingChange, Publishable, Source, TextStatus
from .notifications import part_change_summaries
from .review import (
    apply_values,
    can_publish,
    change_note_missing_message,
    deletion_refused_message,
    held_for_review_message,
    needs_change_note,
    needs_review,
    part_change,
    part_change_rows,
    part_is_locked,
    parts_formset,
    pending_change_for,
    proposed_part_changes,
    proposed_values,
    publish_pending_change,
    related_change,
    renumbers,
    restore_values,
    review_record,
    submit_pending_change,
)

# Addresses typed without a scheme are taken as https, as Django 6 will do.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}
STATUS_CHOICES = [("", _("As the record's language implies"))] + [
    choice for choice in TextStatus.choices if choice[0] != TextStatus.MISSING
]


class RecordBoundField(forms.BoundField):
    """A field of a record's form that shows the value its form says is now the record's (`refreshed`),
    where a refused save takes the other editor's value in place of the one this form was sent with."""

    def value(self):
        if self.name in self.form.refreshed:
            return self.field.prepare_value(self.form.refreshed[self.name])
        return super().value()


class RecordForm(forms.ModelForm):
    """The change form of a bilingual record, with optimistic locking, translation status and a change note."""

    bound_field_class = RecordBoundField

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # For a change that waits for review: the version of the change awaiting review it was made on (0: none).
    loaded_pending_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    change_note = forms.CharField(
        label=_("Note on this change"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=_(
            "Shown with the correction on the public page: say what was corrected and why. Required for a change "
            "to the content of a published record."
        ),
    )

    minor_edit = forms.BooleanField(
        label=_("Minor edit"),
        required=False,
        help_text=_(
            "A change that does not alter the meaning (a typo, punctuation): the translations of the texts "
            "changed are not flagged out of date."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The values the form shows in place of its data: see _refuse_concurrent_edit.
        self.refreshed = {}
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version
            if self.held_for_review():
                pending = pending_change_for(self.review_record())
                self.fields["loaded_pending_version"].initial = pending.version if pending else 0
        for column in self._meta.model.text_columns():
            if f"{column}__status" in self.fields:
                self.fields[f"{column}__status"].initial = self.instance.translation_status.get(column, "")

    # Set by RecordAdmin.get_form: who edits, and the path to the record whose publication governs this one.
    editor = None
    governed_by: str | None = None
    # Set for a preview of the form's values (PublishableAdmin.preview_view), which saves nothing.
    previewing = False

    def review_record(self):
        """The record whose change awaiting review holds this form's change: the record, or for a part of a
        published document, the document (review_record); None when the change is saved at once."""
        if self.editor is None:
            return None
        return review_record(self.editor, self.instance, self.governed_by)

    def held_for_review(self) -> bool:
        return self.review_record() is not None

    def clean(self):
        cleaned = super().clean()
        if self.previewing:
            # What only a save must respect (the version it was made on, its note, review) waits for the save.
            return cleaned
        self._check_part_of_published_record(cleaned)
        loaded = cleaned.get("loaded_version")
        if self.instance.pk is not None and loaded is not None:
            current = type(self.instance)._base_manager.get(pk=self.instance.pk)
            if current.version != loaded:
                self._refuse_concurrent_edit(current, loaded)
            self.instance.version = loaded
        self._check_change_note(cleaned)
        loaded_pending = cleaned.get("loaded_pending_version")
        if self.instance.pk is not None and loaded_pending is not None and self.held_for_review():
            pending = pending_change_for(self.review_record())
            if (pending.version if pending else 0) != loaded_pending:
                self._refuse_concurrent_review(pending, loaded_pending)
        return cleaned

    def _check_change_note(self, cleaned):
        """A change that the public page will list as a correction says what it corrects (as in the API)."""
        if cleaned.get("change_note") or "change_note" not in self.fields:
            return
        new_status = cleaned.get("status", getattr(self.instance, "status", None))
        if needs_change_note(self.instance, self.changed_data, path=self.governed_by, new_status=new_status):
            self.add_error("change_note", change_note_missing_message())

    def _refuse_concurrent_review(self, pending, loaded):
        """Another editor proposed or amended the change awaiting review while this form was open: nothing
        is merged unseen; the form comes back, its input kept, on the current change awaiting review."""
        data = self.data.copy()
        data[self.add_prefix("loaded_pending_version")] = pending.version if pending else 0
        self.data = data
        if pending is None:
            raise ValidationError(
                _(
                    "The change awaiting review that you were adding to has been published or discarded "
                    "meanwhile. Nothing has been saved from your form: read the record again, then save again "
                    "to keep your input."
                ),
                code="concurrent_review",
            )
        raise ValidationError(
            _(
                "%(who)s changed what awaits review on this record while you were editing it. Nothing has been "
                "saved from your form, and your input is kept below: read their change on the review page, then "
                "save again to add yours to it."
            ),
            code="concurrent_review",
            params={"who": pending.author or _("Someone")},
        )

    def _check_part_of_published_record(self, cleaned):
        if not self.governed_by or self.editor is None:
            return
        first, _dot, rest = self.governed_by.partition(".")
        parent = cleaned.get(first)
        message = _("This document is published: only a publisher may add or change its parts.")
        if self.instance.pk is not None:
            if first not in self.changed_data:
                # A change to a part of a published document waits for review with the document's (review_record).
                return
            if part_is_locked(self.editor, self.instance, self.governed_by):
                # Moved out of a published document, a part would leave it unreviewed.
                self.add_error(first, message)
                return
        if parent is not None and part_is_locked(self.editor, parent, rest):
            self.add_error(first, message)

    def _refuse_concurrent_edit(self, current, loaded):
        seen = current.history.filter(version=loaded).order_by("-history_id").first()
        latest = current.history.order_by("-history_id").first()
        who = (latest and latest.history_user) or gettext("Someone")
        changes = changed_fields(current, seen) if seen else []
        described = "; ".join(
            f"{change.label} ({change.field}): “{change.old}” → “{change.new}”" for change in changes
        )
        # The form comes back based on the current version: a field only the other editor changed shows
        # their value, a field only this editor changed keeps this editor's, and a field both changed
        # keeps this editor's with an error that names theirs. Saving again, once that is read, is a
        # deliberate choice and not an accident, and undoes nothing the other editor did unseen.
        theirs = self._record_values(current)
        before = self._record_values(seen) if seen else None
        for name, their_value in theirs.items():
            field, mine = self.fields[name], self[name].data
            if not field.has_changed(their_value, mine):
                continue
            known = before is not None and name in before
            if known and not field.has_changed(before[name], mine):
                self.refreshed[name] = their_value
            elif not known or not same(before[name], their_value):
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "%(who)s saved “%(theirs)s” here while you were editing. Your text is kept "
                            "below: save again to keep it, or change it."
                        ),
                        code="concurrent_edit",
                        params={"who": who, "theirs": self._shown(current, name, their_value)},
                    ),
                )
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = current.version
        self.data = data
        raise ValidationError(
            _(
                "%(who)s saved this record while you were editing it (version %(loaded)s → %(current)s). "
                "Their changes: %(changes)s. Nothing has been saved from your form: it now shows their "
                "changes where you had changed nothing, and keeps your input elsewhere. Read it, then save "
                "again to keep it."
            ),
            code="concurrent_edit",
            params={
                "who": who,
                "loaded": loaded,
                "current": current.version,
                "changes": described or _("see the record's history"),
            },
        )

    def _record_values(self, record) -> dict:
        """What `record` (the live record or one of its historical versions) holds for each field of the
        form that edits it, as the form's initial values are given: a related record by its key, the
        records of a many-to-many field as a sorted list of keys, a text's status as its choice. A field
        whose value a historical version does not keep is left out."""
        model = self._meta.model
        names = {field.name for field in model._meta.get_fields()}
        values = {}
        for name in self.fields:
            column = name.removesuffix("__status")
            if name != column and column in names:
                values[name] = record.translation_status.get(column, "")
                continue
            if name not in names:
                continue
            model_field = model._meta.get_field(name)
            if model_field.many_to_many:
                if hasattr(record, name):
                    values[name] = sorted(self._related_keys(record, model_field))
            elif model_field.concrete:
                values[name] = getattr(record, model_field.attname)
        return values

    def _related_keys(self, record, model_field):
        related = getattr(record, model_field.name).all()
        if isinstance(record, self._meta.model):
            return related.values_list("pk", flat=True)
        # A historical version (django-simple-history) keeps its many-to-many rows in a table of its own,
        # with a foreign key to the related record.
        column = next(
            field.attname
            for field in related.model._meta.concrete_fields
            if field.is_relation and field.related_model is model_field.related_model
        )
        return related.values_list(column, flat=True)

    def _shown(self, record, name, value) -> str:
        """`value`, the record's value of the form's field `name`, as an editor reads it."""
        if name.endswith("__status"):
            return str(dict(STATUS_CHOICES).get(value, value))
        model_field = self._meta.model._meta.get_field(name)
        if model_field.many_to_many:
            return ", ".join(str(related) for related in getattr(record, name).all()) or "—"
        if model_field.is_relation:
            return str(getattr(record, name) or "—")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        return "—" if value in (None, "") else str(value)

    def save(self, commit=True):
        said = {
            column: self.cleaned_data.get(f"{column}__status", "")
            for column in self._meta.model.text_columns()
            if f"{column}__status" in self.cleaned_data
        }
        self.instance.translation_status = {
            column: status
            for column, status in {**self.instance.translation_status, **said}.items()
            if status
        }
        if self.cleaned_data.get("change_note"):
            self.instance._change_reason = self.cleaned_data["change_note"]
        self.instance.minor_edit = bool(self.cleaned_data.get("minor_edit"))
        return super().save(commit)


class ExportSelectionMixin(ExportActionMixin):
    """Export of any changelist selection, limited to the records this admin shows."""

    def get_valid_export_item_pks(self, request):
        # Overridden because django-import-export's own version is deprecated and warns on every export.
        return self.get_queryset(request).values_list("pk", flat=True)


class RecordAdmin(ExportSelectionMixin, SimpleHistoryAdmin, TranslationAdmin):
    """The admin of a bilingual record: both languages of each translated field one below the other
    (modeltranslation's tabs would load jQuery UI from a CDN), the status of each text, history with
    compare and restore, and export of any selection."""

    form = RecordForm
    formfield_overrides = URL_FIELD_OVERRIDES
    object_history_template = "admin/core/object_history.html"
    editorial_fields = [
        "translation_overview",
        "change_note",
        "minor_edit",
        "loaded_version",
        "loaded_pending_version",
    ]
    actions = ["confirm_translations"]
    # For a part of a document: the path to the record whose publication governs it ("declaration").
    governed_by: str | None = None

    def get_resource_classes(self, request):
        from .resources import export_resource

        return self.resource_classes or [export_resource(self.model)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        status_fields = {
            f"{column}__status": forms.ChoiceField(
                label=_("Status of %(column)s") % {"column": column}, choices=STATUS_CHOICES, required=False
            )
            for column in self.model.text_columns()
        }
        attributes = {
            **status_fields,
            "editor": request.user,
            "governed_by": self.governed_by,
            "previewing": kwargs.pop("previewing", False),
        }
        kwargs["form"] = type(f"{self.model.__name__}RecordForm", (self.form,), attributes)
        return super().get_form(request, obj, change=change, **kwargs)

    def _locked(self, request, obj) -> bool:
        return obj is not None and part_is_locked(request.user, obj, self.governed_by)

    def has_delete_permission(self, request, obj=None):
        # A part of a published document is deleted by a publisher, or proposed for deletion in its
        # document's form (its inline), where the review shows it.
        return not self._locked(request, obj) and super().has_delete_permission(request, obj)

    # Review: an editor's change to a record that the public sees, or to a part of one (its own fields, or
    # those of its parts in the inlines), waits for a publisher's review as one change of the record.

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        held = request.method == "POST" and review_record(request.user, obj, self.governed_by)
        if (
            held
            and issubclass(inline.formset, PartsFormSet)
            and not request.POST.get("change_note", "").strip()
        ):
            # A proposed correction of a part says what it corrects, as one of the record's fields does: the
            # public page lists it with the note once published.
            def unnoted_change(form):
                path = getattr(type(form.instance), "public_page", None)
                if path and needs_change_note(form.instance, form.changed_data, path=path):
                    return change_note_missing_message()
                return None

            kwargs["unnoted_change"] = unnoted_change
        return kwargs

    def save_model(self, request, obj, form, change):
        held = review_record(request.user, obj, self.governed_by) if change else None
        if held is not None:
            request._g7_held_for_review = held
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        held = getattr(request, "_g7_held_for_review", None)
        if held is None:
            super().save_related(request, form, formsets, change)
            return
        data, parts = {}, []
        if held is form.instance:
            data = proposed_values(form)
        else:
            fk = self.governed_by.partition(".")[0]
            values = {name: value for name, value in proposed_values(form).items() if name != fk}
            if values:
                parts.append(part_change(form.instance, fk=fk, values=values, before=form.initial))
        for formset in formsets:
            parts += proposed_part_changes(formset)
            # Nothing of the form is saved; the admin's change message still reads the formsets.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if data or parts:
            submit_pending_change(
                record=held,
                data=data,
                parts=parts,
                user=request.user,
                note=form.cleaned_data.get("change_note", ""),
                pending_version=form.cleaned_data.get("loaded_pending_version"),
            )
            self.message_user(request, held_for_review_message(held), messages.WARNING)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Nothing was changed when the change waits for review: the admin's "changed successfully" would mislead.
        if getattr(request, "_g7_held_for_review", None) is not None and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translation_overview"]

    def get_fieldsets(self, request, obj=None):
        extra = {*self.editorial_fields, *(f"{column}__status" for column in self.model.text_columns())}
        fieldsets = [
            (name, {**options, "fields": [field for field in options["fields"] if field not in extra]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        statuses = [f"{column}__status" for column in self.model.text_columns()]
        return [
            *fieldsets,
            (
                _("Translation"),
                {
                    "fields": ["translation_overview", *statuses],
                    "classes": ["collapse"] if obj is None else [],
                },
            ),
            (
                _("This change"),
                {"fields": ["change_note", "minor_edit", "loaded_version", "loaded_pending_version"]},
            ),
        ]

    @admin.display(description=_("Texts by language"))
    def translation_overview(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Shown once the record is saved.")
        rows = []
        for field in obj.translated_fields():
            cells = []
            for language in ("ja", "en"):
                status = obj.text_status(field, language)
                label = TextStatus(status).label
                if language == obj.translation_language_code() and obj.is_out_of_date(field):
                    if language == "en":
                        label = gettext("%(status)s, out of date: the Japanese changed later") % {
                            "status": label
                        }
                    else:
                        label = gettext("%(status)s, out of date: the English changed later") % {
                            "status": label
                        }
                cells.append((status, label))
            rows.append((field, *cells[0], *cells[1]))
        return format_html(
            '<table class="translation-overview"><thead><tr><th>{}</th><th>日本語</th><th>English</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            gettext("Field"),
            format_html_join(
                "",
                '<tr><td>{}</td><td class="text-{}">{}</td><td class="text-{}">{}</td></tr>',
                rows,
            ),
        )

    @admin.action(description=_("Confirm the out-of-date translations as current"), permissions=["change"])
    def confirm_translations(self, request, queryset):
        """A translator has checked the selected records' out-of-date translations against their authentic
        texts and found them still right: they are marked current, unchanged, and the history says so."""
        related = self.model.authentic_language_related()
        if related:
            queryset = queryset.select_related(related)
        confirmed = refused = 0
        for record in queryset:
            if not self.has_change_permission(request, record):
                refused += 1
                continue
            if not record.confirm_translations():
                continue
            record._history_user = request.user
            try:
                record.save()
            except ConcurrentEditError:
                refused += 1
                continue
            self.log_change(request, record, gettext("Translations confirmed as current."))
            confirmed += 1
        message = ngettext(
            "Translations confirmed as current in %(count)d record.",
            "Translations confirmed as current in %(count)d records.",
            confirmed,
        )
        self.message_user(request, message % {"count": confirmed}, messages.SUCCESS)
        if refused:
            message = ngettext(
                "%(count)d record was left as it was: you may not change it now.",
                "%(count)d records were left as they were: you may not change them now.",
                refused,
            )
            self.message_user(request, message % {"count": refused}, messages.WARNING)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            # Two saves raced past the form's check; the second is refused whole, its transaction rolled back.
            self.message_user(
                request,
                gettext(
                    "Someone else saved this record at the same moment. Nothing of yours was saved: reload it."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    # History: compare any two versions, restore one.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info[0]}_{info[1]}_compare",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{info[0]}_{info[1]}_restore",
            ),
            *super().get_urls(),
        ]

    # What the history page shows of each version besides its own columns (history_view sets them on each).
    history_list_display = ["version_note"]

    def version_note(self, version):
        return version_note(version)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # With the editor who proposed each reviewed change, which the page names beside its publisher.
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .select_related("proposed_by")
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # The fields each version changed, as the compare page counts them (an empty text and none are alike,
        # and a translated field's mirror column is left out).
        for newer, older in itertools.pairwise(historical_records):
            newer.history_delta_changes = [
                SimpleNamespace(field=change.label) for change in compare_versions(older, newer)
            ]

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history filters by the raw id: one that is not a number would be a 500, not a 404.
        if self.get_object(request, unquote(object_id)) is None:
            return self.missing_record_redirect(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self.missing_record_redirect(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def missing_record_redirect(self, request, object_id):
        """What the admin's change page answers for an id with no record: a warning, in Django's words,
        and back to the list."""
        message = gettext("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?") % {
            "name": self.opts.verbose_name,
            "key": unquote(object_id),
        }
        self.message_user(request, message, messages.WARNING)
        changelist = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        return HttpResponseRedirect(reverse(changelist, current_app=self.admin_site.name))

    def _history_object(self, request, object_id, permission):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not permission(request, obj):
            raise PermissionDenied
        return obj

    def _version(self, obj, history_id):
        try:
            return obj.history.get(history_id=int(history_id))
        except (ValueError, TypeError, obj.history.model.DoesNotExist) as error:
            raise Http404 from error

    def compare_view(self, request, object_id):
        obj = self._history_object(request, object_id, self.has_view_or_change_permission)
        versions = obj.history.order_by("-history_id")
        older = self._version(
            obj, request.GET.get("older") or versions[1:2].values_list("history_id", flat=True).first()
        )
        newer = self._version(
            obj, request.GET.get("newer") or versions.values_list("history_id", flat=True).first()
        )
        if older.history_date > newer.history_date:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "older": older,
            "newer": newer,
            "changes": compare_versions(older, newer),
            "title": gettext("Compare versions of %(record)s") % {"record": obj},
            "can_restore": self.has_restore_permission(request, obj),
        }
        return TemplateResponse(request, "admin/core/compare.html", context)

    def has_restore_permission(self, request, obj) -> bool:
        # A part of a published document is restored by a publisher: its restore has no review of its own.
        return not self._locked(request, obj) and self.has_change_permission(request, obj)

    def restore_view(self, request, object_id, history_id):
        """Restore an earlier version, as a new version. Someone who may not publish restores everything
        but the publication state and publish time; and their restore of a record that the public sees
        waits for review, as any change of theirs would."""
        obj = self._history_object(request, object_id, self.has_restore_permission)
        version = self._version(obj, history_id)
        keep_publication = not can_publish(request.user, self.model)
        held_for_review = needs_review(request.user, obj)
        changes = restorable_changes(obj, version, keep_publication=keep_publication)
        if request.method == "POST":
            change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
            when = date_format(timezone.localtime(version.history_date), "DATETIME_FORMAT")
            if held_for_review:
                if changes:
                    submit_pending_change(
                        record=obj,
                        data=restore_values(obj, changes),
                        user=request.user,
                        restored_from=version.history_date,
                    )
                    self.log_change(
                        request, obj, gettext("Proposed to restore the version of %(date)s") % {"date": when}
                    )
                self.message_user(request, held_for_review_message(obj), messages.WARNING)
                return HttpResponseRedirect(change_url)
            try:
                restore_version(
                    record=obj, version=version, user=request.user, keep_publication=keep_publication
                )
            except ValidationError as error:
                for reason in error.messages:
                    self.message_user(
                        request,
                        gettext("The earlier version cannot be restored as it is: %(reason)s")
                        % {"reason": reason},
                        messages.ERROR,
                    )
                return HttpResponseRedirect(request.path)
            self.log_change(request, obj, gettext("Restored the version of %(date)s") % {"date": when})
            self.message_user(request, gettext("The earlier version is restored, as a new version."))
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "version": version,
            "changes": changes,
            "held_for_review": held_for_review,
            "title": gettext("Restore an earlier version of %(record)s") % {"record": obj},
        }
        return TemplateResponse(request, "admin/core/restore_confirm.html", context)


class RecordInlineMixin:
    """The inline parts of a record, saved as one formset (PartsFormSet). An editor edits those of a
    published record as a publisher does: the record's admin keeps what they propose with the change to
    the record that awaits review (RecordAdmin.save_related)."""

    formfield_overrides = URL_FIELD_OVERRIDES
    form = PartForm
    formset = PartsFormSet


# The labels of django-admin-sortable2's buttons on each row, which its catalogues give in no Japanese: ours do.
gettext_noop("Move to first position")
gettext_noop("Move to last position")


class SortablePartsInlineMixin(SortableInlineAdminMixin):
    """Parts an editor may drag into a new order (django-admin-sortable2), by the handle of each row; the
    order field (the model's first `ordering` field) stays a number to type, for the keyboard. Dragging
    writes 1 to n into it, so it is never a number that the public cites: a meeting's places and chairs
    have their order, a document's themes, key points, footnotes, annexes and communiqué items a position
    apart from their number (README, "Order of parts"). The record's admin is a SortablePartsAdminMixin.
    A stacked inline sets `template` to SortableStackedInline.template."""

    formset = SortablePartsFormSet
    template = SortableTabularInline.template


class RenumberingRecordForm(RecordForm):
    """The change form of a record whose parts have a number apart from their order, which the editor may
    renumber in that order on purpose (RenumberablePartsAdminMixin)."""

    renumber_parts = forms.BooleanField(
        label=_("Renumber the parts in their order"),
        required=False,
        help_text=_(
            "Gives the parts of each kind on this page the numbers 1, 2, 3, … in the order shown, in this save. "
            "Their numbers are cited: the public addresses and anchors that use them change too."
        ),
    )


class SortablePartsAdminMixin(SortableAdminBase):
    """The admin of a record with parts to drag into order: a list of parts that the user may not change
    (a published record's parts, to an editor) is not draggable."""

    class Media:
        css = {"all": ["css/admin-parts.css"]}

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None, **kwargs):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj, **kwargs
        )
        for inline_admin_formset in inline_admin_formsets:
            if not inline_admin_formset.has_change_permission:
                classes = inline_admin_formset.classes.split()
                inline_admin_formset.classes = " ".join(name for name in classes if name != "sortable")
        return inline_admin_formsets


class RenumberablePartsAdminMixin(SortablePartsAdminMixin):
    """The admin of a record whose draggable parts have a number apart from their order (a document's
    themes, footnotes, annexes and communiqué items; a theme's key points). A drag changes the order only;
    "Renumber the parts in their order" (RenumberingRecordForm) also sets each part's number and order to
    its rank in that order, 1 to n for each kind, in the same save: the rows the editor sends are given
    those numbers, so that the save is any other change of numbers (exchanges in one transaction, the
    history, a published record's change held for review)."""

    form = RenumberingRecordForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [field for field in options["fields"] if field != "renumber_parts"]
            if "change_note" in fields and obj is not None:
                fields.insert(fields.index("change_note"), "renumber_parts")
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def renumbers(self, request, obj, inline) -> bool:
        order_field = getattr(inline, "default_order_field", None)
        return (
            request.method == "POST"
            and obj is not None
            and bool(request.POST.get("renumber_parts"))
            and order_field not in (None, "number")
            and any(field.name == "number" for field in inline.model._meta.get_fields())
            and inline.has_change_permission(request, obj)
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if self.renumbers(request, obj, inline):
            renumber_rows(kwargs["data"], prefix, inline.default_order_field)
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.cleaned_data.get("renumber_parts"):
            if getattr(request, "_g7_held_for_review", None) is not None:
                message = gettext(
                    "The renumbering waits for review with the rest of the change: once published, the public "
                    "addresses and anchors that cite the parts' numbers change with them."
                )
            else:
                message = gettext(
                    "The parts are renumbered in their order: the public addresses and anchors that cite "
                    "their numbers change with them."
                )
            self.message_user(request, message, messages.WARNING)


def renumber_rows(data: QueryDict, prefix: str, order_field: str) -> None:
    """Give the rows of the formset `prefix` in `data` (a mutable copy of the POST) the numbers and order
    1 to n, in the order of their order field; a row added without an order comes after the others, as it
    would be placed, and the rows to delete keep theirs. A saved row whose order is not a number leaves
    every row as it is: the form says what is wrong with it."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return
    rows, added = [], []
    for index in range(max(0, min(total, 1000))):
        row = f"{prefix}-{index}"
        if data.get(f"{row}-DELETE"):
            continue
        value = data.get(f"{row}-{order_field}", "").strip()
        if not value and not data.get(f"{row}-id"):
            added.append(row)
            continue
        try:
            rows.append((int(value), index, row))
        except ValueError:
            return
    ranked = [row for _order, _index, row in sorted(rows)] + added
    for rank, row in enumerate(ranked, start=1):
        data[f"{row}-number"] = str(rank)
        data[f"{row}-{order_field}"] = str(rank)


class RecordStackedInline(RecordInlineMixin, TranslationStackedInline):
    pass


class RecordTabularInline(RecordInlineMixin, TranslationTabularInline):
    pass


class ReviewedAdmin(RecordAdmin):
    """The admin of a record that the public sees, itself (a published record) or through the published
    records that use it (reference data): an editor's change to it waits for a publisher's review, on a
    review page that compares it with the live record and previews it where the record has a page. Reference
    data that a published record uses is not deleted."""

    editorial_fields = [*RecordAdmin.editorial_fields, "pending_review"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "pending_review"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and pending_change_for(obj):
            fieldsets.insert(0, (_("Change awaiting review"), {"fields": ["pending_review"]}))
        return fieldsets

    def get_deleted_objects(self, objs, request):
        """What deleting `objs` would take: the admin's answer, with the published records that use any of
        them as protected, so that neither the delete page nor the list's action deletes it."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [message for message in map(deletion_refused_message, objs) if message]
        if refusals:
            for message in refusals:
                self.message_user(request, message, messages.ERROR)
            protected = [*protected, *refusals]
        return deleted, counts, perms_needed, protected

    def _field_labels(self, names) -> str:
        return ", ".join(sorted(str(self.opts.get_field(name).verbose_name) for name in names))

    def _change_summary(self, pending) -> str:
        """The fields and the kinds of parts that a change awaiting review touches, as the admin names them."""
        kinds = sorted(
            {str(apps.get_model(change["model"])._meta.verbose_name_plural) for change in pending.parts}
        )
        return pgettext("list separator", ", ").join(filter(None, [self._field_labels(pending.data), *kinds]))

    def proposal_formset(self, request, parent_model, model, fk):
        """The formset that saves a reviewed change to `model`'s parts of a `parent_model` record: the one
        of the inline that edits them in the parent's admin (a meeting's sessions keep their own rules)."""
        try:
            parent_admin = self.admin_site.get_model_admin(parent_model)
        except admin.sites.NotRegistered:
            parent_admin = None
        if parent_admin is not None:
            for inline in parent_admin.get_inline_instances(request):
                if inline.model is model:
                    formset = inline.get_formset(request)
                    if formset.fk.name == fk:
                        return formset
        return parts_formset(parent_model, model, fk)

    @admin.display(description=_("Change awaiting review"))
    def pending_review(self, obj):
        pending = obj and obj.pk and pending_change_for(obj)
        if not pending:
            return "—"
        review_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_review", args=[obj.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            gettext("%(author)s proposed changes to %(fields)s.")
            % {"author": pending.author or gettext("An editor"), "fields": self._change_summary(pending)},
            review_url,
            gettext("Review, preview and publish"),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{info[0]}_{info[1]}_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        obj = self._history_object(request, object_id, self.has_view_or_change_permission)
        pending = get_object_or_404(
            PendingChange.objects.select_related("author"),
            content_type__app_label=self.opts.app_label,
            content_type__model=self.opts.model_name,
            object_id=obj.pk,
        )
        publisher = can_publish(request.user, self.model)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "discard" and (publisher or pending.author_id == request.user.pk):
                pending.delete()
                self.log_change(request, obj, gettext("Discarded a change awaiting review"))
                self.message_user(request, gettext("The change awaiting review is discarded."))
            elif action == "publish" and publisher:
                try:
                    publish_pending_change(
                        pending=pending,
                        user=request.user,
                        formset_for=lambda *kind: self.proposal_formset(request, *kind),
                    )
                except ConcurrentEditError:
                    self.message_user(
                        request,
                        gettext(
                            "The record changed after this change was proposed; discard it or ask the editor to redo it."
                        ),
                        messages.ERROR,
                    )
                    return HttpResponseRedirect(request.path)
                except ValidationError as error:
                    self.message_user(request, "; ".join(error.messages), messages.ERROR)
                    return HttpResponseRedirect(request.path)
                self.log_change(
                    request,
                    obj,
                    gettext("Published a reviewed change: %(fields)s")
                    % {"fields": self._change_summary(pending)},
                )
                self.message_user(request, gettext("The reviewed change is published."))
            else:
                raise PermissionDenied
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
            )
        proposed = copy.copy(obj)
        apply_values(proposed, pending.data)
        changes, related_changes = [], []
        for name in sorted(pending.data):
            field = obj._meta.get_field(name)
            if field.many_to_many:
                related_changes.append(related_change(obj, field, pending.data[name]))
            else:
                changes.append((field.verbose_name, name, getattr(obj, name), getattr(proposed, name)))
        part_changes = part_change_rows(pending)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "pending": pending,
            "changes": changes,
            "related_changes": related_changes,
            "part_changes": part_changes,
            "renumbers": renumbers(part_changes),
            "publisher": publisher,
            "preview_urls": preview_urls(obj),
            "stale": pending.base_version != obj.version,
            "title": gettext("Review a change to %(record)s") % {"record": obj},
        }
        return TemplateResponse(request, "admin/core/review.html", context)


@admin.register(Source)
class SourceAdmin(ReviewedAdmin):
    list_display = ["title", "publisher", "slug"]
    search_fields = ["slug", "title_ja", "title_en", "publisher_ja", "publisher_en"]


class SizedImportForm(ImportForm):
    """django-import-export's import form, refusing a file larger than IMPORT_MAX_BYTES before it is read
    (Django has kept the upload in a temporary file; DATA_UPLOAD_MAX_MEMORY_SIZE counts no files)."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s: import it in parts."),
                code="too_large",
                params={"size": filesizeformat(settings.IMPORT_MAX_BYTES)},
            )
        return upload


class PublishableAdmin(ImportExportMixin, ReviewedAdmin):
    """The admin of a public record: Editors prepare it, Publishers publish it; an editor's change to a
    published record waits for a publisher's review, previewable in both languages."""

    import_form_class = SizedImportForm

    actions = ["publish_now", "unpublish", "confirm_translations"]
    publication_fieldset = (_("Publication"), {"fields": ["status", "published_at"]})
    provenance_fieldset = (
        _("Provenance"),
        {"fields": ["source", "source_locator", "provenance_note_ja", "provenance_note_en"]},
    )

    change_form_template = "admin/core/record_change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/preview/<str:language>/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{info[0]}_{info[1]}_preview",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id is not None:
            info = self.opts.app_label, self.opts.model_name
            extra_context["form_preview_urls"] = [
                (language, label, reverse(f"admin:{info[0]}_{info[1]}_preview", args=[object_id, language]))
                for language, label in PREVIEW_LANGUAGES
            ]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, object_id, language):
        """The record's public page in `language` with the change form's values, saved nowhere: the form
        (POSTed by its Preview buttons) is checked as a save checks it, its changed values are set on the
        record the public page reads, in memory, as ?preview=pending sets a change awaiting review's."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if language not in dict(PREVIEW_LANGUAGES):
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form_class = self.get_form(request, obj, change=True, previewing=True)
        form = form_class(request.POST, request.FILES, instance=obj)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("The preview needs valid values"),
                "opts": self.opts,
                "original": obj,
                "form": form,
            }
            return TemplateResponse(request, "admin/core/preview_errors.html", context, status=400)
        return render_public_page(
            request, obj, language, proposed_values(form), self.proposed_parts(request, obj)
        )

    def proposed_parts(self, request, obj) -> list[dict]:
        """What the change form's inlines propose for the record's parts, for a preview: the changes of
        each inline whose rows are valid (part_change entries); nothing is saved."""
        parts = []
        for formset_class, inline in self.get_formsets_with_inlines(request, obj):
            kwargs = self.get_formset_kwargs(request, obj, inline, formset_class.get_default_prefix())
            # A preview needs no note (as the record's form does not).
            kwargs.pop("unnoted_change", None)
            formset = formset_class(**kwargs)
            if formset.is_valid():
                parts += proposed_part_changes(formset)
        return parts

    @admin.display(description=_("publication state"), ordering="status")
    def state(self, obj):
        """Draft, published, or scheduled with the time it becomes public (a publish time still to come)."""
        if obj.publication_state == "scheduled":
            return gettext("Scheduled: %(time)s") % {
                "time": date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")
            }
        return obj.get_status_display()

    def has_import_permission(self, request):
        # An import adds and changes records; the resource holds it to the publication rules (RecordResource).
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not can_publish(request.user, self.model):
            fields += ["status", "published_at"]
        return fields

    def has_delete_permission(self, request, obj=None):
        # Deleting a published record takes it from the public: that is a publisher's decision.
        if (
            obj is not None
            and obj.status == Publishable.Status.PUBLISHED
            and not can_publish(request.user, self.model)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        """Whether the publication actions are offered: what an action's `permissions=["publish"]` asks
        (Django's action permissions)."""
        return can_publish(request.user, self.model)

    def _publish(self, request, obj, status, when=None):
        obj.status = status
        if when is not None:
            obj.published_at = when
        obj._change_reason = (
            gettext("Published") if status == Publishable.Status.PUBLISHED else gettext("Unpublished")
        )
        obj.save()
        self.log_change(request, obj, obj._change_reason)

    @admin.action(description=_("Publish the selected records now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        # One save each, not a bulk update: each publication is a version in the history, refreshes the
        # search index and the caches, and is logged.
        records = list(queryset.exclude(status=Publishable.Status.PUBLISHED))
        for record in records:
            self._publish(request, record, Publishable.Status.PUBLISHED, timezone.now())
        self.message_user(request, gettext("%(count)d records published.") % {"count": len(records)})

    @admin.action(description=_("Return the selected records to draft"), permissions=["publish"])
    def unpublish(self, request, queryset):
        records = list(queryset.filter(status=Publishable.Status.PUBLISHED))
        for record in records:
            self._publish(request, record, Publishable.Status.DRAFT)
        self.message_user(request, gettext("%(count)d records returned to draft.") % {"count": len(records)})


def preview_urls(record) -> list[tuple[str, str]]:
    """The record's public page in each language, showing the change awaiting review; none for a record
    without a page of its own (reference data)."""
    from django.utils import translation

    if not hasattr(record, "get_absolute_url"):
        return []
    urls = []
    for language, label in (("ja", "日本語"), ("en", "English")):
        with translation.override(language):
            urls.append((label, f"{record.get_absolute_url()}?preview=pending"))
    return urls


PREVIEW_LANGUAGES = (("ja", "日本語"), ("en", "English"))


def render_public_page(request, record, language: str, values: dict, parts: list[dict] | None = None):
    """The public page of `record` in `language`, rendered as its view renders it for this user, with
    `values` (field name to value, as a change awaiting review keeps them) set on the record it reads,
    and `parts` (part changes, publication.review.part_change) on the parts it reads.

    The page is read as a GET of its own address (a copy of the request, so that its links and language
    are the page's), by the view that its address resolves to; nothing is saved.
    """
    from django.utils import translation

    with translation.override(language):
        address = record.get_absolute_url()
        match = resolve(address)
        page_request = copy.copy(request)
        page_request.method = "GET"
        page_request.path = page_request.path_info = address
        page_request.GET = QueryDict()
        page_request.LANGUAGE_CODE = language
        view = match.func.view_class(**match.func.view_initkwargs)
        view.setup(page_request, *match.args, **match.kwargs)
        view.preview_values = values
        view.preview_parts = parts
        response = view.get(page_request, *match.args, **match.kwargs)
        response.render()
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


def review_inbox(user) -> list[dict]:
    """Every change awaiting review that `user` reviews or proposed, newest first: all of them for a
    kind of record they may publish, their own for the rest. Each with its record, who proposed it and
    when, the fields it changes (by their names in the active language), and the addresses of its review
    page (the comparison with the live record) and of its preview in each language.

    One query for the changes and one per kind of record among them: as many whatever their number."""
    changes = PendingChange.objects.select_related("author", "content_type")
    reviewed = [
        model
        for model in apps.get_models()
        if f"publish_{model._meta.model_name}" in dict(model._meta.permissions)
    ]
    publishable = [
        content_type.pk
        for model, content_type in ContentType.objects.get_for_models(*reviewed).items()
        if can_publish(user, model)
    ]
    changes = list(changes.filter(models.Q(content_type__in=publishable) | models.Q(author=user)))
    records = {}
    for content_type, group in itertools.groupby(
        sorted(changes, key=lambda change: change.content_type_id), key=lambda change: change.content_type
    ):
        model = content_type.model_class()
        ids = [change.object_id for change in group]
        records |= {(content_type.pk, record.pk): record for record in model._base_manager.filter(pk__in=ids)}
    rows = []
    for change in changes:
        record = records.get((change.content_type_id, change.object_id))
        if record is None:
            continue
        opts = record._meta
        rows.append(
            {
                "change": change,
                "kind": opts.verbose_name,
                "record": record,
                "fields": pgettext("list separator", ", ").join(
                    sorted(column_label(type(record), name) for name in change.data)
                ),
                "parts": pgettext("list separator", ", ").join(part_change_summaries(change)),
                "review_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[record.pk]),
                "preview_urls": preview_urls(record),
            }
        )
    return rows
