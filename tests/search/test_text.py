"""Normalisation, queries and snippets, without the database: the rules that the index and the search share."""

import html
import unicodedata

import pytest

from search.text import highlight, index_tokens, normalize, parse_query, searchable


def units(query: str) -> list[tuple[str, bool]]:
    return [(unit.text, unit.prefix) for unit in parse_query(query).units]


# Normalisation.


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("Düsseldorf", "dusseldorf"),
        ("Du\u0308sseldorf", "dusseldorf"),
        ("DÜSSELDORF", "dusseldorf"),
        ("ｄｕｓｓｅｌｄｏｒｆ", "dusseldorf"),
        ("Straße", "strasse"),
        ("Ångström café naïve", "angstrom cafe naive"),
        ("Ἀθῆναι", "αθηναι"),
        ("ＡＩ　Ｇ７", "ai g7"),
        ("ﾒﾀﾊﾞｰｽ", "メタバース"),
        # Voiced and semi-voiced kana are letters of their own: ガ is not カ, パ is not ハ.
        ("ガバナンス、パリ", "ガバナンス、パリ"),
        ("ｶﾞﾊﾟ", "ガパ"),
    ],
)
def test_normalisation_folds_width_case_and_accents_but_not_kana(written, normalized):
    assert normalize(written) == normalized
    # Once is enough: what is indexed normalised is searched normalised again.
    assert normalize(normalized) == normalized


def test_the_index_and_the_query_fold_alike():
    assert index_tokens("Meeting in Düsseldorf") == index_tokens("MEETING IN DU\u0308SSELDORF")
    assert [unit.text for unit in parse_query("Düsseldorf").units] == ["dusseldorf"]
    assert "dusseldorf" in index_tokens("Düsseldorf")


def test_the_searchable_form_keeps_whole_words_between_single_spaces():
    assert searchable(normalize("Rules for Digital-Trade, in G7広島サミット!")) == (
        " rules for digital trade in g7 広島サミット "
    )
    assert searchable("") == searchable("・、。") == ""


# Queries.


def test_every_word_is_required_and_unquoted_words_match_longer_words():
    assert units("digital  trade ＤＩＧＩＴＡＬ ai") == [("digital", True), ("trade", True), ("ai", False)]
    assert parse_query("digital trade").phrases == []


def test_quoted_words_are_a_phrase_and_match_only_themselves():
    parsed = parse_query('"digital trade" osaka')
    assert units('"digital trade" osaka') == [("digital", False), ("trade", False), ("osaka", True)]
    assert [phrase.pattern for phrase in parsed.phrases] == [" digital trade "]
    # Only the loose word is marked on its own; the phrase's words are marked where they stand together.
    assert [unit.text for unit in parsed.loose] == ["osaka"]
    assert parsed.whole.pattern == " digital trade osaka "


def test_a_word_both_quoted_and_loose_is_the_exact_word():
    assert units('"hiroshima summit" hiroshima') == [("hiroshima", False), ("summit", False)]
    assert [unit.text for unit in parse_query('"hiroshima summit" hiroshima').loose] == ["hiroshima"]


@pytest.mark.parametrize(
    "query", ['"digital trade', "“digital trade”", "„digital trade‟", "＂digital trade＂"]
)
def test_open_curly_and_full_width_quotes(query):
    assert [phrase.pattern for phrase in parse_query(query).phrases] == [" digital trade "]


def test_a_japanese_phrase_may_start_and_end_inside_longer_runs():
    assert [phrase.pattern for phrase in parse_query('"G7広島"').phrases] == [" g7 広島"]
    assert [phrase.pattern for phrase in parse_query('"生成AI"').phrases] == ["生成 ai "]
    # One word or run in quotes is no phrase, only that word.
    assert parse_query('"広島"').phrases == [] and units('"広島"') == [("広島", False)]
    assert parse_query('""').units == []


# Snippets.


def visible(snippet: str) -> str:
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", "")).strip("…")


@pytest.mark.parametrize("position", range(0, 400, 7))
def test_an_english_snippet_never_shows_half_a_word(position):
    words = [f"{'abcdefghij'[index % 10]}{'long' * (index % 4)}word" for index in range(120)]
    text = " ".join([*words[: position // 4], "Jabberwock's", *words[position // 4 :]])
    snippet, matched = highlight(text, parse_query("jabberwock"), width=160)
    shown = visible(snippet)
    assert matched and "<mark>Jabberwock</mark>&#x27;s" in snippet
    start = text.index(shown)
    assert start == 0 or text[start - 1] == " "
    assert start + len(shown) == len(text) or text[start + len(shown)] == " "
    assert len(shown) <= 160


@pytest.mark.parametrize("offset", range(0, 12))
def test_a_japanese_snippet_never_parts_a_character_from_its_marks(offset):
    """Half-width voiced marks, combining accents, emoji sequences and surrogate pairs stay with the
    character before them, wherever the cut would fall."""
    clinging = ["ｶﾞ", "e\u0301", "👍🏽", "👩\u200d💻", "\ud83d\ude00", "❤\ufe0f", "🇯🇵"]
    for piece in clinging:
        filler = "あ" * offset + piece * 60
        text = f"{filler}鵺鵼{filler}"
        snippet, _matched = highlight(text, parse_query("鵺鵼"), width=40)
        shown = visible(snippet)
        start = text.index(shown)
        end = start + len(shown)
        assert "<mark>鵺鵼</mark>" in snippet
        for cut in (start, end):
            before, after = text[cut - 1 : cut], text[cut : cut + 1]
            assert not (after and (unicodedata.combining(after) or after in "ﾞﾟ\ufe0f\u200d🏽")), (piece, cut)
            assert before != "\u200d" and not ("\ud800" <= before <= "\udbff" and after), (piece, cut)
            # A flag's two letters stay together: an even number of them lies before the cut.
            assert text[:cut].count("🇯") == text[:cut].count("🇵"), (piece, cut)


def test_a_snippet_cuts_japanese_between_characters():
    text = "前置きの文章です。" * 40 + "ここに鵺鵼がある。" + "後書きの文章です。" * 40
    snippet, _matched = highlight(text, parse_query("鵺鵼"), width=160)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert 150 <= len(visible(snippet)) <= 160


def test_a_snippet_shows_the_line_of_the_first_match_whole_when_it_fits():
    text = "First paragraph about nothing.\nSecond, on the vorpal blade.\nThird."
    assert highlight(text, parse_query("vorpal"), width=160)[0] == "Second, on the <mark>vorpal</mark> blade."
    # No match in the text (the title matched): its first line.
    assert highlight(text, parse_query("tulgey"), width=160) == ("First paragraph about nothing.", False)
    # Without a width (a title), the whole text.
    assert highlight("A vorpal\nblade", parse_query("vorpal"))[0] == "A <mark>vorpal</mark>\nblade"


def test_a_phrase_is_marked_where_its_words_stand_together_only():
    text = "Digital rules, then digital trade, then Trade."
    snippet, matched = highlight(text, parse_query('"digital trade"'), width=160)
    assert matched and snippet == "Digital rules, then <mark>digital trade</mark>, then Trade."
    snippet, _matched = highlight("Rules for Digital-Trade.", parse_query('"digital trade"'))
    assert snippet == "Rules for <mark>Digital-Trade</mark>."
    snippet, _matched = highlight("G7広島サミットにて", parse_query('"G7広島"'))
    assert snippet == "<mark>G7広島</mark>サミットにて"


def test_words_too_long_for_the_snippet_are_left_out_not_cut():
    text = "x" * 300 + " snark " + "y" * 300
    assert highlight(text, parse_query("snark"), width=160)[0] == "…<mark>snark</mark>…"
