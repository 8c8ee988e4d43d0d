"""rendering.markup writes what django.utils.html writes, character for character."""

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from rendering import markup

VALUES = [
    "plain",
    "a \"quoted\" <b>bold</b> & 'single'",
    mark_safe("<i>already safe</i>"),
    gettext_lazy("Meetings"),
    mark_safe(gettext_lazy("Meetings")),
    2023,
    12.5,
    None,
    "",
    "群馬県高崎市 & <G7>",
]


@pytest.mark.parametrize("value", VALUES)
def test_escaped_is_conditional_escape(value):
    with override("ja"):
        ours, djangos = markup.escaped(value), django_html.conditional_escape(value)

    assert ours == djangos
    assert isinstance(ours, SafeString)


def test_format_html_is_djangos():
    with override("en"):
        for value in VALUES:
            assert markup.format_html("<p>{}</p>{x}", value, x=value) == django_html.format_html(
                "<p>{}</p>{x}", value, x=value
            )
    assert isinstance(markup.format_html("{}", "<"), SafeString)
