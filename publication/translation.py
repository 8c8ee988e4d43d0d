import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Source


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("title", "publisher", "licence")
    required_languages = ("ja",)


# History is registered after the translations, so that the historical models carry
# every language's column (title_ja, title_en, …) and a restored version brings back both.
simple_history.register(Source)
