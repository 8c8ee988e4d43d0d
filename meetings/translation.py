from modeltranslation.translator import TranslationOptions, register

from publication.history import register_history

from .models import Chair, Location, Meeting, Organization, Person, Prefecture


@register(Prefecture)
class PrefectureTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ja",)


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "short_name")
    required_languages = ("ja",)


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ja",)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "short_title", "summary", "participants", "provenance_note")
    required_languages = {"ja": ("title", "short_title")}


@register(Location)
class LocationTranslationOptions(TranslationOptions):
    fields = ("city",)


@register(Chair)
class ChairTranslationOptions(TranslationOptions):
    fields = ("office",)
    required_languages = ("ja",)


# History is registered after the translations (see register_history).
register_history(Prefecture)
register_history(Organization)
register_history(Person)
# The dates follow from the sessions, whose own history records them.
register_history(Meeting, m2m_fields=["hosts"], excluded_fields=["start_date", "end_date"])
register_history(Location)
register_history(Chair)
