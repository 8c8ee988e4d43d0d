"""The UI message catalogues, extracted and compiled in pure Python with Babel.

GNU gettext (xgettext, msgfmt) is not on a fresh machine, so `make messages` and `make compilemessages`
use these functions instead of Django's makemessages/compilemessages. The public pages' Jinja2 templates
(jinja2/) are read by Jinja2's own Babel extractor, with the i18n extension that renders them; the
admin's Django templates are turned into Python by Django's `templatize` (what makemessages feeds to
xgettext), so {% translate %} and {% blocktranslate %} are read exactly as Django reads them.
"""

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.utils.translation.template import templatize
from jinja2.ext import babel_extract

# The project's own code; tests and migrations hold no UI strings.
SOURCE_DIRS = (
    "publication",
    "operations",
    "rendering",
    "home",
    "meetings",
    "declarations",
    "commitments",
    "search",
    "discovery",
    "g7site",
    "templates",
    "jinja2",
)
JINJA_DIR = "jinja2"
SKIPPED_PARTS = {"migrations", "__pycache__", "management"}
SOURCE_SUFFIXES = {".py", ".html", ".svg", ".txt", ".xml"}

KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    # rendering.templating.gettext_in(language, message): the message is its second argument.
    "gettext_in": None,
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

PROJECT = "g7site"
HEADER_COMMENT = (
    "# g7site UI messages ({language}). Add new strings with `make messages`; translate the empty msgstr;\n"
    "# `make compilemessages` (run by `make run` and `make test`) builds the .mo files, which are not committed."
)


@dataclass(frozen=True)
class Message:
    msgid: str | tuple[str, str]
    context: str | None
    location: tuple[str, int]


def base_dir() -> Path:
    return Path(settings.BASE_DIR)


def source_files() -> list[Path]:
    root = base_dir()
    files = []
    for name in SOURCE_DIRS:
        directory = root / name
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and not SKIPPED_PARTS & set(path.parts):
                files.append(path)
    return files


def extract_file(path: Path) -> list[Message]:
    relative_path = path.relative_to(base_dir())
    text = path.read_text(encoding="utf-8")
    options = {"encoding": "utf-8"}
    if relative_path.parts[0] == JINJA_DIR:
        extractor = babel_extract
        # Newstyle, as rendering.jinja installs gettext: a {% trans %} block's message is then the one the
        # template looks up (a percent sign kept as %%).
        options["newstyle_gettext"] = "true"
    else:
        extractor = extract_python
        if path.suffix != ".py":
            text = templatize(text, origin=str(path))
    relative = str(relative_path)
    messages = []
    for lineno, funcname, msgid, _comments in extractor(
        io.BytesIO(text.encode("utf-8")), KEYWORDS, [], options
    ):
        context = None
        if isinstance(msgid, tuple):
            parts = list(msgid)
            if funcname.startswith(("pgettext", "npgettext")):
                context = parts.pop(0)
            # Babel gives None for the non-string arguments (ngettext's count).
            parts = [part for part in parts if part is not None]
            if not parts:  # a call with no literal text, such as gettext(message)
                continue
            msgid = tuple(parts[:2]) if funcname.startswith(("ngettext", "npgettext")) else parts[0]
        if not msgid or (isinstance(msgid, tuple) and len(msgid) != 2):
            continue
        messages.append(Message(msgid=msgid, context=context, location=(relative, lineno)))
    return messages


def extract_messages() -> list[Message]:
    """Every translatable string in the project's Python code and templates."""
    return [message for path in source_files() for message in extract_file(path)]


def catalogue_path(language: str, suffix: str = "po") -> Path:
    return base_dir() / "locale" / language / "LC_MESSAGES" / f"django.{suffix}"


def read_catalogue(language: str) -> Catalog:
    path = catalogue_path(language)
    if not path.exists():
        return Catalog(locale=language, project=PROJECT)
    with path.open("rb") as stream:
        return read_po(stream, locale=language)


def update_catalogues(languages: list[str]) -> dict[str, int]:
    """Add new strings to each language's .po and drop the ones no longer used; keep every translation."""
    template = Catalog(project=PROJECT)
    for message in extract_messages():
        template.add(message.msgid, locations=[message.location], context=message.context)
    added = {}
    for language in languages:
        catalogue = read_catalogue(language)
        known = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalogue if m.id}
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        catalogue.fuzzy = False
        catalogue.header_comment = HEADER_COMMENT.format(language=language)
        added[language] = sum(
            1
            for m in catalogue
            if m.id and (m.id if isinstance(m.id, str) else m.id[0], m.context) not in known
        )
        path = catalogue_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:
            write_po(stream, catalogue, width=0, sort_output=False, include_lineno=False)
    return added


def compile_catalogues() -> list[Path]:
    """Compile every locale/<language>/LC_MESSAGES/django.po into the .mo that Django reads.

    Each .mo is written beside its place and then renamed into it, so that a process reading the catalogue
    meanwhile (a server, or another run of the tests) reads the old file or the new one, never half of one.
    """
    compiled = []
    for po_path in sorted((base_dir() / "locale").glob("*/LC_MESSAGES/django.po")):
        with po_path.open("rb") as stream:
            catalogue = read_po(stream)
        mo_path = po_path.with_suffix(".mo")
        with tempfile.NamedTemporaryFile(dir=mo_path.parent, prefix=".django.", delete=False) as stream:
            write_mo(stream, catalogue, use_fuzzy=False)
        # Readable by every user, as a file written with open() would be (a temporary file is the owner's).
        os.chmod(stream.name, 0o644)
        os.replace(stream.name, mo_path)
        compiled.append(mo_path)
    return compiled
