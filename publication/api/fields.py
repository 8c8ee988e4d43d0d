"""Serializer fields for bilingual records.

A translated model field (`title`, stored as `title_ja` and `title_en` by modeltranslation) is one
field in the API: a string in the response language, or `{"ja": …, "en": …}` with `?lang=all`.
Writes always take the object form, so an editor says which language a text is in.
"""

import re
from collections.abc import Callable
from functools import cached_property

from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from .languages import ALL, LANGUAGES


def stored(instance, field: str, language: str) -> str:
    """The stored text of one language; modeltranslation keeps an empty translation as NULL or ""."""
    return getattr(instance, f"{field}_{language}") or ""


class TranslatedField(serializers.Field):
    """A translated model field, read in the response language and written as {"ja": …, "en": …}.

    In English, an empty translation shows the Japanese text (modeltranslation's fallback), and the
    field's name is listed in the record's `fallback_fields`. With `?lang=all` both texts show as
    stored, an empty one as "".

    The serializer gives each language a child field built from the model's `<name>_ja` / `<name>_en`
    column, so length limits, URL checks and the rule that Japanese is required are the model's own.
    """

    default_error_messages = {
        "not_an_object": _('Give the texts as an object: {"ja": "…", "en": "…"}.'),
        "unknown_language": _("Unknown language: use ja or en."),
        "not_a_text": _("Give the text as a string."),
    }

    def __init__(self, **kwargs):
        self.children: dict[str, serializers.Field] = {}
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # Both columns are read, so the field works on the record itself rather than on one attribute.
        return instance

    @cached_property
    def columns(self) -> dict[str, str]:
        """Each language's column: {"ja": "title_ja", "en": "title_en"}."""
        return {code: f"{self.source}_{code}" for code in LANGUAGES}

    def to_representation(self, instance):
        columns = self.columns
        language = self.context.get("language", "ja")
        if language == ALL:
            return {code: getattr(instance, column) or "" for code, column in columns.items()}
        return getattr(instance, columns[language]) or getattr(instance, columns["ja"]) or ""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            # Raised rather than self.fail(): the message's braces are not format fields.
            raise serializers.ValidationError(self.error_messages["not_an_object"], code="not_an_object")
        unknown = [key for key in data if key not in LANGUAGES]
        if unknown:
            raise serializers.ValidationError(
                {key: [self.error_messages["unknown_language"]] for key in unknown}
            )
        values, errors = {}, {}
        # A new record, or one replaced whole (PUT), needs each required text; a partial change (PATCH) not.
        whole = not getattr(self.root, "partial", False)
        for language, child in self.children.items():
            value = data.get(language, empty)
            if value is empty and not (whole and child.required):
                continue
            try:
                if value is not None and value is not empty and not isinstance(value, str):
                    # DRF's CharField would take 2.5 as "2.5": a text is a string, as the schema says.
                    raise serializers.ValidationError(self.error_messages["not_a_text"], code="invalid")
                values[language] = child.run_validation(value)
            except serializers.ValidationError as exc:
                errors[language] = exc.detail
        if errors:
            raise serializers.ValidationError(errors)
        return {language: value if value is not None else "" for language, value in values.items()}


# The web addresses the API takes: http or https; a host name with its top-level domain, localhost or an
# IPv4 address; an optional port; and a path, query and fragment of the characters RFC 3986 allows
# unescaped and of percent-encoded octets (`%` and two hexadecimal digits: a `%` alone is no URI, and the
# schema's `format: uri` refuses it). Narrower than Django's URLValidator, which also runs (no IPv6
# addresses, no internationalised host names: give their punycode), so that the schema can say exactly
# what is taken.
IPV4_OCTET = r"(0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)"
PATH_CHARACTER = r"([A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})"
QUERY_CHARACTER = r"([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})"
WEB_ADDRESS_PATTERN = (
    r"^https?://(([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}|localhost|"
    + rf"{IPV4_OCTET}(\.{IPV4_OCTET}){{3}})(:[0-9]{{1,5}})?"
    + rf"(/{PATH_CHARACTER}*)?(\?{QUERY_CHARACTER}*)?(#{QUERY_CHARACTER}*)?$"
)


# A record's slug as the API's references and lookups take it (filters.SLUG_PATTERN), as a JSON Schema
# pattern.
SLUG_SCHEMA_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


class SlugReferenceField(serializers.SlugRelatedField):
    """Another record, named by its slug: a string of the slug's form, or null where the reference may be
    empty. DRF's related fields take "" for null; this one refuses it, as the schema does, so that a client
    that means no record says null."""

    default_error_messages = {"blank": _("Give the record's slug, or null for none.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def run_validation(self, data=empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)


class SlugReferenceSchema(OpenApiSerializerFieldExtension):
    """A reference by slug in a request: the slug's pattern and length, null where it may be empty."""

    target_class = SlugReferenceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "pattern": SLUG_SCHEMA_PATTERN, "maxLength": 100}
        if self.target.allow_null:
            schema["nullable"] = True
        return schema


class WebAddressField(serializers.URLField):
    """A web address, as Django's URLField takes it and as WEB_ADDRESS_PATTERN describes it. Spaces or a
    line break around it are refused, not trimmed away: the pattern allows none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(
                WEB_ADDRESS_PATTERN,
                message=_("Enter a web address: http:// or https://, then a host name with its domain."),
                code="invalid",
            )
        )


class WebAddressSchema(OpenApiSerializerFieldExtension):
    """A web address in a request: the pattern it must match, its length, and "" where it may be empty. In
    a response, a stored address, or "" where the record has none."""

    target_class = serializers.URLField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return address_schema(self.target, direction)


def address_schema(field: serializers.Field, direction: str = "request") -> dict:
    address = build_basic_type(OpenApiTypes.URI)
    empty = {"type": "string", "maxLength": 0}
    if direction == "response" or field.read_only:
        return {"anyOf": [address, empty]}
    address["pattern"] = WEB_ADDRESS_PATTERN
    if getattr(field, "max_length", None):
        address["maxLength"] = field.max_length
    schema = {"anyOf": [address, empty]} if field.allow_blank else address
    if field.allow_null:
        schema["nullable"] = True
    return schema


# The publish times the API takes, by their year as written: from 1975, the year of the first G7 summit,
# to 2100, as a meeting's year. Earlier times would come back with an offset in seconds (Tokyo's local mean
# time before 1888), which no RFC 3339 date-time has, and the last ones overflow Python's datetime.
PUBLISH_TIME_PATTERN = "^(197[5-9]|19[89][0-9]|20[0-9][0-9]|2100)-"


class PublishTimeField(serializers.DateTimeField):
    """A record's publish time: an ISO 8601 date-time with its offset, from 1975 to 2100."""

    default_error_messages = {"out_of_range": _("Give a time from 1975 to 2100.")}

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.match(PUBLISH_TIME_PATTERN, value):
            self.fail("out_of_range")
        return super().to_internal_value(value)


class PublishTimeSchema(OpenApiSerializerFieldExtension):
    target_class = PublishTimeField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = build_basic_type(OpenApiTypes.DATETIME)
        if direction == "request":
            schema["pattern"] = PUBLISH_TIME_PATTERN
        if self.target.allow_null:
            schema["nullable"] = True
        return schema


# Text without NUL characters, as a JSON Schema pattern.
NO_NUL_PATTERN = "^[^\\u0000]*$"
# The characters that DRF trims from the ends of a text (Python's str.isspace()), listed rather than written
# \s, which JSON Schema's regular expressions (ECMA-262) read otherwise.
SPACE_CHARACTERS = (
    "\\t-\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
)
# A required text: without NUL characters, and more than spaces (DRF trims them, and a text of spaces alone
# is then empty).
NOT_BLANK_PATTERN = f"^[^\\u0000]*[^\\u0000{SPACE_CHARACTERS}][^\\u0000]*$"


def text_schema(child: serializers.Field | None) -> dict:
    """One language's text as its field (the model's column) takes it: its length, whether it may be
    empty or null, a web address."""
    if isinstance(child, serializers.URLField):
        return address_schema(child)
    schema = build_basic_type(OpenApiTypes.STR)
    # The API refuses a NUL character in any text (parsers.JSONWithoutNulParser).
    schema["pattern"] = NO_NUL_PATTERN
    if child is None:
        return schema
    if getattr(child, "max_length", None):
        schema["maxLength"] = child.max_length
    if not getattr(child, "allow_blank", True):
        schema["minLength"] = 1
        schema["pattern"] = NOT_BLANK_PATTERN
    if child.allow_null:
        schema["nullable"] = True
    return schema


class TranslatedFieldSchema(OpenApiSerializerFieldExtension):
    """In responses: a string, or with `?lang=all` an object; in requests: always the object."""

    target_class = TranslatedField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        both = build_object_type(
            properties={code: build_basic_type(OpenApiTypes.STR) for code in LANGUAGES},
            required=list(LANGUAGES),
        )
        if direction == "request":
            children = self.target.children
            texts = build_object_type(
                properties={code: text_schema(children.get(code)) for code in LANGUAGES},
                required=[code for code in LANGUAGES if code in children and children[code].required],
                description=str(
                    _("The text in Japanese (required for a new or replaced record) and in English.")
                ),
            )
            texts["additionalProperties"] = False
            return texts
        return {
            "oneOf": [build_basic_type(OpenApiTypes.STR), both],
            "description": str(_("The text in the response language; with lang=all, both texts.")),
        }


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "uri", "nullable": True},
            {
                "type": "object",
                "properties": {code: {"type": "string", "format": "uri"} for code in LANGUAGES},
                "required": list(LANGUAGES),
            },
        ],
        "description": "The record's public page in the response language; with lang=all, both pages.",
    }
)
class WebUrlField(serializers.Field):
    """The absolute address of the record's public page, in the response language (or both)."""

    def __init__(self, path: Callable[[object], str] | None = None, **kwargs):
        self.path = path or (lambda instance: instance.get_absolute_url())
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def url_in(self, instance, language: str) -> str:
        with translation.override(language):
            return self.context["request"].build_absolute_uri(self.path(instance))

    def to_representation(self, instance):
        language = self.context.get("language", "ja")
        if language == ALL:
            return {code: self.url_in(instance, code) for code in LANGUAGES}
        return self.url_in(instance, language)


@extend_schema_field({"type": "string", "format": "uri", "description": "The record in this API."})
class ApiUrlField(serializers.Field):
    """The stable, absolute address of the record in this API."""

    def __init__(self, view_name: str, lookup: Callable[[object], dict], **kwargs):
        self.view_name = view_name
        self.lookup = lookup
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return self.context["request"].build_absolute_uri(
            reverse(self.view_name, kwargs=self.lookup(instance))
        )


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "The translated fields of this object shown in Japanese because the English text "
        "is missing (lang=en only; otherwise empty).",
    }
)
class FallbackFieldsField(serializers.Field):
    """The names of this object's translated fields that show Japanese in place of missing English."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    @cached_property
    def translated(self) -> list[tuple[str, str, str]]:
        """(name, Japanese column, English column) of each translated field of the parent."""
        return [
            (name, field.columns["ja"], field.columns["en"])
            for name, field in self.parent.fields.items()
            if isinstance(field, TranslatedField)
        ]

    def to_representation(self, instance):
        if self.context.get("language", "ja") != "en":
            return []
        return [
            name
            for name, japanese, english in self.translated
            if not getattr(instance, english) and getattr(instance, japanese)
        ]


TEXT_STATUS_VALUES = ["authentic", "provisional", "editorial", "summary", "missing"]


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "properties": {
                "ja": {"type": "string", "enum": TEXT_STATUS_VALUES},
                "en": {"type": "string", "enum": TEXT_STATUS_VALUES},
                "stale": {"type": "boolean"},
            },
            "required": ["ja", "en", "stale"],
        },
        "description": "What each translated text of this record is, by field (every translated field of the "
        "record, whether this representation shows it or not): its status in each language "
        "(authentic text, provisional translation, editorial translation, the source's own summary, "
        "missing) and whether the English is out of date (its Japanese changed later).",
    }
)
class TextStatusField(serializers.Field):
    """{field: {"ja": status, "en": status, "stale": bool}} for every translated field of the record
    (EditableRecord.text_statuses), whichever of them this representation shows, so that a list's row and
    the record's own representation say the same; the same in every language of the response."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return instance.text_statuses() if hasattr(instance, "text_statuses") else {}
