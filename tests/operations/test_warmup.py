"""What gunicorn's master builds before it forks the workers (operations.warmup)."""

import gettext

from django.template import engines
from django.urls import clear_url_caches, reverse
from django.utils import translation

from operations import warmup
from publication.filters import JINJA2_FORM_RENDERER


def cached_template_names(engine) -> set[str]:
    (loader,) = engine.engine.template_loaders
    return {template.origin.template_name for template in loader.get_template_cache.values()}


def compiled_page_templates() -> set[str]:
    """The public pages' Jinja2 templates that the environment holds compiled."""
    return {name for _loader, name in engines["jinja2"].env.cache}


def test_warm_up_compiles_every_public_template_and_the_form_widgets():
    engine = engines["django"]
    (loader,) = engine.engine.template_loaders
    loader.reset()
    engines["jinja2"].env.cache.clear()
    assert "base.html" not in compiled_page_templates()

    loaded = warmup.warm_templates()

    compiled = compiled_page_templates()
    for name in (
        "base.html",
        "home.html",
        "meetings/meeting_detail.html",
        "declarations/declaration_detail.html",
        "includes/pagination.html",
        "includes/japan_map.svg",
        "search/search.html",
    ):
        assert name in compiled, name
        assert name in loaded, name
    # The admin's own templates, in Django's engine.
    assert "admin/core/compare.html" in cached_template_names(engine)
    assert "django/forms/widgets/input.html" in loaded
    assert "django/forms/widgets/select.html" in loaded


def test_warm_up_compiles_the_widgets_of_the_public_filter_forms():
    """They are drawn by a Jinja2 renderer of their own (publication.filters.PageForm), whose environment
    is not the pages'."""
    environment = JINJA2_FORM_RENDERER.engine.env
    environment.cache.clear()

    warmup.warm_templates()

    compiled = {name for _loader, name in environment.cache}
    assert {"django/forms/widgets/select.html", "django/forms/widgets/input.html"} <= compiled


def test_warm_up_reads_each_languages_catalogues_so_that_no_request_does(settings, monkeypatch):
    # A change of LOCALE_PATHS makes Django forget the catalogues it has read (the setting_changed signal).
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
    read = []
    real = gettext.translation

    def reading(*args, **kwargs):
        read.append(kwargs.get("languages"))
        return real(*args, **kwargs)

    monkeypatch.setattr(gettext, "translation", reading)

    warmup.warm_languages()

    assert ["ja"] in read and ["en"] in read
    read.clear()
    for code in ("ja", "en"):
        with translation.override(code):
            translation.gettext("Meetings")
    assert read == []


def test_warm_up_indexes_the_addresses_in_each_language(monkeypatch):
    clear_url_caches()
    reversed_in = []

    def recording(name):
        address = reverse(name)
        reversed_in.append((translation.get_language(), address))
        return address

    monkeypatch.setattr(warmup, "reverse", recording)

    warmup.warm_languages()

    # Each language's address is its own, so the resolver has indexed the patterns for each.
    assert reversed_in == [("ja", "/ja/"), ("en", "/en/")]
