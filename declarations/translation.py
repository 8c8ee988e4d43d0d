import simple_history
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


# History is registered after the translations, so that the historical models carry
# every language's column (title_ja, title_en, …) and a restored version brings back both.
simple_history.register(Declaration)
simple_history.register(Theme)
simple_history.register(KeyPoint)
simple_history.register(Footnote)
simple_history.register(Annex)
simple_history.register(CommuniqueItem, m2m_fields=["themes", "annexes"])
