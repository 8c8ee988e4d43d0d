import pytest
from django.utils import translation

from declarations.models import Annex

pytestmark = pytest.mark.django_db


def test_an_annex_is_named_in_the_language_of_the_page():
    """Regression: the word "Annex" was marked inside an f-string, which the message extractor of Python
    3.11 does not read, so the Japanese admin named every annex in English."""
    annex = Annex.objects.get(declaration__slug="g7-2023-digital-and-tech-ministerial-declaration", number=1)
    with translation.override("ja"):
        assert str(annex).startswith("附属書 1: ")
    with translation.override("en"):
        assert str(annex).startswith("Annex 1: ")
