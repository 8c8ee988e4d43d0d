from modeltranslation.translator import TranslationOptions, register

from .models import Source


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("title", "publisher", "licence")
    required_languages = ("ja",)
