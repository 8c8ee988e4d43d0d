import pytest
from django.utils import translation

from declarations.models import Annex
from tests.factories import DeclarationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_an_annex_is_named_in_the_language_of_the_page():
    """Regression: the word "Annex" was marked inside an f-string, which the message extractor of Python
    3.11 does not read, so the Japanese admin named every annex in English."""
    annex = Annex.objects.get(declaration__slug="g7-2023-digital-and-tech-ministerial-declaration", number=1)
    with translation.override("ja"):
        assert str(annex).startswith("附属書 1: ")
    with translation.override("en"):
        assert str(annex).startswith("Annex 1: ")


def test_a_new_part_takes_its_number_as_position_unless_another_stands_there():
    declaration = DeclarationFactory()
    first = ThemeFactory(declaration=declaration, number=2)
    assert first.position == 2
    moved = ThemeFactory(declaration=declaration, number=1, position=4)
    assert moved.position == 4
    # Position 4 is taken: the theme comes after the last.
    last = ThemeFactory(declaration=declaration, number=4)
    assert last.position == 5
    assert list(declaration.themes.values_list("number", flat=True)) == [2, 1, 4]
