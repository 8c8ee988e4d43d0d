"""The document's change form (declarations/admin.py): its themes, footnotes, annexes and communiqué items
dragged by their position, their numbers typed. Parts that exchange their numbers in one save are tested
with the formset that saves them (tests/publication/test_formsets.py).
A drag, on a document's page or a theme's, changes the parts' positions only: their numbers and anchors
stay, and the public page and the API follow the new order. The parts are renumbered in that order only on
purpose, with an option of the change forms; a part's own page has no position (README, "Order of
parts")."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from tests.admin_support import change_url, post_change
from tests.declarations.support import NOTE
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
PAGE = f"/en/declarations/{DECLARATION}/"


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


def theme_sections(html: str) -> list[str]:
    return re.findall(r'<section class="theme" id="(theme-\d+)"', html)


def test_dragging_the_themes_changes_their_positions_and_keeps_every_number_and_anchor(admin_client, client):
    declaration = Declaration.objects.get(slug=DECLARATION)
    numbers = dict(declaration.themes.values_list("pk", "number"))
    theme_title = declaration.themes.get(number=3).title_ja
    assert theme_sections(client.get(PAGE).content.decode()) == [f"theme-{n}" for n in range(1, 7)]
    # The third theme dragged to the top: the script writes 1, 2, 3 into the rows' positions.
    post_change(
        admin_client,
        declaration,
        {"themes-2-position": "1", "themes-0-position": "2", "themes-1-position": "3", "change_note": NOTE},
    )
    assert dict(declaration.themes.values_list("pk", "number")) == numbers
    assert list(declaration.themes.values_list("number", flat=True)) == [3, 1, 2, 4, 5, 6]
    html = client.get(PAGE).content.decode()
    assert theme_sections(html) == ["theme-3", "theme-1", "theme-2", "theme-4", "theme-5", "theme-6"]
    # The key points keep their anchors and their numbers as the list shows them.
    assert '<li id="theme-3-point-1" value="1">' in html
    # The API lists them in the same order, under the same addresses.
    themes = client.get(f"/api/v1/themes/?declaration={DECLARATION}").json()["results"]
    assert [theme["number"] for theme in themes] == [3, 1, 2, 4, 5, 6]
    assert client.get(f"/api/v1/declarations/{DECLARATION}/themes/3/").json()["title"] == theme_title
    # Each moved theme's history holds its one move, with no stopgap position.
    theme = declaration.themes.get(number=3)
    assert list(theme.history.order_by("-history_id").values_list("position", flat=True)[:2]) == [1, 3]


def test_a_key_point_dragged_on_its_themes_page_keeps_its_number(admin_client, client):
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=4)
    points = list(theme.key_points.values_list("number", flat=True))
    assert len(points) >= 2
    post_change(
        admin_client, theme, {"key_points-0-position": "2", "key_points-1-position": "1", "change_note": NOTE}
    )
    assert list(theme.key_points.values_list("number", flat=True)) == [2, 1, *points[2:]]
    html = client.get(PAGE).content.decode()
    assert html.index('id="theme-4-point-2" value="2"') < html.index('id="theme-4-point-1" value="1"')


def test_renumbering_in_the_order_shown_gives_each_kind_its_ranks_in_one_save(admin_client, client):
    declaration = Declaration.objects.get(slug=DECLARATION)
    third = declaration.themes.get(number=3)
    last_annex = declaration.annexes.order_by("-number").first()
    url = change_url(declaration)
    data = form_data(admin_client.get(url), "declaration_form")
    count = declaration.annexes.count()
    data.update(
        {
            "themes-2-position": ["1"],
            "themes-0-position": ["2"],
            "themes-1-position": ["3"],
            f"annexes-{count - 1}-position": ["0"],
            "renumber_parts": ["on"],
            "change_note": ["Renumbered as the authentic text numbers them."],
        }
    )
    # The last annex typed as position 0 (before the first): ranks, not the typed values, are the numbers.
    with translation.override("en"):
        response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    third.refresh_from_db()
    last_annex.refresh_from_db()
    assert (third.number, third.position) == (1, 1)
    assert (last_annex.number, last_annex.position) == (1, 1)
    for model in (Theme, Annex, Footnote, CommuniqueItem):
        parts = list(model.objects.filter(declaration=declaration).values_list("number", "position"))
        assert all(number == position for number, position in parts), model
    assert list(declaration.themes.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    # The history holds each theme's move once, from its old number to its new one.
    assert list(third.history.order_by("-history_id").values_list("number", flat=True)[:2]) == [1, 3]
    # The editor is told that cited addresses changed.
    assert any("public addresses" in str(message) for message in get_messages(response.wsgi_request))
    assert client.get(f"/en/declarations/{DECLARATION}/annexes/1/").context["annex"].pk == last_annex.pk


def test_the_renumbering_option_is_offered_on_the_change_forms_only(admin_client):
    declaration = Declaration.objects.get(slug=DECLARATION)
    assert 'name="renumber_parts"' in admin_client.get(change_url(declaration)).content.decode()
    theme = declaration.themes.first()
    assert 'name="renumber_parts"' in admin_client.get(change_url(theme)).content.decode()
    add = admin_client.get(reverse("admin:declarations_declaration_add")).content.decode()
    assert 'name="renumber_parts"' not in add


def test_without_the_option_a_save_renumbers_nothing(admin_client):
    declaration = Declaration.objects.get(slug=DECLARATION)
    post_change(admin_client, declaration, {"annexes-0-position": "9", "change_note": NOTE})
    assert list(declaration.annexes.values_list("number", flat=True)) == [2, 3, 4, 5, 1]


def test_a_parts_own_page_leaves_its_position_to_its_document_or_theme(admin_client):
    """A position means something among the others of its kind, which the document's (or theme's) page lists:
    a part's own form, which could only send it empty, has none."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    communique = Declaration.objects.filter(kind=Declaration.Kind.LEADERS_COMMUNIQUE).first()
    parts = [
        declaration.themes.first(),
        KeyPoint.objects.filter(theme__declaration=declaration).first(),
        declaration.footnotes.first(),
        declaration.annexes.first(),
        communique.communique_items.first(),
    ]
    for part in parts:
        html = admin_client.get(change_url(part)).content.decode()
        assert 'name="number"' in html and 'name="position"' not in html, part


def test_a_theme_added_in_the_renumbering_save_without_a_position_comes_last(admin_client):
    """The first theme is moved last and a theme added, with no position, in the save that renumbers: the
    new one comes after it, rather than keeping the number typed for it, which another took."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    first = declaration.themes.first().title_ja
    url = change_url(declaration)
    data = form_data(admin_client.get(url), "declaration_form")
    total = int(data["themes-TOTAL_FORMS"][0])
    data.update(
        {
            "themes-TOTAL_FORMS": [str(total + 1)],
            f"themes-{total}-declaration": [str(declaration.pk)],
            f"themes-{total}-number": ["1"],
            f"themes-{total}-title_ja": ["追加したテーマ"],
            "themes-0-position": ["9"],
            "renumber_parts": ["on"],
            "change_note": [NOTE],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    assert list(declaration.themes.values_list("title_ja", "number", "position"))[-2:] == [
        (first, 6, 6),
        ("追加したテーマ", 7, 7),
    ]
