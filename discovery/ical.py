"""A small iCalendar (RFC 5545) writer: content lines, TEXT escaping and folding.

The calendar holds all-day events only, so it needs none of the time-zone machinery a general
library brings; what it needs is exact escaping and folding, which this module does and its tests pin.
"""

import datetime

CRLF = "\r\n"
# RFC 5545 3.1: content lines SHOULD NOT be longer than 75 octets, excluding the line break.
MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    # Other control characters are not allowed in a content line (RFC 5545 3.1).
    return "".join(char for char in value if char == "\t" or (ord(char) >= 0x20 and ord(char) != 0x7F))


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets of UTF-8, never inside a character.

    Each continuation line starts with one space, which counts towards its 75 octets.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [" "], 1, MAX_LINE_OCTETS
        current.append(char)
        size += width
    pieces.append("".join(current))
    return CRLF.join(pieces)


def format_date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def format_utc(value: datetime.datetime) -> str:
    """A date-time in UTC form (RFC 5545 3.3.5, form #2), as DTSTAMP requires."""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


class Calendar:
    """Collects content lines and renders them folded, with CRLF line endings."""

    def __init__(self):
        self.lines: list[str] = []

    def begin(self, component: str) -> None:
        self.lines.append(f"BEGIN:{component}")

    def end(self, component: str) -> None:
        self.lines.append(f"END:{component}")

    def raw(self, name: str, value: str) -> None:
        """A property whose value is already in its iCalendar form (a date, a URI, a code)."""
        self.lines.append(f"{name}:{value}")

    def text(self, name: str, value: str) -> None:
        self.lines.append(f"{name}:{escape_text(value)}")

    def render(self) -> str:
        return "".join(fold(line) + CRLF for line in self.lines)
