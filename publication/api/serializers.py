"""Serializer bases: bilingual reads, and writes held to the model's own validation."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from publication.models import ConcurrentEditError, Publishable
from publication.review import change_note_missing_message, json_value, needs_change_note

from .fields import (
    FallbackFieldsField,
    PublishTimeField,
    TextStatusField,
    TranslatedField,
    WebAddressField,
)
from .languages import LANGUAGES


class TranslatedModelSerializer(serializers.ModelSerializer):
    """A model serializer whose translated fields are declared as `TranslatedField`s.

    Each subclass lists its fields; `fallback_fields` names the translated ones that show Japanese
    because the English text is missing; `text_status` says what each translated text is.
    """

    fallback_fields = FallbackFieldsField()
    text_status = TextStatusField()


class PickedListSerializer(serializers.ListSerializer):
    """A nested list of the records that `pick(instance)` gives rather than of a relation of the instance: for
    rows that the record's read path has already read for another of its parts (a theme's annexes, among
    its document's), where reading the relation itself would cost a query more."""

    def __init__(self, *args, pick, **kwargs):
        self.pick = pick
        super().__init__(*args, **kwargs)

    def get_attribute(self, instance):
        return self.pick(instance)


# What a list's summary leaves to the record, as every record keeps it: where it comes from.
PROVENANCE_FIELDS = ("source", "source_locator", "provenance_note")


def fields_without(serializer_class, *names: str) -> list[str]:
    """The serializer's fields but the named ones, in its order: the fields of a list's summary."""
    return [name for name in serializer_class.Meta.fields if name not in names]


NOT_A_STRING = _("Give the text as a string.")
NOT_A_WHOLE_NUMBER = _("Give a whole number.")
NOT_A_LIST = _("Give a list.")
SURROUNDING_SPACE = _("Remove the spaces and line breaks before and after the value.")


def json_type_problem(field: serializers.Field, value) -> str | None:
    """What is wrong with the JSON type of `value` for `field`, if anything. DRF converts where the schema
    gives one type (7 to "7" for a text, "7" or 7.0 to 7 for a number, an object to the list of its keys);
    the API takes what the schema says, so that a value the schema refuses is never stored."""
    if value is None:
        # Whether the field takes null is its own rule (allow_null), which the schema states.
        return None
    textual = (
        serializers.CharField,
        serializers.ChoiceField,
        serializers.RelatedField,
        serializers.DateField,
        serializers.DateTimeField,
    )
    if isinstance(field, textual):
        return None if isinstance(value, str) else NOT_A_STRING
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else NOT_A_WHOLE_NUMBER
    if isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer | serializers.ListField):
        return None if isinstance(value, list) else NOT_A_LIST
    return None


class StrictJsonTypes(serializers.Serializer):
    """A body whose values have the JSON types the schema gives its fields: anything else is a 400 naming
    the field, not a value DRF converts."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name, field in self.fields.items():
                if name in data and not field.read_only:
                    problem = json_type_problem(field, data[name])
                    if problem:
                        errors[name] = [ErrorDetail(str(problem), code="invalid")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def no_surrounding_space(value: str) -> None:
    """A value of a set form (a slug, a code, an address) as sent: spaces or a line break around it are
    refused rather than trimmed, as its pattern in the schema refuses them (where Python's `$` would let a
    final line break through the model's own pattern)."""
    if value != value.strip():
        raise serializers.ValidationError(SURROUNDING_SPACE, code="invalid")


class RecordWriteSerializer(StrictJsonTypes, TranslatedModelSerializer):
    """Creates and changes a record under exactly the admin's rules.

    The record is checked by the model's `full_clean()`: field validators, `clean()`, unique fields and
    every named database constraint, so that a broken rule is a 400 with the field it concerns (the
    model's `constraint_field()`), never an IntegrityError.
    """

    # Every web address a client writes is checked as the schema describes it (fields.WebAddressField).
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: WebAddressField,
        models.DateTimeField: PublishTimeField,
    }

    def to_internal_value(self, data):
        # A field the record does not have is an error, not ignored: a misspelt name would otherwise
        # change nothing and answer 200. The request schemas say so (additionalProperties: false).
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(key for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("This record has no such field.")] for key in unknown}
                )
        return super().to_internal_value(data)

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        write_only=True,
        help_text="The `version` the change was made on; if the record has been saved since, the change "
        "is refused with a 409 rather than overwriting that save. Ignored when creating.",
    )

    pending_version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        write_only=True,
        help_text="For an editor's change to a published record, which waits for review: the `version` of the "
        "change awaiting review that it amends (as the 202 gave it), 0 for none. With `version` and without "
        "`pending_version`, the change expects none. If another editor has proposed or amended one since, the "
        "change is refused with a 409 rather than merged over theirs.",
    )

    change_note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="What the change corrects and why, shown with the correction on the record's public page. "
        "Required, as in the admin, for a change that the public page lists as a correction: one to the content "
        "of a published record (or of a part of a published document) that stays published.",
    )

    class Meta:
        # The model's own validation (below) decides uniqueness, as in the admin.
        validators = []

    def get_field_names(self, declared_fields, info):
        """The fields the resource lists, and with `version` (an editable record's) the other fields that
        say how to write rather than what: every such write serializer takes them."""
        names = list(super().get_field_names(declared_fields, info))
        if "version" in names:
            names += [name for name in ("pending_version", "change_note") if name not in names]
        return names

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if isinstance(field, TranslatedField) and not field.read_only:
                # Fields are not bound yet here: the source is the name unless one was given.
                source = field.source or name
                field.children = {language: self.language_child(source, language) for language in LANGUAGES}
        return fields

    def build_standard_field(self, field_name, model_field):
        """A text of a set form (a slug, a code: the model checks it with a pattern) is refused with spaces
        around it, not trimmed: its schema's pattern has none."""
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        patterned = isinstance(model_field, models.SlugField) or any(
            isinstance(validator, RegexValidator) for validator in model_field.validators
        )
        if issubclass(field_class, serializers.CharField) and patterned:
            kwargs["trim_whitespace"] = False
            kwargs["validators"] = [*kwargs.get("validators", []), no_surrounding_space]
        return field_class, kwargs

    def language_child(self, source: str, language: str) -> serializers.Field:
        """A field for one language's text, built from the model's column for it."""
        model_field = self.Meta.model._meta.get_field(f"{source}_{language}")
        field_class, kwargs = self.build_standard_field(model_field.name, model_field)
        # modeltranslation makes Japanese required (blank=False) where the model requires the field;
        # English is always optional. Either may be sent as null, which is stored as "".
        japanese_required = language == "ja" and not model_field.blank
        kwargs.update(required=japanese_required, allow_null=not japanese_required)
        if "allow_blank" in kwargs or issubclass(field_class, serializers.CharField):
            kwargs["allow_blank"] = not japanese_required
        return field_class(**kwargs)

    def create(self, validated_data):
        validated_data.pop("version", None)
        validated_data.pop("pending_version", None)
        return self.save_record(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        # The version goes on the record, whose save checks it (EditableRecord.save).
        validated_data.pop("pending_version", None)
        return self.save_record(instance, validated_data)

    def save_record(self, instance: models.Model, validated_data: dict) -> models.Model:
        note = validated_data.pop("change_note", "")
        current = type(instance)._base_manager.get(pk=instance.pk) if instance.pk is not None else None
        many_to_many = self.assign(instance, validated_data)
        self.clean_record(instance)
        if current is not None:
            self.check_change_note(current, self.changed_values(instance, current, {}), note)
        self.attribute_to_author(instance)
        instance._change_reason = note or None
        instance.save()
        for name, values in many_to_many.items():
            getattr(instance, name).set(values)
        return instance

    def proposed_values(self, instance: models.Model) -> dict:
        """The changes this request would make to `instance`, checked as a save would check them but not
        saved: {field name: new value}, JSON-safe, for a change that awaits review."""
        data = dict(self.validated_data)
        loaded = data.pop("version", None)
        data.pop("pending_version", None)
        note = data.pop("change_note", "")
        current = type(instance)._base_manager.get(pk=instance.pk)
        if loaded is not None and loaded != current.version:
            raise ConcurrentEditError(current)
        many_to_many = self.assign(instance, data)
        self.clean_record(instance)
        values = self.changed_values(instance, current, many_to_many)
        self.check_change_note(current, values, note)
        return values

    def changed_values(self, instance: models.Model, current: models.Model, many_to_many: dict) -> dict:
        """What `instance`, as assigned, changes of `current`, as the database holds it: {field name: new
        value}, JSON-safe."""
        names = {field.name for field in instance._meta.concrete_fields}
        values = {}
        for field in instance._meta.concrete_fields:
            # A translated field's own column reads and writes the active language's text: only its
            # per-language columns (`title_ja`, `title_en`) say what changed.
            if field.name == "version" or f"{field.name}_ja" in names:
                continue
            new, old = getattr(instance, field.attname), getattr(current, field.attname)
            if new != old:
                values[field.name] = json_value(new)
        for name, related in many_to_many.items():
            new = sorted(item.pk for item in related)
            if new != sorted(getattr(current, name).values_list("pk", flat=True)):
                values[name] = new
        return values

    def check_change_note(self, current: models.Model, values: dict, note: str) -> None:
        """A change that the public page will list as a correction says what it corrects, as in the admin."""
        if note:
            return
        new_status = values.get("status", getattr(current, "status", None))
        if needs_change_note(current, values, path=self.context.get("publication"), new_status=new_status):
            raise serializers.ValidationError({"change_note": [change_note_missing_message()]})

    def attribute_to_author(self, instance: models.Model) -> None:
        """The history names who made the change: the API's user, whom the history middleware (which
        sees only the session) does not know when the request came with a token."""
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            instance._history_user = request.user

    def assign(self, instance: models.Model, validated_data: dict) -> dict:
        """Set the plain values on `instance`; returns the many-to-many ones, which only a save can set."""
        opts = instance._meta
        many_to_many = {}
        for name, value in validated_data.items():
            model_field = opts.get_field(name) if name in {f.name for f in opts.get_fields()} else None
            if model_field is not None and model_field.many_to_many:
                many_to_many[name] = value
            elif isinstance(value, dict) and name in self.translated_sources():
                for language, text in value.items():
                    setattr(instance, f"{name}_{language}", text)
            else:
                setattr(instance, name, value)
        self.publish_now_without_a_time(instance)
        return many_to_many

    @staticmethod
    def publish_now_without_a_time(instance: models.Model) -> None:
        """A record published without a publish time, none sent and none kept, is published now, as the
        admin's "publish now" does: the schema lets a client publish with `status` alone."""
        if (
            isinstance(instance, Publishable)
            and instance.status == Publishable.Status.PUBLISHED
            and instance.published_at is None
        ):
            instance.published_at = timezone.now()

    def translated_sources(self) -> set[str]:
        return {field.source for field in self.fields.values() if isinstance(field, TranslatedField)}

    def clean_record(self, instance: models.Model) -> None:
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            # error_dict, not message_dict: each error keeps its code (errors.by_state tells a taken value by it).
            raise serializers.ValidationError(self.api_errors(exc.error_dict)) from exc

    def api_errors(self, errors: dict[str, list]) -> dict:
        """The model's errors under the API's field names: `title_en` becomes {"title": {"en": …}}."""
        names = {field.source: name for name, field in self.fields.items()}
        translated = self.translated_sources()
        result: dict = {}
        for key, messages in errors.items():
            messages = [error_detail(message) for message in messages]
            base, _, language = key.rpartition("_")
            if language in LANGUAGES and base in translated:
                result.setdefault(names[base], {}).setdefault(language, []).extend(messages)
            elif key in translated:
                # The untranslated column mirrors the Japanese text; report it there unless already.
                result.setdefault(names[key], {}).setdefault("ja", messages)
            elif key == NON_FIELD_ERRORS:
                result.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(messages)
            else:
                result.setdefault(names.get(key, key), []).extend(messages)
        return result


def error_detail(error) -> ErrorDetail:
    """A model's error as DRF's, keeping its code (errors.by_state tells a taken value by it)."""
    if isinstance(error, DjangoValidationError):
        return ErrorDetail(" ".join(error.messages), code=error.code)
    return ErrorDetail(str(error), code="invalid")


class ErrorSerializer(serializers.Serializer):
    """The body of a 401, 403, 404, 405, 406, 415 or 429 response."""

    detail = serializers.CharField(help_text="What went wrong, in the response language.")


class PartFieldChangeSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The field, in the response language.")
    field = serializers.CharField(help_text="The field's column (`title_en`, …).")
    before = serializers.CharField(help_text="Its value now, as text.")
    after = serializers.CharField(help_text="Its proposed value, as text.")


class PartChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The kind of part, in the response language.")
    model = serializers.CharField(help_text="The kind of part, e.g. declarations.theme.")
    id = serializers.IntegerField(allow_null=True, help_text="The part's id; null for a part to add.")
    part = serializers.CharField(
        help_text="The part, as the editor saw it (its number); for one to add, what it will be called, "
        "or empty."
    )
    action = serializers.ChoiceField(
        choices=["add", "change", "move", "delete"],
        help_text="What the change does to the part: `move` is a change of its place among the record's "
        "parts (its number, order or first day).",
    )
    changes = PartFieldChangeSerializer(
        many=True,
        help_text="Each changed field before and after, both languages of a translated text; none for a deletion.",
    )


class ProposedChangeSerializer(serializers.Serializer):
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="The fields the change touches (`title_en`, …)."
    )
    parts = PartChangeSerializer(
        many=True, help_text="The changes proposed to the record's parts (a document's themes, annexes, …)."
    )
    proposed_by = serializers.CharField(help_text="The user who proposed it.")
    base_version = serializers.IntegerField(help_text="The version of the record the change was made on.")
    version = serializers.IntegerField(
        help_text="The version of the change awaiting review: send it as `pending_version` to amend the change."
    )


class HeldForReviewSerializer(serializers.Serializer):
    """The body of a 202: an editor's change to a published record, kept for a publisher's review."""

    detail = serializers.CharField(help_text="What happened, in the response language.")
    pending_change = ProposedChangeSerializer()


class CorrectionChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The field, as the record's representation names it."))
    before = serializers.JSONField(
        help_text=_('The text before: {"ja": …, "en": …} for a translated field, else the value as text.')
    )
    after = serializers.JSONField(help_text=_("The text after, in the same form."))


class CorrectionSerializer(serializers.Serializer):
    """A public correction of a record or of one of its parts (publication.models.Correction)."""

    date = serializers.DateTimeField()
    kind = serializers.CharField(
        source="model", help_text=_("The kind of record corrected, e.g. declarations.theme.")
    )
    label = serializers.SerializerMethodField(help_text=_("The record corrected, in the response language."))
    anchor = serializers.CharField(
        help_text=_("The part's anchor on the record's page; empty for the record.")
    )
    note = serializers.CharField(help_text=_("The editor's note on the correction."))
    restored_from = serializers.DateTimeField(allow_null=True)
    changes = CorrectionChangeSerializer(many=True)

    def get_label(self, correction) -> str:
        if self.context.get("language") == "en" and correction.label_en:
            return correction.label_en
        return correction.label_ja
