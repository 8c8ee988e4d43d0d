"""What the public templates call (rendering/templating.py, rendering/jinja.py) and their macros
(jinja2/includes/macros.html, jinja2/meetings/macros.html): dates, places, fallback marking, "Cite this",
JSON-LD, UI strings; and the map's projection."""

import datetime
import json

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import translation

from meetings.models import Location, Meeting, Prefecture, Session
from rendering.templating import date_span, month_name, script_json, short_month, translated_text


def page_template(source: str):
    """A template of the public pages' engine (jinja2/), from its source."""
    return engines["jinja2"].from_string(source)


def macros(source: str, *names: str, of: str = "includes/macros.html"):
    """A template of the public pages' engine that imports `names` from the macros of `of`."""
    return page_template(f'{{% from "{of}" import {", ".join(names)} %}}{source}')


@pytest.mark.parametrize(
    ("lang", "start", "end", "expected"),
    [
        ("ja", (2023, 4, 4), (2023, 4, 4), "2023年4月4日"),
        ("ja", (2023, 4, 29), (2023, 4, 30), "2023年4月29日〜30日"),
        ("ja", (2023, 6, 28), (2023, 7, 2), "2023年6月28日〜7月2日"),
        ("ja", (2023, 12, 30), (2024, 1, 2), "2023年12月30日〜2024年1月2日"),
        ("en", (2023, 4, 4), (2023, 4, 4), "4 April 2023"),
        ("en", (2023, 4, 29), (2023, 4, 30), "29–30 April 2023"),
        ("en", (2023, 6, 28), (2023, 7, 2), "28 June – 2 July 2023"),
        ("en", (2023, 12, 30), (2024, 1, 2), "30 December 2023 – 2 January 2024"),
    ],
)
def test_date_span(lang, start, end, expected):
    with translation.override(lang):
        assert date_span(datetime.date(*start), datetime.date(*end)) == expected


@pytest.mark.parametrize(
    ("lang", "start", "end", "expected"),
    [
        # As the source's table prints them (5/12（金）～14（日）), with the year.
        ("ja", (2023, 5, 12), (2023, 5, 14), "2023年5月12日（金）〜14日（日）"),
        ("ja", (2023, 4, 4), (2023, 4, 4), "2023年4月4日（火）"),
        ("ja", (2023, 6, 30), (2023, 7, 2), "2023年6月30日（金）〜7月2日（日）"),
        ("en", (2023, 5, 12), (2023, 5, 14), "Fri 12 – Sun 14 May 2023"),
        ("en", (2023, 4, 4), (2023, 4, 4), "Tue 4 April 2023"),
        ("en", (2023, 6, 30), (2023, 7, 2), "Fri 30 June – Sun 2 July 2023"),
        ("en", (2023, 12, 30), (2024, 1, 2), "Sat 30 December 2023 – Tue 2 January 2024"),
    ],
)
def test_date_span_with_weekdays(lang, start, end, expected):
    with translation.override(lang):
        assert date_span(datetime.date(*start), datetime.date(*end), weekdays=True) == expected


def test_a_sessions_days_have_their_weekdays():
    session = Session(start_date=datetime.date(2023, 5, 19), end_date=datetime.date(2023, 5, 21))
    template = page_template("{{ session|session_dates }}")
    with translation.override("ja"):
        assert template.render({"session": session}) == "2023年5月19日（金）〜21日（日）"
    with translation.override("en"):
        assert template.render({"session": session}) == "Fri 19 – Sun 21 May 2023"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ja", "「ICT 国際戦略の推進」（総務省）。"), ("en", "“ICT 国際戦略の推進” (総務省).")],
)
def test_quotes_brackets_and_full_stops_are_the_languages_own(lang, expected):
    template = macros(
        "{% call quoted() %}{{ title }}{% endcall %}{% call parenthesized() %}{{ body }}{% endcall %}"
        '{{ punctuation("full_stop") }}',
        "quoted",
        "parenthesized",
    )
    with translation.override(lang):
        assert template.render({"title": "ICT 国際戦略の推進", "body": "総務省"}) == expected


def test_month_precision_is_a_month_only():
    session = Session(
        start_date=datetime.date(2016, 4, 1), end_date=datetime.date(2016, 4, 1), precision="month"
    )
    template = page_template("{{ session|session_dates }}")
    with translation.override("ja"):
        assert template.render({"session": session}) == "2016年4月"
    with translation.override("en"):
        assert template.render({"session": session}) == "April 2016"
        assert month_name(datetime.date(2023, 12, 1)) == "December 2023"


def test_tr_marks_a_japanese_fallback_and_escapes():
    meeting = Meeting(title_ja="<会合>", title_en="")
    plain = macros('{{ tr(meeting, "title") }}', "tr")
    lead = macros('{{ tr(meeting, "title", tag="p", css="lead") }}', "tr")
    with translation.override("en"):
        assert plain.render({"meeting": meeting}) == '<span lang="ja">&lt;会合&gt;</span>'
        assert lead.render({"meeting": meeting}) == '<p class="lead" lang="ja">&lt;会合&gt;</p>'
    with translation.override("ja"):
        assert plain.render({"meeting": meeting}) == "&lt;会合&gt;"
        assert lead.render({"meeting": meeting}) == '<p class="lead">&lt;会合&gt;</p>'
    english = Meeting(title_ja="会合", title_en="A <meeting>")
    with translation.override("en"):
        assert plain.render({"meeting": english}) == "A &lt;meeting&gt;"
        assert plain.render({"meeting": Meeting(title_ja="", title_en="")}) == ""


def test_tr_keeps_the_line_breaks_of_a_text_when_asked():
    meeting = Meeting(summary_ja="一行目\n<二行目>", summary_en="")
    template = macros('{{ tr(meeting, "summary", tag="div", css="body-text", breaks=True) }}', "tr")
    with translation.override("en"):
        assert template.render({"meeting": meeting}) == (
            '<div class="body-text" lang="ja">一行目<br>&lt;二行目&gt;</div>'
        )


def test_translated_text_reads_the_language_columns_as_modeltranslation_does():
    meeting = Meeting(title_ja="会合", title_en="", summary_ja="", summary_en="")
    for language in ("ja", "en"):
        with translation.override(language):
            for field in ("title", "summary"):
                assert translated_text(meeting, field, language)[0] == getattr(meeting, field)
    # The language of a fallback, which the page marks; none for a text in the page's language.
    assert translated_text(meeting, "title", "en") == ("会合", "ja")
    assert translated_text(meeting, "summary", "en") == ("", "")
    assert translated_text(meeting, "title", "ja") == ("会合", "")
    with translation.override("en"):
        assert translated_text(meeting, "title") == ("会合", "ja")
    # A field that is not translated is read as it is, never marked.
    assert translated_text(meeting, "forum", "en") == (meeting.forum, "")


def test_ui_strings_are_translated_and_their_values_escaped():
    template = page_template('{{ _("Annex %(number)s", number=number) }}|{{ _("Search") }}')
    with translation.override("ja"):
        assert template.render({"number": "<1>"}) == "附属書&lt;1&gt;|検索"
    with translation.override("en"):
        assert template.render({"number": "<1>"}) == "Annex &lt;1&gt;|Search"
    plural = page_template('{{ ngettext("%(total)s meeting", "%(total)s meetings", total, total=total) }}')
    with translation.override("en"):
        assert plural.render({"total": 1}) == "1 meeting"
        assert plural.render({"total": 3}) == "3 meetings"
    # Every string is a format string, as Jinja's newstyle gettext takes it: a percent sign is written %%.
    assert page_template('{{ _("100%% of %(n)s", n=2) }}').render({}) == "100% of 2"
    # Jinja's own {% trans %} blocks are translated by the same catalogues.
    block = page_template("{% trans %}Search{% endtrans %}|{% trans n=2 %}Page {{ n }}{% endtrans %}")
    with translation.override("ja"):
        assert block.render({}) == "検索|Page 2"


def test_template_functions_write_the_active_language_with_or_without_a_request(rf):
    """The UI strings, separators and translated fields follow the language Django has activated (as
    LocaleMiddleware activates the request's), whether the template has a request or not."""
    template = macros(
        '{{ _("The authentic text of this document is in %(language)s. Each side below says how its text '
        'stands to it.", language=language) }}|{{ _("Search") }}{{ colon() }}{{ tr(meeting, "title") }}'
        "|{% for n in [1, 2] %}{{ list_separator() }}{% endfor %}",
        "tr",
    )
    meeting = Meeting(title_ja="<会合>", title_en="")
    written = {}
    for code in ("ja", "en"):
        with translation.override(code):
            written[code] = template.render({"language": "<x>", "meeting": meeting}, rf.get("/"))
            assert template.render({"language": "<x>", "meeting": meeting}) == written[code]
    assert written["en"].startswith("The authentic text of this document is in &lt;x&gt;.")
    assert written["en"].endswith('|Search: <span lang="ja">&lt;会合&gt;</span>|, , ')
    assert written["ja"].endswith("|検索：&lt;会合&gt;|、、")


def test_the_catalogues_in_use_are_djangos(tmp_path):
    """The pages' strings come from the catalogues Django reads, so they follow its settings."""
    template = page_template('{{ _("Cite this") }}')
    with translation.override("ja"):
        assert template.render({}) == "引用する"
        with override_settings(LOCALE_PATHS=[tmp_path]):
            assert template.render({}) == "Cite this"
        assert template.render({}) == "引用する"


def test_json_ld_escapes_what_could_end_the_script():
    data = {"name": "</script><b>&'", "place": "高崎市"}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data
    rendered = page_template('<script type="application/ld+json">{{ data|script_json }}</script>').render(
        {"data": data}
    )
    assert rendered == f'<script type="application/ld+json">{text}</script>'


def test_a_month_on_an_axis_is_short_in_each_language():
    with translation.override("ja"):
        assert short_month(datetime.date(2023, 4, 1)) == "4月"
    with translation.override("en"):
        assert short_month(datetime.date(2023, 12, 1)) == "Dec"
        assert short_month(datetime.date(2023, 9, 1)) == "Sep"


@pytest.mark.django_db
def test_meeting_dates_and_places_in_a_line_in_each_language():
    """Regression: a Japanese line of dates was separated by an ASCII semicolon; it takes 、 as lists do."""
    # The trade ministers met twice: online in April, then in Sakai, Osaka, in October.
    meeting = Meeting.objects.get(slug="g7-2023-trade-osaka-sakai")
    template = macros(
        "{{ meeting_dates(meeting) }} | {{ meeting_places(meeting) }}",
        "meeting_dates",
        "meeting_places",
        of="meetings/macros.html",
    )
    with translation.override("en"):
        english = template.render({"meeting": meeting})
    with translation.override("ja"):
        japanese = template.render({"meeting": meeting})
    assert english.startswith(
        '<span class="session-date">Tue 4 April 2023 <span class="badge badge--online">online</span></span>; '
        '<span class="session-date">Sat 28 – Sun 29 October 2023</span> | '
    )
    assert english.endswith(" | Sakai, Osaka")
    assert japanese == (
        '<span class="session-date">2023年4月4日（火） <span class="badge badge--online">オンライン</span></span>、'
        '<span class="session-date">2023年10月28日（土）〜29日（日）</span> | 大阪府堺市'
    )


@pytest.mark.django_db
def test_a_place_is_written_as_each_language_writes_it():
    """A prefecture before its city in Japanese, after it in English; a country in brackets in Japanese;
    a city with no name in the page's language marked as Japanese; no city, the region alone."""
    template = macros("{{ place(location) }}", "place", of="meetings/macros.html")
    gunma = Prefecture.objects.get(code="10")
    takasaki = Location(prefecture=gunma, country="JP", city_ja="高崎市", city_en="Takasaki")
    unnamed = Location(prefecture=gunma, country="JP", city_ja="<某市>", city_en="")
    dusseldorf = Location(country="DE", city_ja="デュッセルドルフ", city_en="Düsseldorf")
    written = {}
    for code in ("ja", "en"):
        with translation.override(code):
            written[code] = [
                template.render({"location": location})
                for location in (takasaki, unnamed, dusseldorf, Location(prefecture=gunma, country="JP"))
            ]
    assert written["ja"] == ["群馬県高崎市", "群馬県&lt;某市&gt;", "デュッセルドルフ（ドイツ）", "群馬県"]
    assert written["en"] == [
        "Takasaki, Gunma",
        '<span lang="ja">&lt;某市&gt;</span>, Gunma',
        "Düsseldorf, Germany",
        "Gunma",
    ]


def test_cite_writes_the_citation_and_permanent_link_escaped_in_the_pages_language(rf):
    template = macros(
        '{{ cite(absolute_url("/en/declarations/x/"), anchor, part=part, document=document, label=label) }}',
        "cite",
    )
    context = {"document": "Rock & <Roll>", "label": "1 < 2"}
    with translation.override("en"):
        cited = template.render({**context, "anchor": "theme-1", "part": "Theme “1”"}, rf.get("/"))
        whole = template.render({**context, "anchor": "", "part": ""}, rf.get("/"))
    with translation.override("ja"):
        japanese = template.render({**context, "anchor": "note-2", "part": "注"}, rf.get("/"))

    assert cited == (
        '<details class="cite">\n'
        '  <summary>Cite this<span class="visually-hidden">: 1 &lt; 2</span></summary>\n'
        '  <p class="cite__text">Theme “1”. “Rock &amp; &lt;Roll&gt;”. G7 2023 Archive. '
        '<span class="cite__url">http://testserver/en/declarations/x/#theme-1</span></p>\n'
        '  <p class="cite__link"><a href="http://testserver/en/declarations/x/#theme-1">Permanent link</a>'
        " <code>#theme-1</code></p>\n"
        "</details>\n"
    )
    # A whole record: no part before the title, no fragment after the address.
    assert '<p class="cite__text">“Rock &amp; &lt;Roll&gt;”. G7 2023 Archive.' in whole
    assert 'href="http://testserver/en/declarations/x/">Permanent link</a></p>' in whole
    assert "<code>" not in whole
    assert "#note-2" in japanese and "Cite this" not in japanese and "Permanent link" not in japanese


@pytest.mark.django_db
def test_meeting_card_shows_the_meeting_in_the_pages_language_marking_a_japanese_fallback():
    meeting = Meeting.objects.prefetch_related("sessions", "locations__prefecture").get(
        slug="g7-2023-digital-and-tech-takasaki"
    )
    template = macros("{{ meeting_card(meeting, level=3) }}", "meeting_card", of="meetings/macros.html")
    with translation.override("en"):
        english = template.render({"meeting": meeting})
        meeting.title_en = ""
        fallback = template.render({"meeting": meeting})
    with translation.override("ja"):
        japanese = template.render({"meeting": meeting})

    assert english.startswith('<article class="card meeting-card">\n  <h3 class="card__title"><a href="/en/')
    assert "G7 Digital and Tech Ministers&#39; Meeting in Takasaki, Gunma</a></h3>" in english
    assert '<span class="session-date">Sat 29 – Sun 30 April 2023</span>' in english
    assert "Takasaki, Gunma" in english and "Ministerial meeting" in english
    assert f'<a href="/en/meetings/{meeting.slug}/"><span lang="ja">{meeting.title_ja}</span></a>' in fallback
    assert f'<a href="/ja/meetings/{meeting.slug}/">{meeting.title_ja}</a>' in japanese
    assert "2023年4月29日（土）〜30日（日）" in japanese


def test_a_static_address_follows_the_static_settings():
    template = page_template("{{ static('css/site.css') }}")
    first = template.render({})
    assert first.endswith("css/site.css") and first.startswith("/static/")
    with override_settings(STATIC_URL="/assets/"):
        assert template.render({}) == "/assets/css/site.css"
    assert template.render({}) == first


@pytest.mark.parametrize("page_language", ["ja", "en"])
def test_gettext_in_and_address_in_write_in_the_language_asked_whatever_the_pages(page_language):
    from commitments.models import Rating

    template = page_template(
        '{{ gettext_in("ja", "Commitments in this paragraph") }}|{{ gettext_in("en", "Commitments in this '
        'paragraph") }}|{{ gettext_in("ja", label) }}|{{ gettext_in("en", label) }}|{{ address_in("ja", record) }}'
        '|{{ address_in("en", record) }}|{{ _("Full") }}'
    )
    record = Meeting(slug="a-meeting")
    with translation.override(page_language):
        written = template.render({"label": Rating.FULL.label, "record": record}).split("|")
    assert written == [
        "この段落の約束",
        "Commitments in this paragraph",
        "完全",
        "Full",
        "/ja/meetings/a-meeting/",
        "/en/meetings/a-meeting/",
        # The page's own language is left as it was.
        {"ja": "完全", "en": "Full"}[page_language],
    ]


def test_the_extractor_reads_the_message_of_gettext_in(tmp_path, settings):
    from rendering.catalogues import extract_file

    settings.BASE_DIR = tmp_path
    (tmp_path / "jinja2").mkdir()
    template = tmp_path / "jinja2" / "part.html"
    template.write_text('{{ gettext_in(language, "Commitments in this paragraph") }}', encoding="utf-8")
    assert [message.msgid for message in extract_file(template)] == ["Commitments in this paragraph"]
