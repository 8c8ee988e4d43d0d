"""The message catalogues: every UI string of the public site has its Japanese, and Babel compiles them."""

import os

import pytest
from babel.messages.mofile import read_mo
from django.core.management import call_command

from rendering.catalogues import catalogue_path, extract_messages, read_catalogue

# What the public site shows: its templates and the Python that puts text on its pages. The admin's and the
# API's strings are in the same catalogue; every one of them has its Japanese too (the test after these).
PUBLIC_SOURCES = (
    "templates/",
    "jinja2/",
    "home/",
    "rendering/",
    "publication/filters.py",
    "meetings/models.py",
    "meetings/filters.py",
    "meetings/views.py",
    "declarations/models.py",
    "declarations/filters.py",
    "declarations/views.py",
    "search/views.py",
    "search/models.py",
)


def public_messages():
    return [
        message
        for message in extract_messages()
        if message.location[0].startswith(PUBLIC_SOURCES)
        and not message.location[0].startswith("templates/admin/")
    ]


def test_the_extractor_reads_templates_and_python():
    found = {(message.msgid, message.location[0]) for message in public_messages()}
    assert ("Skip to main content", "jinja2/base.html") in found
    assert (("%(total)s meeting", "%(total)s meetings"), "jinja2/meetings/meeting_list_body.html") in found
    assert ("Keywords", "publication/filters.py") in found
    # The map's texts are in an .svg template.
    assert (
        "Map of Japan with the places of the meetings",
        "jinja2/includes/japan_map.svg",
    ) in found


def untranslated(messages) -> list:
    """The messages whose Japanese is missing or only a fuzzy guess."""
    catalogue = read_catalogue("ja")
    missing = []
    for message in messages:
        key = message.msgid[0] if isinstance(message.msgid, tuple) else message.msgid
        entry = catalogue.get(key, context=message.context)
        string = entry.string if entry else ""
        if not (string[0] if isinstance(string, tuple) else string) or (entry and entry.fuzzy):
            missing.append((key, message.location))
    return missing


def test_every_public_ui_string_has_a_japanese_translation():
    missing = untranslated(public_messages())
    assert not missing, missing


def test_every_ui_string_of_the_admin_and_the_api_has_a_japanese_translation():
    missing = untranslated(extract_messages())
    assert not missing, missing


def is_japanese(char: str) -> bool:
    """Kana, kanji, or Japanese punctuation and full-width forms (a list separator 、 is all Japanese)."""
    return "\u3000" <= char <= "\u30ff" or "\u4e00" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def test_japanese_translations_are_japanese():
    """A translation left in English would pass the check above; every public one must hold kana or kanji
    (or be a code or symbol that reads the same in both)."""
    catalogue = read_catalogue("ja")
    keys = {
        (message.msgid[0] if isinstance(message.msgid, tuple) else message.msgid, message.context)
        for message in extract_messages()
    }
    english = []
    for key, context in keys:
        string = catalogue.get(key, context=context).string
        string = string[0] if isinstance(string, tuple) else string
        if not any(is_japanese(char) for char in string):
            english.append((key, string))
    assert not english, english


def test_compilemessages_py_builds_a_mo_for_each_language(tmp_path):
    call_command("compilemessages_py", verbosity=0)
    for language in ("ja", "en"):
        path = catalogue_path(language, "mo")
        assert path.exists()
    with catalogue_path("ja", "mo").open("rb") as stream:
        compiled = read_mo(stream)
    assert compiled["Skip to main content"].string == "本文へ移動"


def test_a_catalogue_being_compiled_is_never_read_half_written():
    """A new .mo takes the old one's place whole (a rename): a reader that opened the old one (a server, or
    a second run of the tests while `make` compiles again) reads it to the end, and nothing is left beside
    it."""
    path = catalogue_path("ja", "mo")
    call_command("compilemessages_py", verbosity=0)
    before = path.read_bytes()
    with path.open("rb") as reader:
        call_command("compilemessages_py", verbosity=0)
        assert reader.read() == before
        assert os.fstat(reader.fileno()).st_ino != path.stat().st_ino
    assert path.read_bytes() == before
    assert path.stat().st_mode & 0o777 == 0o644
    assert sorted(item.name for item in path.parent.iterdir() if item.name.startswith(".")) == []


@pytest.mark.django_db
def test_the_compiled_catalogue_is_what_pages_use(client):
    assert "本文へ移動" in client.get("/ja/").content.decode()
    assert "Skip to main content" in client.get("/en/").content.decode()
