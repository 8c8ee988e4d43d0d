"""rendering.addresses.reverse gives what django.urls.reverse gives, for every route the archive links to, and
rendering.addresses.absolute what request.build_absolute_uri gives."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, set_script_prefix
from django.urls import reverse as django_reverse
from django.utils import translation

from rendering.addresses import _address, absolute, request_routing, reverse

ROUTES = [
    ("meetings:detail", {"slug": "g7-2023-digital-and-tech-takasaki"}),
    ("meetings:list", {}),
    ("declarations:detail", {"slug": "g7-2023-hiroshima-leaders-communique"}),
    ("declarations:annex", {"slug": "g7-2023-digital-and-tech-ministerial-declaration", "number": 3}),
    ("api:meeting-detail", {"slug": "a-1"}),
    ("api:declaration-detail", {"slug": "x"}),
    ("api:theme-detail", {"slug": "some-document", "number": 12}),
    ("api:communique-item-detail", {"slug": "some-document", "number": "7"}),
]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(("name", "kwargs"), ROUTES)
def test_the_same_address_as_django(name, kwargs, language):
    with translation.override(language):
        assert reverse(name, kwargs=kwargs) == django_reverse(name, kwargs=kwargs)
        # Asked again, from what was kept.
        assert reverse(name, kwargs=kwargs) == django_reverse(name, kwargs=kwargs)


def test_values_the_short_cut_does_not_take_go_to_django():
    with translation.override("en"):
        # Not a plain slug: Django quotes it, or refuses it, as before.
        assert reverse("api:meeting-detail", kwargs={"slug": "Ä b"}) == django_reverse(
            "api:meeting-detail", kwargs={"slug": "Ä b"}
        )
        assert reverse("api:meeting-detail", kwargs={"slug": "90210090210"}) == (
            "/api/v1/meetings/90210090210/"
        )
        with pytest.raises(NoReverseMatch):
            reverse("declarations:annex", kwargs={"slug": "a-document", "number": "one"})
        with pytest.raises(NoReverseMatch):
            reverse("meetings:detail", kwargs={"slug": "a", "number": 1})


def test_an_address_kept_is_kept_for_its_language_and_script_prefix_only():
    kwargs = {"slug": "g7-2023-digital-and-tech-takasaki"}
    with translation.override("ja"):
        japanese = reverse("meetings:detail", kwargs=kwargs)
    with translation.override("en"):
        assert reverse("meetings:detail", kwargs=kwargs) == "/en/meetings/g7-2023-digital-and-tech-takasaki/"
        set_script_prefix("/archive/")
        try:
            assert reverse("meetings:detail", kwargs=kwargs) == django_reverse(
                "meetings:detail", kwargs=kwargs
            )
            assert reverse("meetings:detail", kwargs=kwargs).startswith("/archive/en/")
        finally:
            set_script_prefix("/")
    assert japanese == "/ja/meetings/g7-2023-digital-and-tech-takasaki/"


def test_addresses_kept_are_forgotten_when_the_languages_change():
    with translation.override("en"):
        reverse("meetings:list")
        assert _address.cache_info().currsize > 0
        with override_settings(LANGUAGES=[("ja", "日本語"), ("en", "English")]):
            assert _address.cache_info().currsize == 0
            assert reverse("meetings:list") == django_reverse("meetings:list")


def test_a_value_that_cannot_be_a_key_is_reversed_all_the_same():
    class Slug(str):
        __hash__ = None

    with translation.override("en"):
        assert reverse("meetings:detail", kwargs={"slug": Slug("a-b")}) == "/en/meetings/a-b/"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ja/",
        "/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/#theme-1",
        "/api/v1/declarations/a-document/themes/12/",
        # Not plain: Django's own way, as before.
        "/ja/search/?q=宣言",
        "/en/a b/",
        "/en/./x/",
        "//evil.example/x/",
        "relative/",
    ],
)
@pytest.mark.parametrize("secure", [False, True])
def test_absolute_gives_what_django_gives(rf, path, secure):
    request = rf.get("/ja/", secure=secure, HTTP_HOST="localhost:8443")
    assert absolute(request, path) == request.build_absolute_uri(path)
    # Asked again, from the origin kept on the request.
    assert absolute(request, path) == request.build_absolute_uri(path)


@pytest.mark.django_db
def test_a_request_makes_its_addresses_under_its_own_script_prefix_and_leaves_none_behind(client):
    """AddressesMiddleware keeps the request's script prefix for its view, templates and records; the
    next request, and code outside any request, read their own. (A WSGI server sets the prefix from
    SCRIPT_NAME for each request, as set_script_prefix does here; Django's test client does not.)"""
    set_script_prefix("/archive/")
    try:
        page = client.get("/en/meetings/", SCRIPT_NAME="/archive")
        record = client.get("/api/v1/meetings/g7-2023-digital-and-tech-takasaki/", SCRIPT_NAME="/archive")
    finally:
        set_script_prefix("/")
    assert page.status_code == 200
    assert 'href="/archive/en/meetings/g7-2023-digital-and-tech-takasaki/"' in page.text
    assert record.json()["api_url"] == (
        "http://testserver/archive/api/v1/meetings/g7-2023-digital-and-tech-takasaki/"
    )
    assert request_routing.get() is None
    page = client.get("/en/meetings/")
    assert 'href="/en/meetings/g7-2023-digital-and-tech-takasaki/"' in page.text
    assert "/archive/en/" not in page.text
    assert request_routing.get() is None
    with translation.override("en"):
        assert reverse("meetings:list") == "/en/meetings/"


@pytest.mark.django_db
def test_a_request_reads_its_script_prefix_once_for_all_its_addresses(client, monkeypatch):
    from rendering import addresses

    reads = []
    read = addresses.get_script_prefix
    monkeypatch.setattr(addresses, "get_script_prefix", lambda: reads.append(1) or read())
    page = client.get("/en/meetings/")
    assert page.status_code == 200
    assert page.text.count('href="/en/meetings/') >= 10
    assert len(reads) == 1
