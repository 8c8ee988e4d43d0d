"""core.addresses.reverse gives what django.urls.reverse gives, for every route the archive links to, and
core.addresses.absolute what request.build_absolute_uri gives."""

import pytest
from django.urls import NoReverseMatch
from django.urls import reverse as django_reverse
from django.utils import translation

from core.addresses import absolute, reverse

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
