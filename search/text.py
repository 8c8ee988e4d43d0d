"""Text handling shared by the index and the queries: normalisation, tokens, highlighting.

Japanese is written without spaces, and neither PostgreSQL's full-text search nor SQLite's trigram
tokenizer finds two-character words in it. So a run of Japanese (kanji, kana) is indexed as its
overlapping character bigrams plus its single characters, and everything else is split into words.
The same functions normalise what is indexed and what is searched, so both sides always agree.
"""

import functools
import html
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

# Longest token stored; longer words are cut, consistently on both sides.
MAX_TOKEN_LENGTH = 48

# Only words at least this long also match longer words that start with them ("hiro" → "hiroshima"):
# a one- or two-letter prefix ("ai") would match far too many unrelated words ("aid", "aim").
MIN_PREFIX_LENGTH = 3

_CJK_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3005, 0x3007),  # 々 〆 〇
    (0x303B, 0x303C),  # 〻 〼
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FA),  # Katakana, without the middle dot ・ (a separator)
    (0x30FC, 0x30FF),  # ー and the katakana iteration marks
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)

_CONTROL_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = re.compile(r"\s+")


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


_CJK_CLASS = "".join(f"{chr(low)}-{chr(high)}" for low, high in _CJK_RANGES)
# A run of CJK characters (group 1), or a word: letters and digits that are not CJK. `[^\W_]` is what
# str.isalnum() accepts.
_RUNS = re.compile(f"([{_CJK_CLASS}]+)|(?:(?![{_CJK_CLASS}])[^\\W_])+")


def normalize(text: str) -> str:
    """NFKC with case folding: ＡＩ, AI and ai are one word; ｶﾞ and ガ one character."""
    if text.isascii():
        # NFKC leaves ASCII as it is, and casefold() of ASCII is lower().
        return text.lower()
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


@functools.lru_cache(maxsize=8192)
def _normalize_char(char: str) -> str:
    return normalize(char)


def strip_controls(text: str) -> str:
    """Drop NUL and other control or format characters; tabs and newlines become spaces."""
    return "".join(
        " " if char in "\t\n\r" else char
        for char in text
        if char in "\t\n\r" or unicodedata.category(char) not in _CONTROL_CATEGORIES
    )


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Run:
    """A stretch of normalised text of one kind: a word, or a run of Japanese characters."""

    text: str
    start: int
    cjk: bool


def runs(normalized: str) -> list[Run]:
    """Split normalised text into words and CJK runs, with their offsets; the rest separates them."""
    return [Run(match[0], match.start(), match[1] is not None) for match in _RUNS.finditer(normalized)]


def bigrams(run: str) -> list[str]:
    return [run[index : index + 2] for index in range(len(run) - 1)]


def index_tokens(text: str) -> dict[str, int]:
    """The tokens of a text with how often each occurs: words, and CJK bigrams and single characters."""
    pieces: list[str] = []
    for match in _RUNS.finditer(normalize(text)):
        run = match[0]
        if match[1] is None:
            pieces.append(run[:MAX_TOKEN_LENGTH])
        else:
            pieces.extend(map(operator.add, run, run[1:]))
            pieces.extend(run)
    return Counter(pieces)


@dataclass(frozen=True)
class Unit:
    """One thing the searcher asked for: a word, or a run of Japanese characters.

    `terms` are the index tokens that must be looked up to find it: the word itself, the bigrams of
    a run, or a single character when the run is one character long.
    """

    text: str
    cjk: bool
    terms: tuple[str, ...]
    prefix: bool = False

    @property
    def weight(self) -> int:
        """A longer Japanese run counts for more, as it has more bigrams to match."""
        return len(self.terms) if self.cjk else 1


@dataclass
class ParsedQuery:
    text: str
    normalized: str
    units: list[Unit] = field(default_factory=list)

    @property
    def exact_terms(self) -> set[str]:
        return {term for unit in self.units for term in unit.terms}

    @property
    def prefixes(self) -> set[str]:
        return {unit.text for unit in self.units if unit.prefix}


def parse_query(text: str) -> ParsedQuery:
    normalized = collapse_spaces(normalize(text))
    units: dict[str, Unit] = {}
    for run in runs(normalized):
        if run.cjk:
            terms = tuple(dict.fromkeys(bigrams(run.text))) if len(run.text) > 1 else (run.text,)
            units.setdefault(run.text, Unit(run.text, True, terms))
        else:
            word = run.text[:MAX_TOKEN_LENGTH]
            units.setdefault(word, Unit(word, False, (word,), prefix=len(word) >= MIN_PREFIX_LENGTH))
    return ParsedQuery(text=text, normalized=normalized, units=list(units.values()))


def prefix_upper_bound(prefix: str) -> str:
    """The least string above every string that starts with `prefix`, for an indexed range lookup."""
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        # Surrogates cannot be encoded for the database; the next character after them will do.
        following = 0xE000
    return prefix[:-1] + chr(following)


# Characters that normalisation may join to the one before: combining marks, the half-width voiced
# marks (ｶﾞ → ガ), and the Hangul jamo that compose into syllables.
_JOINING = re.compile(
    "["
    + "".join(re.escape(chr(code)) for code in range(0x20000) if unicodedata.combining(chr(code)))
    + "\u1160-\u11ff\uff9e\uff9f]"
)


def _normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise `text` piece by piece, remembering for each output character where it came from.

    A base character is normalised together with the combining marks that follow it, so that
    decomposed accents and half-width voiced marks (ｶﾞ) come out as they do from `normalize`.
    Most text maps one character to one (Japanese as typed, English in any case): with nothing that
    could join and no length change, the offsets are the positions themselves.
    """
    if text.isascii():
        return text.lower(), list(range(len(text) + 1))
    normalized = normalize(text)
    if len(normalized) == len(text) and not _JOINING.search(text):
        return normalized, list(range(len(text) + 1))
    return _normalized_by_piece(text)


def _normalized_by_piece(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offsets: list[int] = []
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and (unicodedata.combining(text[end]) or text[end] in "\uff9e\uff9f"):
            end += 1
        piece = _normalize_char(text[index]) if end == index + 1 else normalize(text[index:end])
        out.append(piece)
        offsets.extend([index] * len(piece))
        index = end
    offsets.append(len(text))
    return "".join(out), offsets


def match_spans(normalized: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Where the query's words and Japanese runs occur in a normalised text, merged and in order."""
    spans: list[tuple[int, int]] = []
    words = []
    for unit in query.units:
        if unit.cjk:
            needles = [unit.text] if unit.text in normalized else list(unit.terms)
            for needle in needles:
                start = normalized.find(needle)
                while start != -1:
                    spans.append((start, start + len(needle)))
                    start = normalized.find(needle, start + 1)
        else:
            words.append(unit)
    if words:
        # The text's words, as runs() finds them, without making a Run of each.
        for match in _RUNS.finditer(normalized):
            if match[1] is not None:
                continue
            word, start = match[0], match.start()
            if any(word == unit.text or (unit.prefix and word.startswith(unit.text)) for unit in words):
                spans.append((start, start + len(word)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: ParsedQuery, *, width: int | None = None) -> tuple[SafeString, bool]:
    """Escape `text` and wrap each match of the query in <mark>.

    With `width`, only about that many characters around the first match are kept, with an ellipsis
    where text was cut. Returns the HTML and whether anything matched.
    """
    normalized, offsets = _normalized_with_offsets(text)
    spans = [(offsets[start], offsets[end]) for start, end in match_spans(normalized, query)]
    begin, finish = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0][0] if spans else 0
        begin = max(0, min(first - width // 3, len(text) - width))
        finish = min(len(text), begin + width)
    parts: list[str] = ["…" if begin > 0 else ""]
    position = begin
    for start, end in spans:
        if end <= begin or start >= finish:
            continue
        start, end = max(start, begin), min(end, finish)
        # html.escape, as django.utils.html.escape does, without its check for lazy texts on each piece.
        parts.append(html.escape(text[position:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    parts.append(html.escape(text[position:finish]))
    if finish < len(text):
        parts.append("…")
    return mark_safe("".join(parts)), bool(spans)
