"""What each process would otherwise build on its first requests, built once before gunicorn forks.

gunicorn imports the application in its master and forks every worker from it (`preload_app`), so what the
master holds, each worker starts with. Django builds some things only when a request first needs them:
each template is read and compiled, each language's message catalogues are read and merged, the URL
patterns are indexed for each language, the formats looked up. A fresh worker did all of that on its
first requests, and a worker is replaced every `max_requests`. `warm_up()` does it in the master instead,
so that no visitor waits for it and the workers share the memory it takes: with the digest of the release
that the record cache's keys carry (operations/records.py). It reads files only: no database, no cache.
"""

import sysconfig
from pathlib import Path

import django.forms
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import reverse
from django.utils import formats, translation

from operations import records
from publication.filters import JINJA2_FORM_RENDERER

TEMPLATE_SUFFIXES = {".html", ".svg", ".txt", ".xml"}


def template_names(directory: Path) -> list[str]:
    """Every template under `directory`, named as `get_template()` is asked for it."""
    return sorted(
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )


def project_template_dirs(engine) -> list[Path]:
    """The engine's template directories that are the project's (its DIRS and its own apps'), not those
    of installed packages, whose templates the public pages mostly never use."""
    packages = Path(sysconfig.get_paths()["purelib"])
    return [
        Path(directory)
        for directory in engine.template_dirs
        if Path(directory).is_relative_to(settings.BASE_DIR) and not Path(directory).is_relative_to(packages)
    ]


def warm_templates() -> list[str]:
    """Compile the project's templates and the form widgets' into the cached loaders; the names loaded."""
    loaded = []
    for engine in engines.all():
        for directory in project_template_dirs(engine):
            for name in template_names(directory):
                engine.get_template(name)
                loaded.append(name)
    # Each form renderer has an engine of its own for the widgets: the default one (Django's templates) for
    # the admin's forms, the Jinja2 one for the public filter forms (publication.filters.PageForm).
    forms_directory = Path(django.forms.__file__).parent
    for renderer, folder in ((get_default_renderer(), "templates"), (JINJA2_FORM_RENDERER, "jinja2")):
        for name in template_names(forms_directory / folder):
            if name.startswith("django/forms/"):
                renderer.get_template(name)
                loaded.append(name)
    return loaded


def warm_languages() -> None:
    """Read each language's catalogues, index the URL patterns for it (the first reverse() does), and
    look up its formats."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext(code)  # any message: the first loads the catalogues
            reverse("home")
            formats.get_format("DATE_FORMAT")


def warm_backends() -> list:
    """The database and cache backends and the templates' context processors, imported and made. None
    connects: a database connection, and a cache's, open when first used."""
    made = [connections[alias] for alias in connections]
    made += [caches[alias] for alias in caches]
    # Django's engine keeps them on its inner engine, the Jinja2 backend on itself.
    made += [getattr(engine, "engine", engine).template_context_processors for engine in engines.all()]
    return made


def warm_up() -> None:
    warm_backends()
    warm_templates()
    warm_languages()
    # The digest of this release's code and templates that the record cache's keys carry.
    records.release()
