"""The document's change form (declarations/admin.py): its themes, footnotes, annexes and communiqué items
dragged by their position, their numbers typed. Parts that exchange their numbers in one save are tested
with the formset that saves them (tests/publication/test_formsets.py)."""

import pytest
from django.urls import reverse

from declarations.models import Declaration

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"


def test_the_numbered_parts_are_dragged_by_their_position_and_their_numbers_stay_typed(admin_client):
    """A drag writes 1 to n into the order field: on a document's themes, footnotes, annexes and communiqué
    items that field is their position, never the number that the anchors and addresses cite, which stays
    a field to type (README, "Order of parts")."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    response = admin_client.get(reverse("admin:declarations_declaration_change", args=[declaration.pk]))
    inlines = {inline.formset.prefix: inline for inline in response.context["inline_admin_formsets"]}
    assert {"themes", "footnotes", "annexes", "communique_items"} <= set(inlines)
    for prefix in ["themes", "footnotes", "annexes", "communique_items"]:
        inline = inlines[prefix]
        assert "sortable" in inline.classes.split(), prefix
        assert inline.formset.default_order_field == "position", prefix
        for form in inline.formset.forms:
            assert "_reorder_" in str(form["position"]) and not form["position"].is_hidden, prefix
            assert not form["number"].is_hidden and "_reorder_" not in str(form["number"]), prefix
    # The official texts are listed by their number alone: no order to drag.
    assert "sortable" not in inlines["official_texts"].classes.split()
    theme = declaration.themes.first()
    response = admin_client.get(reverse("admin:declarations_theme_change", args=[theme.pk]))
    (points,) = response.context["inline_admin_formsets"]
    assert "sortable" in points.classes.split() and points.formset.default_order_field == "position"
