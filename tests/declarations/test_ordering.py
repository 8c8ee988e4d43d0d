"""A document's themes, key points, footnotes, annexes and communiqué items are shown in the order of their
position, which is kept apart from the numbers that the public cites: dragging a part in the admin changes
its position only, and the parts are renumbered in that order only on purpose (README, "Order of parts")."""

import re
import textwrap

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from lxml import etree

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from discovery.bundle import natural_order
from publication.models import PendingChange
from publication.services import load_records
from tests.factories import DeclarationFactory, ThemeFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
PAGE = f"/en/declarations/{DECLARATION}/"
NOTE = "Shown in the order of the source's summary."


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def post_change(client, record, changes: dict):
    """Post the record's change form as the page gives it, with `changes`; the response after the redirect."""
    url = change_url(record)
    data = form_data(client.get(url), f"{record._meta.model_name}_form")
    for name, value in changes.items():
        data[name] = [value]
    response = client.post(url, data)
    errors = response.context and [
        response.context["adminform"].form.errors,
        *(inline.formset.errors for inline in response.context["inline_admin_formsets"]),
        *(inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]),
    ]
    assert response.status_code == 302, errors
    return response


def theme_sections(html: str) -> list[str]:
    return re.findall(r'<section class="theme" id="(theme-\d+)"', html)


def numbers_and_positions(queryset) -> dict[int, tuple[int, int]]:
    return {
        pk: (number, position) for pk, number, position in queryset.values_list("pk", "number", "position")
    }


def test_the_parts_of_the_fixtures_stand_at_their_numbers_and_a_second_load_changes_nothing():
    for model in (Theme, KeyPoint, Footnote, Annex, CommuniqueItem):
        parts = list(model.objects.values_list("number", "position"))
        assert parts and all(number == position for number, position in parts), model
    before = {model: numbers_and_positions(model.objects.all()) for model in (Theme, KeyPoint, Annex)}
    report = load_records()
    assert report.created_total == 0
    assert {model: numbers_and_positions(model.objects.all()) for model in before} == before


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


def test_a_fixture_gives_a_position_or_leaves_it_to_the_number(tmp_path):
    declaration = DeclarationFactory(slug="a-document-in-its-own-order")
    fixture = tmp_path / "parts.yaml"
    fixture.write_text(
        textwrap.dedent(
            """\
            - model: declarations.theme
              fields:
                declaration: [a-document-in-its-own-order]
                number: 1
                position: 2
                title_ja: 一つ目
            - model: declarations.theme
              fields:
                declaration: [a-document-in-its-own-order]
                number: 2
                title_ja: 二つ目
            - model: declarations.theme
              fields:
                declaration: [a-document-in-its-own-order]
                number: 3
                position: 1
                title_ja: 三つ目
            """
        ),
        encoding="utf-8",
    )
    assert load_records(paths=[fixture]).created_total == 3
    # The second theme's number, 2, was the first's position: it comes after the last.
    assert list(declaration.themes.values_list("number", "position")) == [(3, 1), (1, 2), (2, 3)]
    assert load_records(paths=[fixture]).created_total == 0
    assert list(declaration.themes.values_list("number", "position")) == [(3, 1), (1, 2), (2, 3)]


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


def test_an_editors_reorder_and_renumbering_of_a_published_document_wait_for_review(
    client, editor, publisher
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    before = numbers_and_positions(declaration.themes.all())
    first, second = declaration.themes.all()[:2]
    client.force_login(editor)
    post_change(
        client,
        declaration,
        {"themes-0-position": "2", "themes-1-position": "1", "renumber_parts": "on", "change_note": NOTE},
    )
    assert numbers_and_positions(declaration.themes.all()) == before
    # Told that nothing is renumbered yet, and that the cited addresses change once it is published.
    page = client.get(change_url(declaration)).content.decode()
    assert "番号の振り直しは、ほかの変更とともにレビューを待っています。" in page
    assert "部分の番号を表示順に振り直しました。" not in page
    pending = PendingChange.objects.get(content_type__model="declaration", object_id=declaration.pk)
    assert sorted((change["pk"], change["values"]) for change in pending.parts) == sorted(
        [(first.pk, {"number": 2, "position": 2}), (second.pk, {"number": 1, "position": 1})]
    )
    client.force_login(publisher)
    review = reverse("admin:declarations_declaration_review", args=[declaration.pk])
    assert client.post(review, {"action": "publish"}).status_code == 302
    assert numbers_and_positions(declaration.themes.filter(pk__in=[first.pk, second.pk])) == {
        first.pk: (2, 2),
        second.pk: (1, 1),
    }


def test_an_editors_drag_on_a_published_document_moves_nothing_until_reviewed(client, editor):
    declaration = Declaration.objects.get(slug=DECLARATION)
    client.force_login(editor)
    post_change(
        client, declaration, {"footnotes-0-position": "2", "footnotes-1-position": "1", "change_note": NOTE}
    )
    assert list(declaration.footnotes.values_list("number", flat=True))[:2] == [1, 2]
    pending = PendingChange.objects.get(content_type__model="declaration", object_id=declaration.pk)
    assert {change["values"]["position"] for change in pending.parts} == {1, 2}
    assert all(set(change["values"]) == {"position"} for change in pending.parts)


def test_the_archive_and_the_akoma_ntoso_text_give_the_parts_in_their_order(api):
    Theme.objects.filter(declaration__slug=DECLARATION, number=1).update(position=9)
    themes = natural_order(
        "themes", Theme.objects.select_related("declaration").filter(declaration__slug=DECLARATION)
    )
    assert [theme.number for theme in themes] == [2, 3, 4, 5, 6, 1]
    response = api.get(f"/api/v1/declarations/{DECLARATION}/akn/", {"lang": "en"})
    root = etree.fromstring(response.content)
    ids = root.xpath("//*[local-name()='hcontainer'][@name='theme']/@eId")
    assert ids == ["theme-2", "theme-3", "theme-4", "theme-5", "theme-6", "theme-1"]


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


def test_restoring_a_version_whose_position_another_part_took_is_refused_with_the_rules_message(admin_client):
    """Regression: restoring a theme's earlier version, at a position another theme holds since, was an
    IntegrityError (a 500)."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    first = declaration.themes.first()
    earlier = first.history.order_by("-history_id").first()
    assert earlier.position == 1
    post_change(
        admin_client, declaration, {"themes-0-position": "2", "themes-1-position": "1", "change_note": NOTE}
    )
    url = reverse("admin:declarations_theme_restore", args=[first.pk, earlier.history_id])
    with translation.override("en"):
        response = admin_client.post(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The earlier version cannot be restored as it is" in html
    assert "The document already has a theme in this position." in html
    first.refresh_from_db()
    assert first.position == 2


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
