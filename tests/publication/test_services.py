"""Loading the fixtures: twice changes nothing, an editor's work survives, and a bad file loads nothing; a
part stands at the position its fixture gives, or else at its number."""

import textwrap

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from declarations.models import Annex, CommuniqueItem, Footnote, KeyPoint, Theme
from meetings.models import Meeting, Organization
from publication.services import fixture_paths, load_records
from tests.factories import DeclarationFactory
from tests.publication.support import numbers_and_positions

pytestmark = pytest.mark.django_db


def counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for app in ("core", "meetings", "declarations", "commitments")
        for model in apps.get_app_config(app).get_models()
    }


def test_fixture_files_load_in_dependency_order():
    assert [path.name for path in fixture_paths()] == [
        "01_prefectures.yaml",
        "02_sources.yaml",
        "03_people.yaml",
        "04_meetings.yaml",
        "05_declarations.yaml",
        "06_commitments.yaml",
        "07_official_texts.yaml",
        "08_lineage.yaml",
    ]


def test_loading_again_duplicates_nothing():
    before = counts()
    report = load_records()
    assert report.created_total == 0
    records = {label: count for label, count in before.items() if ".Historical" not in label}
    assert report.kept_total == sum(records.values())
    assert report.kept["meetings.Meeting"] == 18 and report.kept["meetings.Prefecture"] == 47
    # Nothing was written: not even a history entry.
    assert counts() == before


def test_an_editors_change_survives_a_reload():
    meeting = Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki")
    meeting.title_en = "Digital and Tech Ministers' Meeting, Takasaki (edited)"
    meeting.save()
    meeting.hosts.remove(Organization.objects.get(slug="meti"))
    call_command("load_records", verbosity=0)
    meeting.refresh_from_db()
    assert meeting.title_en == "Digital and Tech Ministers' Meeting, Takasaki (edited)"
    assert sorted(meeting.hosts.values_list("slug", flat=True)) == ["digital-agency", "mic"]


def test_missing_records_are_created_with_their_links():
    meeting = Meeting.objects.get(slug="g7-2016-ict-takamatsu")
    # Its commitments that 2023 commitments carry forward hold on to it: they go first.
    meeting.earlier_commitments.all().delete()
    meeting.delete()
    report = load_records()
    assert report.created == {
        "meetings.Meeting": 1,
        "meetings.Session": 1,
        "meetings.Location": 1,
        "commitments.EarlierCommitment": 2,
    }
    meeting = Meeting.objects.get(slug="g7-2016-ict-takamatsu")
    assert meeting.sessions.get().precision == "month"
    assert meeting.locations.get().prefecture.code == "37"
    carried = meeting.earlier_commitments.get(slug="takamatsu-2016-free-flow-of-information")
    assert sorted(carried.commitments.values_list("slug", flat=True)) == [
        "dfft-vision-priorities",
        "unfragmented-internet",
    ]


def test_a_bad_file_loads_nothing(tmp_path):
    bad = tmp_path / "90_bad.yaml"
    bad.write_text(
        """
- model: meetings.organization
  fields: {slug: new-agency, kind: agency, name_ja: 新しい庁, name_en: New Agency}
- model: meetings.meeting
  fields: {slug: broken, forum: G7, kind: ministerial, year: 2023, presidency: JP, portfolio: digital,
           title_ja: 壊れた会合, title_en: Broken, short_title_ja: 壊れた, short_title_en: Broken, status: published}
""",
        encoding="utf-8",
    )
    # A published record needs a publish time: the whole file is refused, the valid organisation included.
    with pytest.raises(ValidationError):
        load_records(paths=[bad])
    assert not Organization.objects.filter(slug="new-agency").exists()
    assert not Meeting.objects.filter(slug="broken").exists()


def test_the_command_reports_what_it_did(capsys):
    Organization.objects.filter(slug="meti").update(name_en="METI (edited)")
    call_command("load_records")
    out = capsys.readouterr().out
    assert "Created 0 records" in out
    assert Organization.objects.get(slug="meti").name_en == "METI (edited)"


def test_loading_leaves_the_planner_statistics_of_the_tables_it_filled():
    from django.db import connection

    call_command("load_records", verbosity=0)
    table = "declarations_communiqueitem_themes"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        assert cursor.fetchone()[0] > 0


def test_a_load_does_not_ask_the_network_whether_a_published_records_address_answers(tmp_path, local_site):
    """Fixtures load offline: a published record's address is checked before an editor publishes it, not
    while the fixtures load (the same address refused by the form's check is loaded here)."""
    from declarations.models import Declaration

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    declaration.official_url_en = f"{local_site}/missing"
    with pytest.raises(ValidationError) as refused:
        declaration.full_clean()
    assert "official_url_en" in refused.value.message_dict
    fixture = tmp_path / "99_linked.yaml"
    fixture.write_text(
        f"""- model: declarations.declaration
  fields:
    slug: a-linked-statement
    meeting: [g7-2023-digital-and-tech-takasaki]
    kind: other
    title_ja: 声明
    authentic_language: ja
    official_url_en: {local_site}/missing
    status: published
    published_at: '2024-04-01T00:00:00+09:00'
""",
        encoding="utf-8",
    )
    report = load_records(paths=[fixture])
    assert report.created == {"declarations.Declaration": 1}
    assert Declaration.objects.get(slug="a-linked-statement").official_url_en == f"{local_site}/missing"


def test_the_parts_of_the_fixtures_stand_at_their_numbers_and_a_second_load_changes_nothing():
    for model in (Theme, KeyPoint, Footnote, Annex, CommuniqueItem):
        parts = list(model.objects.values_list("number", "position"))
        assert parts and all(number == position for number, position in parts), model
    before = {model: numbers_and_positions(model.objects.all()) for model in (Theme, KeyPoint, Annex)}
    report = load_records()
    assert report.created_total == 0
    assert {model: numbers_and_positions(model.objects.all()) for model in before} == before


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
