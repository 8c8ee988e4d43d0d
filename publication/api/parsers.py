"""Request bodies: JSON only, and never a NUL character.

Kept apart from the views: DRF imports its parser classes while it defines APIView.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def contains_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(contains_nul(key) or contains_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(contains_nul(value) for value in data)
    return False


class JSONWithoutNulParser(JSONParser):
    """JSON bodies whose text holds no NUL character: PostgreSQL cannot store one, so it is a 400 here."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError(_("Text may not contain NUL characters."))
        return data
