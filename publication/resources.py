"""Import and export of records as CSV or JSON: slugs for links, both languages as columns."""

from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Publishable
from .review import can_publish

# Internal bookkeeping: not the editors' to export or import.
BOOKKEEPING = ["version", "translation_status", "text_changed_at", "created_at", "updated_at"]


def slug_field(name: str, model, *, attribute: str | None = None) -> fields.Field:
    return fields.Field(
        column_name=name, attribute=attribute or name, widget=widgets.ForeignKeyWidget(model, "slug")
    )


class RecordResource(resources.ModelResource):
    """Rows are matched by slug: an import updates the record with that slug or creates it.

    Given the importing `user`, an import keeps the admin's publication rules: someone who may not publish
    imports drafts only, and may not change a published record (its changes go through review, in the
    record's own admin page). Each such row is refused with its error, and with it the whole import.
    """

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

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
    """A resource for any other record: every column but the bookkeeping ones and the untranslated originals."""
    translated = getattr(model, "translated_fields", lambda: ())()
    return resources.modelresource_factory(
        model, resource_class=RecordResource, meta_options={"exclude": [*BOOKKEEPING, *translated]}
    )
