"""The index follows the records: through loading the fixtures, a rebuild, and a failed load. The
commitment register's commitments, follow-ups and earlier commitments are indexed in each language, each
kind read in one query; what is found of them follows their publication, edits, links and deletion at
once, and a rebuild and a migration index them."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils import timezone

from commitments.models import Commitment, EarlierCommitment, FollowUp
from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Meeting
from operations import records
from publication.services import load_records
from publication.signals import is_loading_records
from search import indexing
from search.engine import search
from search.indexing import rebuild
from search.models import Kind, SearchEntry, SearchToken
from search.text import Run, index_tokens, is_cjk, normalize, parse_query, runs
from tests.factories import (
    ChairFactory,
    FootnoteFactory,
    KeyPointFactory,
    LocationFactory,
    MeetingFactory,
    OrganizationFactory,
)
from tests.search.support import COMPETITION_SUMMIT, EPAD, HUMAN_CENTRED, commitment_hits, published, slugs

pytestmark = pytest.mark.django_db


def index_snapshot():
    return sorted(
        SearchEntry.objects.values_list("kind", "object_id", "language", "title", "normalized_text")
    )


def test_loading_the_fixtures_indexes_every_record_in_each_language_it_has():
    expected = {
        "meeting": Meeting.objects.count(),
        "declaration": Declaration.objects.count(),
        "theme": Theme.objects.count(),
        "key_point": KeyPoint.objects.count(),
        "footnote": Footnote.objects.count(),
        "annex": Annex.objects.count(),
        "communique_item": CommuniqueItem.objects.count(),
    }
    for kind, count in expected.items():
        # Every fixture record has its English, so each has two entries.
        assert SearchEntry.objects.filter(kind=kind, language="ja").count() == count, kind
        assert SearchEntry.objects.filter(kind=kind, language="en").count() == count, kind


def test_a_rebuild_gives_the_same_index_as_keeping_it_current():
    MeetingFactory(title_en="Kept current")
    kept = index_snapshot()
    tokens = SearchToken.objects.count()
    assert rebuild() == len(kept)
    assert index_snapshot() == kept
    assert SearchToken.objects.count() == tokens


def entry(kind, record, language):
    return SearchEntry.objects.values("title", "text", "context", "slug", "number", "theme_number").get(
        kind=kind, object_id=record.pk, language=language
    )


@pytest.mark.parametrize("build", ["kept current", "rebuilt"])
def test_entries_read_each_field_in_its_language_or_the_japanese(build):
    """Records are read for the index as rows of columns, not as model instances: each related record's
    text, the Japanese where the English is missing and a theme's marker must read as on the pages."""
    meeting = MeetingFactory(title_en="Meeting in two languages", summary_ja="要約", summary_en="")
    LocationFactory(meeting=meeting, city_en="")
    LocationFactory(
        meeting=meeting, country="BE", prefecture=None, city_ja="ブリュッセル", city_en="Brussels"
    )
    meeting.hosts.add(OrganizationFactory(name_ja="外務省", name_en="Ministry of Foreign Affairs"))
    ChairFactory(meeting=meeting, person__name_ja="試験花子", person__name_en="", office_en="Minister")
    point = KeyPointFactory(
        number=1,
        theme__number=3,
        theme__title_en="",
        theme__declaration__short_title_en="Short",
        text_en="A point.",
    )
    note = FootnoteFactory(theme=point.theme, number=2, text_en="")
    if build == "rebuilt":
        rebuild()

    assert entry("meeting", meeting, "en") == {
        "title": "Meeting in two languages",
        "text": "要約\nGunma 高崎市 Brussels\nMinistry of Foreign Affairs\n試験花子 Minister",
        "context": "",
        "slug": meeting.slug,
        "number": None,
        "theme_number": None,
    }
    assert (
        entry("meeting", meeting, "ja")["text"]
        == "要約\n群馬県 高崎市 ブリュッセル\n外務省\n試験花子 試験大臣"
    )
    document = point.theme.declaration
    assert entry("key_point", point, "en") == {
        "title": "③-1 試験テーマ",
        "text": "A point.",
        "context": "Short",
        "slug": document.slug,
        "number": 1,
        "theme_number": 3,
    }
    assert entry("key_point", point, "ja")["context"] == document.title_ja
    assert entry("theme", point.theme, "ja")["title"] == "③ 試験テーマ"
    # A footnote without English of its own has no English entry.
    assert not SearchEntry.objects.filter(kind="footnote", object_id=note.pk, language="en").exists()
    assert entry("footnote", note, "ja")["title"] == "＊2 試験テーマ"


def search_schema() -> dict:
    """Everything the migrations made of the index's tables: their indexes and constraints, as Django
    reads them and as the database itself states them."""
    tables = [SearchEntry._meta.db_table, SearchToken._meta.db_table]
    with connection.cursor() as cursor:
        schema = {table: connection.introspection.get_constraints(cursor, table) for table in tables}
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, contype, condeferrable, condeferred,"
                " pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])"
                " ORDER BY 1, 2",
                [tables],
            )
            schema["constraints"] = cursor.fetchall()
            cursor.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2",
                [tables],
            )
        else:
            cursor.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN (%s, %s) ORDER BY name",
                tables,
            )
        schema["definitions"] = cursor.fetchall()
    return schema


def test_a_rebuild_leaves_the_schema_of_the_index_as_the_migrations_made_it():
    """Regression guard: a rebuild drops the index tables' indexes and the constraints between them to
    fill the tables faster, and must make every one of them again, with its name and definition."""
    before = search_schema()
    assert "search_token_rank_idx" in before[SearchToken._meta.db_table]
    MeetingFactory(title_en="Indexed before the rebuild")  # pending deferred checks must not get in the way
    rebuild()
    assert search_schema() == before
    assert search("Indexed before the rebuild", language="en").total == 1


def test_a_failed_rebuild_leaves_the_index_and_its_schema_as_they_were(monkeypatch):
    before, entries = search_schema(), index_snapshot()

    def fail(data, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr("search.indexing._write", fail)
    with pytest.raises(RuntimeError):
        rebuild()
    assert search_schema() == before
    assert index_snapshot() == entries


def test_the_command_rebuilds_a_lost_index(capsys):
    SearchEntry.objects.all().delete()
    assert not search("広島", language="ja")
    call_command("rebuild_search_index")
    assert "Indexed" in capsys.readouterr().out
    assert search("広島", language="ja").total >= 15


def test_loading_the_fixtures_again_restores_the_index():
    SearchEntry.objects.filter(kind="annex").delete()
    load_records()
    assert search("DFFT", language="en", kinds=["annex"]).total == 1


def test_a_failed_load_leaves_indexing_on(tmp_path):
    """Regression guard: the mark of a bulk load must not outlive a load that fails."""
    bad = tmp_path / "90_bad.yaml"
    bad.write_text(
        "- model: meetings.meeting\n  fields: {slug: broken, forum: G7, kind: ministerial, year: 2023,"
        " presidency: JP, portfolio: digital, title_ja: 壊れた, short_title_ja: 壊れた, status: published}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError):
        load_records(paths=[bad])
    assert not is_loading_records()
    MeetingFactory(title_en="Indexed after a failed load")
    assert search("failed load", language="en").total == 1


def test_tokens_are_words_and_japanese_bigrams_and_characters():
    assert index_tokens("G7広島サミット, Hiroshima's 5G/6G") == {
        "g7": 1,
        "広島": 1,
        "島サ": 1,
        "サミ": 1,
        "ミッ": 1,
        "ット": 1,
        "広": 1,
        "島": 1,
        "サ": 1,
        "ミ": 1,
        "ッ": 1,
        "ト": 1,
        "hiroshima": 1,
        "s": 1,
        "5g": 1,
        "6g": 1,
    }


def test_normalisation_folds_width_case_and_accents():
    assert normalize("ＡＩ　Ｇ７ ﾒﾀﾊﾞｰｽ Düsseldorf") == "ai g7 メタバース dusseldorf"
    query = parse_query("  生成ＡＩ  ")
    assert [(unit.text, unit.cjk, unit.terms) for unit in query.units] == [
        ("生成", True, ("生成",)),
        ("ai", False, ("ai",)),
    ]


def test_migrating_a_site_with_records_fills_an_empty_index(django_assert_num_queries):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from search.receivers import on_migrated

    config = apps.get_app_config("search")
    with django_assert_num_queries(1):
        # An index with entries is the signals' business: one look, nothing rebuilt.
        on_migrated(sender=config, using="default")
    SearchEntry.objects.all().delete()
    post_migrate.send(sender=config, app_config=config, using="default", verbosity=0, interactive=False)
    assert search("広島", language="ja").total >= 15


def runs_one_character_at_a_time(normalized: str) -> list[Run]:
    """The tokeniser as it was first written, a character at a time: the reference for the pattern."""
    found: list[Run] = []
    start = None
    cjk = False
    for index, char in enumerate(normalized):
        char_cjk = is_cjk(char)
        is_part = char_cjk or char.isalnum()
        if start is not None and (not is_part or char_cjk != cjk):
            found.append(Run(normalized[start:index], start, cjk))
            start = None
        if is_part and start is None:
            start, cjk = index, char_cjk
    if start is not None:
        found.append(Run(normalized[start:], start, cjk))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "G7広島サミット, Hiroshima's 5G/6G",
        "snake_case_word and ＡＩ・ロボット、〇〻々〆ー",
        "한국어 텍스트와 日本語\u3000mixed123漢字abc",
        "Straße Düsseldorf ½ ² ٣٤ ⅷ x\u0301y",
        "\U00020000\U00020001 𝐀𝐁 \U00016f00 ・・ ゠ ヿ ㇰ",
        "",
        "___",
    ],
)
def test_the_tokeniser_pattern_splits_as_the_character_loop_did(text):
    normalized = normalize(text)
    assert runs(normalized) == runs_one_character_at_a_time(normalized)


def test_the_tokeniser_pattern_classes_every_character_as_the_loop_did():
    everything = "".join(chr(code) for code in range(0x40000) if not 0xD800 <= code <= 0xDFFF)
    assert runs(everything) == runs_one_character_at_a_time(everything)
    # Each character alone too, so that no run hides a difference inside it.
    spaced = " ".join(everything[::7])
    assert runs(spaced) == runs_one_character_at_a_time(spaced)


def test_the_index_keeps_each_entrys_words_folded_between_single_spaces():
    """What phrases are checked in: whole words with one space between them, accents folded."""
    meeting = MeetingFactory(
        title_en="Rules for Digital-Trade", summary_en="Met in Düsseldorf, then 広島サミット."
    )
    entry = SearchEntry.objects.get(kind="meeting", object_id=meeting.pk, language="en")
    assert entry.normalized_title == " rules for digital trade test meeting "
    assert entry.normalized_text == " met in dusseldorf then 広島サミット "
    assert entry.text == "Met in Düsseldorf, then 広島サミット."


def test_the_migration_that_folds_accents_empties_the_index_for_migrate_to_fill_again():
    """The old index held accents and punctuation; migrate empties it, and its end rebuilds it."""
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db.models.signals import post_migrate

    migration = import_module("search.migrations.0004_fold_accents_and_keep_words_apart")
    SearchEntry.objects.filter(slug="g7-2022-digital-dusseldorf").update(normalized_text="düsseldorf")

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.empty_index(apps, SimpleNamespace(connection=connection, execute=execute))
    assert not SearchEntry.objects.exists() and not SearchToken.objects.exists()
    config = apps.get_app_config("search")
    post_migrate.send(sender=config, app_config=config, using="default", verbosity=0, interactive=False)
    entry = SearchEntry.objects.get(kind="meeting", language="en", slug="g7-2022-digital-dusseldorf")
    assert "dusseldorf" in entry.normalized_text.split()
    assert [hit.slug for hit in search("Dusseldorf", language="en").hits] == ["g7-2022-digital-dusseldorf"]


def slugs_found(query: str, language: str) -> set[str]:
    return {hit.slug for hit in search(query, language=language).hits if hit.kind == "meeting"}


def test_a_ministerial_meeting_is_found_by_its_summits_name_and_follows_a_change_of_it():
    """The source gives some meetings only a line; what ties them to Hiroshima is their summit, whose
    title their entries hold (their stock summary used to)."""
    assert "g7-2023-science-and-technology-sendai" in slugs_found("広島", "ja")
    assert "g7-2023-science-and-technology-sendai" in slugs_found("Hiroshima", "en")
    summit = Meeting.objects.get(slug="g7-2023-hiroshima-summit")
    summit.title_en = "G7 Seto Inland Sea Summit"
    summit.save()
    assert "g7-2023-science-and-technology-sendai" in slugs_found("Seto", "en")


def test_every_commitment_is_indexed_in_each_language():
    count = Commitment.objects.count()
    for language in ("ja", "en"):
        assert SearchEntry.objects.filter(kind=Kind.COMMITMENT, language=language).count() == count


def test_a_draft_commitment_is_not_found_and_a_saved_change_is():
    point = KeyPoint.objects.get(
        theme__declaration__slug="g7-2023-digital-and-tech-ministerial-declaration", theme__number=1, number=1
    )
    commitment = Commitment.objects.create(
        slug="wombat-watch", number=100, text_ja="ウォンバットの見守り", text_en="Watch the wombats.",
        key_point=point, committed_by="ministers", act="agree", status="draft",
    )  # fmt: skip
    assert commitment_hits("wombats", "en")[0] == []
    commitment.status, commitment.published_at = "published", timezone.now()
    commitment.save()
    assert [slug for slug, _, _ in commitment_hits("wombats", "en")[0]] == ["wombat-watch"]
    commitment.text_en = "Count the koalas."
    commitment.save()
    assert commitment_hits("wombats", "en")[0] == []
    assert [slug for slug, _, _ in commitment_hits("koalas", "en")[0]] == ["wombat-watch"]
    pk = commitment.pk
    assert SearchEntry.objects.filter(kind=Kind.COMMITMENT, object_id=pk).count() == 2
    commitment.delete()
    assert not SearchEntry.objects.filter(kind=Kind.COMMITMENT, object_id=pk).exists()
    assert commitment_hits("koalas", "en")[0] == []


def test_a_commitment_names_its_document_as_that_document_is_renamed():
    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    declaration.short_title_en = "Takasaki Declaration"
    declaration.save()
    found, _results = commitment_hits("competition summit", "en")
    assert next(context for slug, _, context in found if slug == COMPETITION_SUMMIT) == "Takasaki Declaration"


def test_every_follow_up_and_earlier_commitment_is_indexed_in_each_language():
    for kind, model in ((Kind.FOLLOW_UP, FollowUp), (Kind.EARLIER_COMMITMENT, EarlierCommitment)):
        count = model.objects.count()
        assert count
        for language in ("ja", "en"):
            assert SearchEntry.objects.filter(kind=kind, language=language).count() == count, kind


def test_a_follow_up_is_found_once_published_and_follows_edits_and_deletion(follow_up):
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == []
    # Scheduled: not yet.
    follow_up.status, follow_up.published_at = "published", timezone.now() + datetime.timedelta(days=1)
    follow_up.save()
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == []
    assert slugs("フクロアリクイ", "ja", Kind.FOLLOW_UP) == []
    # Its time has come (a bulk publish sends no signal: publication is read when searching).
    FollowUp.objects.filter(pk=follow_up.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == ["numbat-census"]
    assert slugs("フクロアリクイ", "ja", Kind.FOLLOW_UP) == ["numbat-census"]
    follow_up.refresh_from_db()
    follow_up.title_en = "Publication of the bilby census"
    follow_up.save()
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == []
    assert slugs("bilby", "en", Kind.FOLLOW_UP) == ["numbat-census"]
    pk = follow_up.pk
    follow_up.delete()
    assert not SearchEntry.objects.filter(kind=Kind.FOLLOW_UP, object_id=pk).exists()
    assert slugs("bilby", "en", Kind.FOLLOW_UP) == []


def test_an_earlier_commitment_follows_its_links_edits_and_deletion_at_once(earlier):
    EarlierCommitment.objects.filter(pk=earlier.pk).update(**published())
    carrying = Commitment.objects.get(slug="hiroshima-ai-process")
    earlier.commitments.remove(carrying)
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []
    carrying.earlier_commitments.add(earlier)
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == [earlier.slug]
    earlier.refresh_from_db()
    earlier.summary_en = "The G20 ministers confirmed the wallaby principles."
    earlier.save()
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []
    assert slugs("wallaby", "en", Kind.EARLIER_COMMITMENT) == [earlier.slug]
    pk = earlier.pk
    earlier.delete()
    assert not SearchEntry.objects.filter(kind=Kind.EARLIER_COMMITMENT, object_id=pk).exists()
    assert slugs("wallaby", "en", Kind.EARLIER_COMMITMENT) == []


def test_building_their_entries_reads_each_kind_in_one_query(django_assert_num_queries, follow_up, earlier):
    """A rebuild reads the records in bulk: one query a kind however many there are."""
    builders = (
        (indexing.follow_up_entries, FollowUp),
        (indexing.earlier_commitment_entries, EarlierCommitment),
    )
    for builder, model in builders:
        count = model.objects.count()
        with django_assert_num_queries(1):
            entries = list(builder())
        # Every record of the fixtures and of the test has its English.
        assert len(entries) == 2 * count


def test_a_rebuild_and_a_migration_index_them():
    kept = sorted(
        SearchEntry.objects.filter(kind=Kind.FOLLOW_UP).values_list("object_id", "language", "title")
    )
    indexing.rebuild()
    assert (
        sorted(SearchEntry.objects.filter(kind=Kind.FOLLOW_UP).values_list("object_id", "language", "title"))
        == kept
    )
    assert (
        SearchEntry.objects.filter(kind=Kind.EARLIER_COMMITMENT).count()
        == 2 * EarlierCommitment.objects.count()
    )
    # A site migrated to the version that indexes them has an index without them: migrate adds them.
    SearchEntry.objects.filter(kind__in=[Kind.FOLLOW_UP, Kind.EARLIER_COMMITMENT]).delete()
    from django.apps import apps

    config = apps.get_app_config("search")
    post_migrate.send(sender=config, app_config=config, using="default", verbosity=0, interactive=False)
    assert slugs("EPaD", "en", Kind.FOLLOW_UP) == [EPAD]
    assert HUMAN_CENTRED in slugs("human-centred", "en", Kind.EARLIER_COMMITMENT)


def test_a_reindex_marks_every_start_of_the_words_its_entries_held_and_hold(settings):
    settings.RECORD_CACHE_SECONDS = 600
    cache.clear()
    point = KeyPoint.objects.filter(text_en__icontains="digital").first()
    point.text_en = "Wombats burrow."
    point.save()
    marked = {
        mark
        for mark in ("digital", "digit", "d", "wombats", "womb", "burrow")
        if cache.get(records.word_mark(mark))
    }
    assert marked == {"digital", "digit", "d", "wombats", "womb", "burrow"}
    assert cache.get(records.word_mark("sendai")) is None
    cache.clear()
    indexing.remove("key_point", [point.pk])
    assert cache.get(records.word_mark("womb")) is not None
    cache.clear()
