from modeltranslation.translator import TranslationOptions, register

from .models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme


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
