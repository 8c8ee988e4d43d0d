"""Request bodies: JSON only, nested no deeper than a record is, and never a NUL character.

Kept apart from the views: DRF imports its parser classes while it defines APIView.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Arrays and objects within each other: a record's body nests three deep ({"title": {"ja": …}}, a list of
# {"declaration": …, "number": …}); anything deeper is no record, and far deeper exhausts Python's stack.
MAX_DEPTH = 20


def check_body(data) -> None:
    """Walks the parsed body without recursion: a ParseError if it nests deeper than MAX_DEPTH or any text,
    key or value, holds a NUL character (which PostgreSQL cannot store)."""
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError(_("Text may not contain NUL characters."))
            continue
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise ParseError(_("The JSON body is nested too deeply."))
            if isinstance(value, dict):
                pending.extend((key, depth) for key in value)
                value = value.values()
            pending.extend((item, depth + 1) for item in value)


class JSONWithoutNulParser(JSONParser):
    """JSON bodies nested no deeper than MAX_DEPTH whose text holds no NUL character; either is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # Python's decoder recurses once an array or object: thousands of brackets exhaust the stack.
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        check_body(data)
        return data
