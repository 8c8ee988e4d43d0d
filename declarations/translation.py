from modeltranslation.translator import TranslationOptions, register

from publication.history import register_history

from .models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, OfficialText, Theme


@register(Declaration)
class DeclarationTranslationOptions(TranslationOptions):
    fields = ("title", "short_title", "summary", "body", "official_url", "provenance_note")
    required_languages = {"ja": ("title",)}


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("ja",)


@register(KeyPoint)
class KeyPointTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("ja",)


@register(Footnote)
class FootnoteTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("ja",)


@register(Annex)
class AnnexTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "official_url")
    required_languages = {"ja": ("title",)}


@register(CommuniqueItem)
class CommuniqueItemTranslationOptions(TranslationOptions):
    fields = ("title", "text")
    required_languages = ("ja",)


@register(OfficialText)
class OfficialTextTranslationOptions(TranslationOptions):
    fields = ("issuer",)
    required_languages = ("ja",)


# History is registered after the translations (see register_history).
register_history(Declaration)
register_history(Theme)
register_history(KeyPoint)
register_history(Footnote)
register_history(Annex)
register_history(CommuniqueItem, m2m_fields=["themes", "annexes"])
register_history(OfficialText)
