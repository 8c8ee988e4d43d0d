"""Text handling shared by the index and the queries: normalisation, tokens, phrases, snippets.

Japanese is written without spaces, and neither PostgreSQL's full-text search nor SQLite's trigram
tokenizer finds two-character words in it. So a run of Japanese (kanji, kana) is indexed as its
overlapping character bigrams plus its single characters, and everything else is split into words.
The same functions normalise what is indexed and what is searched, so both sides always agree: width,
case and the accents of Latin letters fold away (ＡＩ is ai, ｶﾞ is ガ, Düsseldorf is dusseldorf).

A query asks for all of its words and Japanese runs; a Japanese run must occur as written, and words in
double quotes must stand side by side, in that order ("digital trade").
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
# The same, without saying which is which.
_WORDS = re.compile(f"[{_CJK_CLASS}]+|(?:(?![{_CJK_CLASS}])[^\\W_])+")


# The marks that fold away: the generic combining diacritics into which the accented letters of Latin,
# Greek and Cyrillic decompose (ü is u and a diaeresis). The kana voiced marks are combining marks too,
# but カ and ガ are different letters, and the marks of other scripts (a virama) are part of the spelling.
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalize(text: str) -> str:
    """NFKC with case folding, without accents: ＡＩ, AI and ai are one word, ｶﾞ and ガ one character, and
    Düsseldorf, DÜSSELDORF and Dusseldorf one word."""
    if text.isascii():
        # NFKC leaves ASCII as it is, and casefold() of ASCII is lower().
        return text.lower()
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    decomposed = unicodedata.normalize("NFD", folded)
    if _DIACRITICS.search(decomposed) is None:
        return folded
    return unicodedata.normalize("NFC", _DIACRITICS.sub("", decomposed))


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


def index_tokens(text: str, *, normalized: bool = False) -> dict[str, int]:
    """The tokens of a text (or of a text `normalized` already) with how often each occurs: words, and CJK
    bigrams and single characters."""
    pieces: list[str] = []
    for match in _RUNS.finditer(text if normalized else normalize(text)):
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
    a run, or a single character when the run is one character long. A word of MIN_PREFIX_LENGTH or
    more that was not quoted also matches the longer words it starts (`prefix`).
    """

    text: str
    cjk: bool
    terms: tuple[str, ...]
    prefix: bool = False

    @property
    def weight(self) -> int:
        """A longer Japanese run counts for more, as it has more bigrams to match."""
        return len(self.terms) if self.cjk else 1


@dataclass(frozen=True)
class Phrase:
    """Words and Japanese runs that must stand side by side, in this order."""

    units: tuple[Unit, ...]

    @property
    def pattern(self) -> str:
        """What the `searchable` form of a text holds where the phrase occurs: its words whole, between
        spaces; a Japanese run at either end may end or start a longer run ("広島" in "G7広島サミット")."""
        words = " ".join(unit.text for unit in self.units)
        return f"{'' if self.units[0].cjk else ' '}{words}{'' if self.units[-1].cjk else ' '}"


@dataclass
class ParsedQuery:
    text: str
    normalized: str
    # Everything asked for, each once: a hit holds all of them.
    units: list[Unit] = field(default_factory=list)
    # The quoted phrases of more than one word or run: a hit holds each as written.
    phrases: list[Phrase] = field(default_factory=list)
    # The units marked wherever they occur: those asked for outside a quoted phrase.
    loose: list[Unit] = field(default_factory=list)
    # The whole query as a phrase, which ranks a record that holds it as written higher.
    whole: Phrase | None = None

    @property
    def exact_terms(self) -> set[str]:
        return {term for unit in self.units for term in unit.terms}

    @property
    def prefixes(self) -> set[str]:
        return {unit.text for unit in self.units if unit.prefix}


# Double quotes as keyboards type them: plain (＂ is one after NFKC), and as phones and word processors
# curl them.
_QUOTES = str.maketrans(dict.fromkeys("“”„‟", '"'))


def _unit(run: Run, *, quoted: bool) -> Unit:
    if run.cjk:
        return Unit(
            run.text, True, tuple(dict.fromkeys(bigrams(run.text))) if len(run.text) > 1 else (run.text,)
        )
    word = run.text[:MAX_TOKEN_LENGTH]
    return Unit(word, False, (word,), prefix=not quoted and len(word) >= MIN_PREFIX_LENGTH)


def parse_query(text: str) -> ParsedQuery:
    """Every word and Japanese run of the query, all required; those between double quotes also side by
    side (a quote left open runs to the end)."""
    normalized = collapse_spaces(normalize(text).translate(_QUOTES))
    units: dict[str, Unit] = {}
    loose: dict[str, Unit] = {}
    phrases: list[Phrase] = []
    sequence: list[Unit] = []
    for position, part in enumerate(normalized.split('"')):
        quoted = position % 2 == 1
        found = [_unit(run, quoted=quoted) for run in runs(part)]
        sequence += found
        if quoted and len(found) > 1:
            if Phrase(tuple(found)) not in phrases:
                phrases.append(Phrase(tuple(found)))
        else:
            for unit in found:
                loose.setdefault(unit.text, unit)
        for unit in found:
            known = units.get(unit.text)
            # A quoted word is the word itself; asked for alone as well, its longer words are not needed.
            if known is None or (known.prefix and not unit.prefix):
                units[unit.text] = unit
    return ParsedQuery(
        text=text,
        normalized=normalized,
        units=list(units.values()),
        phrases=phrases,
        loose=list(loose.values()),
        whole=Phrase(tuple(sequence)) if sequence else None,
    )


def searchable(normalized: str) -> str:
    """The words and Japanese runs of normalised text, each between single spaces: the form the index
    keeps of each entry, in which a phrase's `pattern` occurs only as whole words side by side."""
    words = _WORDS.findall(normalized)
    if not words:
        return ""
    # A word is cut as its token is; a Japanese run is kept whole.
    cut = [
        word if len(word) <= MAX_TOKEN_LENGTH or is_cjk(word[0]) else word[:MAX_TOKEN_LENGTH]
        for word in words
    ]
    return f" {' '.join(cut)} "


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


def _searchable_with_origins(normalized: str) -> tuple[str, list[int]]:
    """`searchable(normalized)`, and for each of its characters the position in `normalized` that it
    stands for (-1 for the spaces between words)."""
    pieces: list[str] = [" "]
    origins: list[int] = [-1]
    for run in runs(normalized):
        word = run.text if run.cjk else run.text[:MAX_TOKEN_LENGTH]
        pieces += [word, " "]
        origins += [*range(run.start, run.start + len(word)), -1]
    return "".join(pieces), origins


def match_spans(normalized: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Where a normalised text holds what the query asked for, merged and in order: each word and Japanese
    run asked for on its own wherever it occurs, and each quoted phrase where its words stand together."""
    spans: list[tuple[int, int]] = []
    loose_words = [unit for unit in query.loose if not unit.cjk]
    loose_runs = [unit for unit in query.loose if unit.cjk]
    for run in runs(normalized):
        if run.cjk:
            for unit in loose_runs:
                start = run.text.find(unit.text)
                while start != -1:
                    spans.append((run.start + start, run.start + start + len(unit.text)))
                    start = run.text.find(unit.text, start + 1)
            continue
        word = run.text[:MAX_TOKEN_LENGTH]
        if any(word == unit.text or (unit.prefix and word.startswith(unit.text)) for unit in loose_words):
            spans.append((run.start, run.start + len(run.text)))
    if query.phrases:
        form, origins = _searchable_with_origins(normalized)
        for phrase in query.phrases:
            pattern = phrase.pattern
            start = form.find(pattern)
            while start != -1:
                covered = [origin for origin in origins[start : start + len(pattern)] if origin >= 0]
                spans.append((covered[0], covered[-1] + 1))
                start = form.find(pattern, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# What clings to the character before it, besides combining marks: variation selectors, the half-width
# voiced marks (ﾊﾞ), a zero-width joiner (and what it joins), emoji skin tones, and the low half of a
# surrogate pair (text read from elsewhere may hold one).
_CLINGING = re.compile(
    "[\u200d\ufe00-\ufe0f\uff9e\uff9f\U000e0100-\U000e01ef\U0001f3fb-\U0001f3ff\udc00-\udfff]"
)
_LINE_BREAKS = re.compile("[\r\n\u2028\u2029]+")


def _free(char: str) -> bool:
    """Whether text may be cut beside `char` even without a space: Japanese (kanji, kana, full-width
    punctuation), which is written without spaces between words."""
    return (
        is_cjk(char)
        or "\uff66" <= char <= "\uff9d"
        or (not char.isalnum() and unicodedata.east_asian_width(char) in "WF")
    )


def _is_regional_indicator(char: str) -> bool:
    """A letter of a flag: two of them make one (🇯🇵)."""
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _can_cut(text: str, index: int) -> bool:
    """Whether a snippet may start or end at `index`: between words, or between Japanese characters, but
    never inside a word or a character (a letter and its accent, an emoji sequence or flag, a surrogate
    pair)."""
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if unicodedata.combining(after) or _CLINGING.match(after) or before == "\u200d":
        return False
    if "\ud800" <= before <= "\udbff" or (_is_regional_indicator(before) and _is_regional_indicator(after)):
        return False
    return before.isspace() or after.isspace() or _free(before) or _free(after)


def _passage(text: str, first: tuple[int, int] | None, width: int) -> tuple[int, int, bool, bool]:
    """The part of `text` that a snippet of about `width` characters shows, and whether it was cut before
    and after: the line (a field or paragraph of the record) of the first match, or the first line, cut
    where `_can_cut` allows around the match."""
    lines = [(0, len(text))]
    if _LINE_BREAKS.search(text):
        bounds = [0, *(edge for found in _LINE_BREAKS.finditer(text) for edge in found.span()), len(text)]
        lines = [(bounds[index], bounds[index + 1]) for index in range(0, len(bounds), 2)]
    if first is None:
        start, end = next(((start, end) for start, end in lines if text[start:end].strip()), lines[0])
        first = (start, start)
    else:
        start, end = next((start, end) for start, end in lines if start <= first[0] <= end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start <= width:
        return start, end, False, False
    match_start, match_end = min(max(first[0], start), end), max(min(first[1], end), start)
    begin = max(start, min(match_start - width // 3, end - width))
    # Forward to a place between words, but not past the match; failing that, back to one.
    begin = next(
        (index for index in range(begin, match_start + 1) if _can_cut(text, index)),
        next((index for index in range(begin, start, -1) if _can_cut(text, index)), start),
    )
    finish = min(end, begin + width)
    # Back to a place between words, but not into the match; failing that, on to one.
    finish = next(
        (index for index in range(finish, max(match_end, begin + 1) - 1, -1) if _can_cut(text, index)),
        next((index for index in range(finish, end) if _can_cut(text, index)), end),
    )
    while begin < finish and text[begin].isspace():
        begin += 1
    while finish > begin and text[finish - 1].isspace():
        finish -= 1
    return begin, finish, begin > start, finish < end


def highlight(text: str, query: ParsedQuery, *, width: int | None = None) -> tuple[SafeString, bool]:
    """Escape `text` and wrap each match of the query in <mark>.

    With `width`, only a passage of about that many characters is kept: the line (field or paragraph)
    of the first match, cut between words around it, with an ellipsis where the line was cut. Returns the
    HTML and whether anything matched.
    """
    normalized, offsets = _normalized_with_offsets(text)
    spans = [(offsets[start], offsets[end]) for start, end in match_spans(normalized, query)]
    begin, finish, cut_before, cut_after = 0, len(text), False, False
    if width is not None:
        begin, finish, cut_before, cut_after = _passage(text, spans[0] if spans else None, width)
    parts: list[str] = ["…" if cut_before else ""]
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
    if cut_after:
        parts.append("…")
    return mark_safe("".join(parts)), bool(spans)
