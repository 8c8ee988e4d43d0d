"""The helpers the Jinja environment gives templates (rendering/jinja.py)."""

import datetime
import re
from html.parser import HTMLParser

import pytest

from rendering.jinja import localtime_iso

# HTML's global date and time string: a fraction of a second has one to three digits, if any.
HTML_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?([+-]\d{2}:\d{2}|Z)")


def test_a_moment_is_written_in_the_sites_time_zone_as_html_dates_it():
    moment = datetime.datetime(2023, 4, 30, 3, 4, 5, 980766, tzinfo=datetime.UTC)
    written = localtime_iso(moment)
    assert written == "2023-04-30T12:04:05+09:00"
    assert HTML_DATETIME.fullmatch(written)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


class UnmarkedJapanese(HTMLParser):
    """The texts in Japanese script in a page's body that no element marks as Japanese (lang="ja")."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, inside body)
        self.found: list[str] = []
        self.feed(html)

    def lang(self) -> str | None:
        return next((lang for _tag, lang, _body in reversed(self.stack) if lang is not None), None)

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            inside = tag == "body" or bool(self.stack and self.stack[-1][2])
            self.stack.append((tag, dict(attrs).get("lang"), inside and tag not in ("script", "style")))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack and self.stack[-1][2] and JAPANESE_SCRIPT.search(data) and self.lang() != "ja":
            self.found.append(data.strip())


ENGLISH_PAGES = [
    "/en/",
    "/en/meetings/",
    "/en/meetings/g7-2023-digital-and-tech-takasaki/",
    "/en/declarations/",
    "/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/",
    "/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/1/",
    "/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/bilingual/",
    "/en/search/?q=digital",
    "/en/data/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_japanese_words_on_an_english_page_are_marked_japanese(client, path):
    """WCAG's language of parts: the source's title, a term, an example, a record's Japanese standing in
    for its English, each in an element with lang="ja", so that a screen reader reads it as Japanese."""
    response = client.get(path)
    assert response.status_code == 200
    assert UnmarkedJapanese(response.content.decode()).found == []
