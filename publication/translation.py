from modeltranslation.translator import TranslationOptions, register

from .history import register_history
from .models import Source


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("title", "publisher", "licence")
    required_languages = ("ja",)


# History is registered after the translations (see register_history).
register_history(Source)
