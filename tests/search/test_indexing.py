"""The index follows the records: through loading the fixtures, a rebuild, and a failed load."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.services import load_records
from core.signals import is_loading_records
from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Meeting
from search.engine import search
from search.indexing import rebuild
from search.models import SearchEntry, SearchToken
from search.text import Run, index_tokens, is_cjk, normalize, parse_query, runs
from tests.factories import MeetingFactory

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


def test_normalisation_folds_width_and_case():
    assert normalize("ＡＩ　Ｇ７ ﾒﾀﾊﾞｰｽ Düsseldorf") == "ai g7 メタバース düsseldorf"
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
