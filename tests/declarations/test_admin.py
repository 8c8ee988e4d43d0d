"""The document's change form: its themes, footnotes, annexes and communiqué items as editors change them."""

import pytest
from django.urls import reverse
from django.utils import translation

from declarations.models import Declaration
from publication.corrections import corrections
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"


def post_change(client, declaration, changes: dict):
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    data = form_data(client.get(url), "declaration_form")
    for name, value in changes.items():
        assert name in data, name
        data[name] = [value]
    response = client.post(url, data)
    errors = response.context and [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    assert response.status_code == 302, errors
    return response


def test_two_themes_exchange_their_numbers(admin_client):
    """Regression: exchanging the numbers of two themes of a document was an IntegrityError on
    declaration_theme_unique_number."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    first, second = declaration.themes.order_by("number")[:2]
    post_change(admin_client, declaration, {"themes-0-number": "2", "themes-1-number": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == (2, 1)
    # The public log of each theme names the one change, number, and its history holds no stopgap number.
    for theme, before in ((first, 1), (second, 2)):
        assert list(theme.history.order_by("-history_id").values_list("number", flat=True)[:2]) == [
            theme.number,
            before,
        ]
        assert set(theme.history.values_list("number", flat=True)) == {1, 2}
        with translation.override("en"):
            log = corrections(theme, public_since=declaration.published_at)
        assert [entry["fields"] for entry in log["entries"]] == ["Number"]


def test_the_annexes_of_a_document_turn_round(admin_client):
    """A longer cycle: the first annex becomes the last and each other moves up one."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    titles = list(declaration.annexes.order_by("number").values_list("title_en", flat=True))
    count = len(titles)
    changes = {f"annexes-{index}-number": str((index - 1) % count + 1) for index in range(count)}
    post_change(admin_client, declaration, changes)
    assert list(declaration.annexes.order_by("number").values_list("title_en", flat=True)) == [
        *titles[1:],
        titles[0],
    ]


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
