"""The inline formset of a record's parts (a document's themes, a meeting's places and sessions), saved so
that any reordering an editor can express saves."""

import itertools

from adminsortable2.admin import CustomInlineFormSetMixin
from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


def place_fields(model, fk: str) -> list[str]:
    """The fields that give a part of `model` its unique place among its record's parts (the record it
    belongs to by its foreign key `fk`): those of each unique constraint that includes `fk`, `fk` aside."""
    fields = []
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and fk in constraint.fields
            and constraint.condition is None
        ):
            fields += [name for name in constraint.fields if name != fk and name not in fields]
    return fields


class PartForm(forms.ModelForm):
    """A row of a PartsFormSet. Its place among the record's parts (a unique constraint that names the
    record) is the formset's to check, across the rows, and its save's to keep: checked row by row against
    the database, two rows that exchange their places would each find the other's old row there.

    So the row checks its other constraints only, as Django 5.2's forms do by themselves (they check no
    constraint that names the record a row belongs to). Django 6.0 checks those too, each row apart from
    the others (ModelForm.validate_constraints, Django ticket #35676), which this method replaces: the
    same rule on either version, and nothing in the way of an upgrade."""

    def validate_constraints(self):
        model_fields = {field.name for field in self._meta.model._meta.concrete_fields}
        exclude = {
            *(name for name in model_fields if name not in self.fields),
            # The fields that failed their own checks, as a ModelForm leaves out of its model's.
            *(name for name in self.errors if name in model_fields),
            *(name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)),
        }
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self.add_error(None, error)


class PartsFormSet(BaseInlineFormSet):
    """A part's place among its record's parts is unique (a theme's number, a place's order, a session's
    first day), and the database checks that row by row, on SQLite as on PostgreSQL: two themes that
    exchange their numbers would collide whichever were written first.

    So the save, in one transaction, first deletes the rows the editor deleted, then moves each row whose
    place changes to a stopgap place that no row holds or is about to hold, and only then saves every row
    as its form says. The stopgap is written by a plain UPDATE, which sends no signals and leaves no
    version in the history: the history, and the public log of corrections read from it, see each row
    move once, from its old place to its new one.

    Stopgaps are numbers that no row holds; a formset whose parts are placed by another kind of
    value (a session's dates) says how to park a row in `stopgap()`. A change that would need a stopgap
    of a kind no formset gives (two chairs that exchange their people) is refused with a form error.

    A publisher who publishes an editor's proposed change to the parts saves it the same way, without
    forms: `save_proposal()` (publication.review.publish_pending_change).
    """

    # The values of the rows a proposal is about to save, when one is saved (save_proposal), in place of
    # the forms' cleaned data.
    proposed: list[dict] | None = None

    def __init__(self, *args, unnoted_change=None, **kwargs):
        # Given by the record's admin (RecordAdmin.get_formset_kwargs) when the change needs a note that
        # the form does not give: for a row's form, why the row's change needs one (None if it does not).
        self.unnoted_change = unnoted_change
        super().__init__(*args, **kwargs)

    @property
    def place_fields(self) -> list[str]:
        """The fields that give a part its unique place among the record's parts: those of each unique
        constraint that includes the foreign key to the record, the foreign key aside."""
        return place_fields(self.model, self.fk.name)

    def can_park(self, name: str) -> bool:
        return isinstance(self.model._meta.get_field(name), models.IntegerField)

    def stopgap(self, instance, moved: list[str]) -> dict:
        """The values that park `instance` out of the way: for each field of its place that the editor
        changed (`moved`), the lowest number from 1 that no row holds now (parked ones included) and no
        form is about to give, so always within the field's range."""
        values = {}
        for name in moved:
            in_use = {*self.parts().values_list(name, flat=True), *self.incoming(name)}
            values[name] = next(number for number in itertools.count(1) if number not in in_use)
        return values

    def incoming(self, name: str) -> list:
        """The values of field `name` that the rows are about to be saved with."""
        if self.proposed is not None:
            return [values.get(name) for values in self.proposed]
        return [form.cleaned_data.get(name) for form in self.forms if form.cleaned_data]

    def parts(self) -> models.QuerySet:
        """Every saved part of the record, as the database holds it now."""
        return self.model._base_manager.filter(**{self.fk.name: self.instance})

    def moved_places(self, form) -> list[str]:
        """The fields of the row's place that the editor changed."""
        return [name for name in self.place_fields if name in form.changed_data]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # A row taking a value that another surviving row gives up in the same save needs a stopgap.
        deleted = set(self.deleted_forms)
        surviving = [form for form in self.initial_forms if form not in deleted]
        if self.unnoted_change is not None:
            for form in surviving:
                message = form.has_changed() and self.unnoted_change(form)
                if message:
                    raise ValidationError(message, code="change_note_missing")
        for form in surviving:
            for name in self.moved_places(form):
                if self.can_park(name):
                    continue
                new = form.cleaned_data.get(name)
                new = getattr(new, "pk", new)
                if any(other is not form and other.initial.get(name) == new for other in surviving):
                    raise ValidationError(
                        _(
                            "Two rows exchange their %(field)s: change one of them first and save, then "
                            "the other."
                        ),
                        code="exchange_needs_two_saves",
                        params={"field": self.model._meta.get_field(name).verbose_name},
                    )

    def save_existing_objects(self, commit=True):
        if not commit:
            return super().save_existing_objects(commit)
        with transaction.atomic(using=router.db_for_write(self.model, instance=self.instance)):
            deleted = [form.instance for form in self.deleted_forms if form.instance.pk is not None]
            for part in deleted:
                self.delete_existing(part, commit=True)
            for form in self.initial_forms:
                if form.instance.pk is not None:
                    self.park(form.instance, self.moved_places(form))
            # The rows deleted above have no primary key any more, which the formset's own save skips.
            saved = super().save_existing_objects(commit)
            self.deleted_objects = [*deleted, *self.deleted_objects]
            return saved

    def park(self, instance, moved: list[str]) -> None:
        """Move the saved row `instance` out of the way of the places (`moved`) that it leaves."""
        moved = [name for name in moved if self.can_park(name)]
        if moved:
            self.parts().filter(pk=instance.pk).update(**self.stopgap(instance, moved))

    def save_proposal(self, *, deleted: list, changed: list[tuple], added: list, prepare) -> None:
        """Save a reviewed change to the record's parts, as `save_existing_objects` saves the forms: the
        `deleted` parts first, then each of the `changed` parts ((part, {field: new value}), values set
        on it already) that leaves its place parked, then every changed and `added` part saved, each
        through `prepare(part)` (which validates it and says who changed it)."""
        self.proposed = [values for _part, values in changed] + [
            {name: getattr(part, name) for name in self.place_fields} for part in added
        ]
        with transaction.atomic(using=router.db_for_write(self.model, instance=self.instance)):
            for part in deleted:
                prepare(part, validate=False)
                try:
                    part.delete()
                except models.ProtectedError as error:
                    raise ValidationError(protected_message(part, error), code="protected") from error
            for part, values in changed:
                self.park(part, [name for name in self.place_fields if name in values])
            for part in [*(part for part, _values in changed), *added]:
                prepare(part)
                part.save()


def protected_message(part, error: models.ProtectedError) -> str:
    """Why `part` cannot be deleted, naming the records that protect it (a commitment that cites a key
    point, for one), in the active language: the admin's inline forms say the same before they save."""
    protecting = sorted(str(record) for record in error.protected_objects)
    return _("%(part)s cannot be deleted: %(records)s refer to it; change them first.") % {
        "part": part,
        "records": pgettext("list separator", ", ").join(f"“{name}”" for name in protecting),
    }


class SortablePartsFormSet(CustomInlineFormSetMixin, PartsFormSet):
    """The parts of a record that an editor may drag into a new order (django-admin-sortable2): dragging
    a row writes the new order, 1 to n, into each row's order field, and the save is PartsFormSet's, in
    one transaction. The order field stays a number an editor can type, for those who do not use a mouse:
    the library would hide it. It is never a number that the public cites (a document's parts are dragged
    by their position, not their number)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.default_order_field:
            field = self.form.base_fields[self.default_order_field]
            # The library's script finds the order of each row by this class.
            field.widget = forms.NumberInput(attrs={"class": "_reorder_ vIntegerField", "min": 1})
            field.is_hidden = False
            # A part whose order may be left out (a document's part, placed after the last when it has
            # none) is added without one, as through the API; a meeting's place or chair needs one.
            field.required = not self.model._meta.get_field(self.default_order_field).blank
