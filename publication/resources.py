"""Import and export of records as CSV or JSON: slugs for links, both languages as columns.

A model's resource is the one definition of its columns: the admin's import and export use it, and so
does the API's CSV export (publication.api.exports.resource_columns).
"""

import re
from datetime import UTC, datetime
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Publishable
from .review import can_publish

# Internal bookkeeping: not the editors' to export or import.
BOOKKEEPING = ["version", "translation_status", "text_changed_at", "created_at", "updated_at"]

# OWASP's advice against formula injection: a spreadsheet runs a cell that begins with one of these as a
# formula, unless a single quote comes first. A value that already begins with quotes before one of them
# gains one more, so that an import can take exactly one off and give back what was exported. A number
# (-12.5, +81) runs nothing, and stays a number: a quote would make it text in the spreadsheet.
FORMULA = re.compile(r"'*[=+\-@\t\r]")
ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")
NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def escape_formula(value):
    if isinstance(value, str) and FORMULA.match(value) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(value):
    if isinstance(value, str) and ESCAPED_FORMULA.match(value):
        return value[1:]
    return value


def unknown_slug(model, slug: str) -> str:
    return _("No %(record)s has the slug “%(slug)s”.") % {"record": model._meta.verbose_name, "slug": slug}


class SlugWidget(widgets.ForeignKeyWidget):
    """A reference to a record by its slug. One that names no record is an error of the row's column
    that names the slug, not the database's “matching query does not exist”."""

    def __init__(self, model, **kwargs):
        super().__init__(model, "slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(unknown_slug(self.model, value)) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """References to records by their slugs, separated by `|`. Each slug that names no record is an
    error of the row's column (django-import-export's own widget would leave it out without a word)."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator="|", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        records = super().clean(value, row, **kwargs)
        if value:
            found = set(records.values_list("slug", flat=True))
            slugs = [slug.strip() for slug in str(value).split(self.separator) if slug.strip()]
            unknown = [unknown_slug(self.model, slug) for slug in slugs if slug not in found]
            if unknown:
                raise ValidationError(unknown, code="unknown_reference")
        return records


def slug_field(name: str, model, *, attribute: str | None = None) -> fields.Field:
    return fields.Field(column_name=name, attribute=attribute or name, widget=SlugWidget(model))


def slugs_field(name: str, model) -> fields.Field:
    return fields.Field(column_name=name, attribute=name, widget=SlugsWidget(model))


def export_only(name: str) -> fields.Field:
    """A column computed by the resource's `dehydrate_<name>()`: exported, never imported."""
    return fields.Field(column_name=name, readonly=True)


class UtcDateTimeWidget(widgets.DateTimeWidget):
    """Times in UTC and ISO 8601 (2023-05-19T00:00:00Z), as in the JSON API. An import also takes any
    ISO 8601 time, or one of Django's input formats in the site's time zone."""

    def render(self, value, obj=None, **kwargs):
        if not isinstance(value, datetime):
            return ""
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    def clean(self, value, row=None, **kwargs):
        parsed = parse_datetime(value.strip()) if isinstance(value, str) else None
        if parsed is None:
            return super().clean(value, row, **kwargs)
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class RecordResource(resources.ModelResource):
    """Rows are matched by the resource's `import_id_fields` (a slug, or a document and a number): an import
    updates the record they name or creates it.

    Given the importing `user`, an import keeps the admin's publication rules: someone who may not publish
    imports drafts only, and may not change a published record (its changes go through review, in the
    record's own admin page). Each such row is refused with its error, and with it the whole import.

    Every exported value passes through `export_field()`, which escapes what a spreadsheet would run as a
    formula; an import takes the escape off again (`before_import_row()`). Columns the editors cannot
    change (a non-editable model field, a computed column) are exported and never imported.
    """

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.DateTimeField):
            return UtcDateTimeWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        return super().field_from_django_field(
            field_name, django_field, readonly or not django_field.editable
        )

    def get_import_fields(self):
        return [field for field in super().get_import_fields() if not field.readonly]

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = unescape_formula(value)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many columns are written after the record is saved (save_m2m); their references are
        # read here too, so that one naming no record is an error of the row before anything is saved.
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValidationError as error:
                    errors.setdefault(field.attribute, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # modeltranslation keeps an empty translation as NULL or "", which a CSV cell cannot tell apart: an
        # empty cell leaves an empty value as it is, so that an unchanged row is skipped, not saved again.
        if (
            not is_m2m
            and row.get(field.column_name) in ("", None)
            and field.get_value(instance) in ("", None)
        ):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if isinstance(instance, Publishable) and self.user is not None:
            model = type(instance)
            if not can_publish(self.user, model):
                live = model._base_manager.filter(pk=instance.pk).values_list("status", flat=True).first()
                if live == Publishable.Status.PUBLISHED:
                    errors.setdefault(NON_FIELD_ERRORS, []).append(
                        _(
                            "This record is published: only a publisher may change it by import. Change it "
                            "in its own page, where a publisher reviews the change."
                        )
                    )
                elif instance.status != Publishable.Status.DRAFT:
                    errors.setdefault("status", []).append(
                        _("Only publishers may publish, schedule or unpublish a record.")
                    )
        super().validate_instance(instance, errors or None, validate_unique)

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is not None:
            # An import writes over the current version on purpose: it is previewed before it is confirmed.
            instance.version = (
                type(instance)._base_manager.filter(pk=instance.pk).values_list("version", flat=True)[0]
            )
        return instance


@cache
def export_resource(model) -> type[resources.ModelResource]:
    """The resource of a model whose admin names none (`resource_classes`): every column but the
    bookkeeping ones and the untranslated originals."""
    translated = getattr(model, "translated_fields", lambda: ())()
    return resources.modelresource_factory(
        model, resource_class=RecordResource, meta_options={"exclude": [*BOOKKEEPING, *translated]}
    )
