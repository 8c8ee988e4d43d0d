"""Search across every public record, in Japanese and English: the one implementation that the website's
search page and the API's `?q=` both call.

A search costs two queries whatever the number of records or hits: one reads the matching tokens
(through the index on the token column), joined on the publication state of the records that govern
them; one reads the candidate entries. Ranking and highlighting happen in Python on those rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.models import Publishable

from .models import Kind, SearchEntry, SearchToken
from .text import (
    ParsedQuery,
    Unit,
    collapse_spaces,
    highlight,
    parse_query,
    prefix_upper_bound,
    strip_controls,
)

__all__ = ["KINDS", "MAX_QUERY_LENGTH", "QueryTooLong", "SearchError", "SearchHit", "SearchResults", "search"]

KINDS: tuple[str, ...] = tuple(Kind.values)
MAX_QUERY_LENGTH = 200
SNIPPET_WIDTH = 160

# Field weights: a word in a title says more about the record than the same word in its text.
TITLE_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
# A word that only starts a longer word ("hiro" in "hiroshima") counts for less than the whole word.
PREFIX_MATCH = 0.7
# A Japanese run whose bigrams all occur, but not side by side, or only some of its bigrams.
SCATTERED_MATCH = 0.5
# A record must match at least this share of what was asked for (weighted by bigrams) to be a hit.
MIN_COVERAGE = 0.5
PHRASE_IN_TITLE = 8.0
PHRASE_IN_TEXT = 4.0


class SearchError(ValueError):
    """A query the engine refuses; the message is for the visitor, in the active language."""


class QueryTooLong(SearchError):
    pass


class UnknownKind(SearchError):
    pass


@dataclass
class SearchHit:
    kind: str
    object_id: int
    slug: str
    title: str
    url: str
    snippet: SafeString
    score: float
    lang: str
    # Extras for the page: the title with its matches marked, the number of a part, and the document
    # a part belongs to.
    title_html: SafeString
    number: int | None = None
    context: str = ""


@dataclass
class SearchResults:
    query: str
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    groups: list[tuple[str, Promise, list[SearchHit]]] = field(default_factory=list)

    def __bool__(self):
        return bool(self.hits)


def _clean(query: str) -> str:
    return collapse_spaces(strip_controls(query or ""))


def _language(language: str) -> str:
    code = (language or "").split("-")[0].lower()
    available = {code for code, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def _kinds(kinds) -> list[str]:
    if kinds is None:
        return list(KINDS)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise UnknownKind(_("Unknown kind of record: %(kinds)s") % {"kinds": ", ".join(map(str, unknown))})
    return [kind for kind in KINDS if kind in kinds]


def _public() -> Q:
    """The `published()` rule, applied through an entry to the record that governs it."""
    now = timezone.now()
    published = Publishable.Status.PUBLISHED
    return Q(entry__meeting__status=published, entry__meeting__published_at__lte=now) | Q(
        entry__declaration__status=published, entry__declaration__published_at__lte=now
    )


def _token_lookup(parsed: ParsedQuery) -> Q:
    lookup = Q(token__in=sorted(parsed.exact_terms))
    for prefix in sorted(parsed.prefixes):
        # A range rather than LIKE 'prefix%', so that both SQLite and PostgreSQL use the token index.
        lookup |= Q(token__gt=prefix, token__lt=prefix_upper_bound(prefix))
    return lookup


@dataclass
class _Match:
    """How well one entry matches each unit of the query, per field, from its tokens."""

    tokens: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))

    def unit_cover(self, unit: Unit, field_id: int, normalized: str | None) -> float:
        tokens = self.tokens.get(field_id, {})
        if not unit.cjk:
            if unit.text in tokens:
                return 1.0
            if unit.prefix and any(token.startswith(unit.text) for token in tokens):
                return PREFIX_MATCH
            return 0.0
        present = sum(1 for term in unit.terms if term in tokens)
        if not present:
            return 0.0
        if present == len(unit.terms) and (normalized is None or unit.text in normalized):
            return 1.0
        return SCATTERED_MATCH * present / len(unit.terms)

    def frequency(self, unit: Unit) -> int:
        return max(
            (self.tokens.get(SearchToken.Field.TEXT, {}).get(term, 0) for term in unit.terms), default=0
        )


def _score(parsed: ParsedQuery, match: _Match, entry: SearchEntry | None) -> tuple[float, float]:
    """Coverage (share of the query matched) and score. Without an entry, an upper bound on coverage."""
    total_weight = sum(unit.weight for unit in parsed.units)
    covered = fields = frequency = 0.0
    for unit in parsed.units:
        in_title = match.unit_cover(unit, SearchToken.Field.TITLE, entry and entry.normalized_title)
        in_text = match.unit_cover(unit, SearchToken.Field.TEXT, entry and entry.normalized_text)
        covered += unit.weight * max(in_title, in_text)
        fields += unit.weight * (TITLE_WEIGHT * in_title + TEXT_WEIGHT * in_text)
        frequency += min(match.frequency(unit), 5) if in_text else 0
    coverage = covered / total_weight
    score = 100 * coverage + 5 * fields / total_weight + 0.2 * frequency
    if entry is not None and parsed.normalized:
        if parsed.normalized in entry.normalized_title:
            score += PHRASE_IN_TITLE
        elif parsed.normalized in entry.normalized_text:
            score += PHRASE_IN_TEXT
    return coverage, round(score, 3)


def _url(entry: SearchEntry, language: str) -> str:
    with translation.override(language):
        if entry.kind == Kind.MEETING:
            return reverse("meetings:detail", kwargs={"slug": entry.slug})
        if entry.kind == Kind.ANNEX:
            return reverse("declarations:annex", kwargs={"slug": entry.slug, "number": entry.number})
        document = reverse("declarations:detail", kwargs={"slug": entry.slug})
    fragment = {
        Kind.DECLARATION: "",
        Kind.THEME: f"#theme-{entry.number}",
        Kind.KEY_POINT: f"#theme-{entry.theme_number}-point-{entry.number}",
        Kind.FOOTNOTE: f"#note-{entry.number}",
        Kind.COMMUNIQUE_ITEM: f"#item-{entry.number}",
    }[entry.kind]
    return document + fragment


def _hit(entry: SearchEntry, parsed: ParsedQuery, score: float, language: str) -> SearchHit:
    snippet, matched = highlight(entry.text, parsed, width=SNIPPET_WIDTH)
    title_html, title_matched = highlight(entry.title, parsed)
    if not matched and (title_matched or not entry.text):
        # The match is in the title only (or there is no text): show the title, marked, instead.
        snippet = title_html
    return SearchHit(
        kind=entry.kind,
        object_id=entry.object_id,
        slug=entry.slug,
        title=entry.title,
        url=_url(entry, language),
        snippet=snippet,
        score=score,
        lang=entry.language,
        title_html=title_html,
        number=entry.number,
        context=entry.context,
    )


def search(
    query: str, *, language: str, kinds: list[str] | None = None, limit: int | None = None
) -> SearchResults:
    """Find the public records that match `query`, best first, shown and linked in `language`.

    Each record is found by its text in either language. A hit shows the record in `language` when
    that text matches (or when the record has no English), otherwise in the language that matched,
    and says which in `.lang`. Raises QueryTooLong over 200 characters and UnknownKind for a kind
    not in KINDS; an empty query finds nothing.
    """
    cleaned = _clean(query)
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise QueryTooLong(
            _("The search may be at most %(limit)d characters long.") % {"limit": MAX_QUERY_LENGTH}
        )
    language = _language(language)
    kinds = _kinds(kinds)
    parsed = parse_query(cleaned)
    results = SearchResults(query=cleaned)
    if not parsed.units or not kinds or (limit is not None and limit < 0):
        return results

    rows = (
        SearchToken.objects.filter(_token_lookup(parsed))
        .filter(_public(), entry__kind__in=kinds)
        .values_list("entry_id", "token", "field", "count")
    )
    matches: dict[int, _Match] = defaultdict(_Match)
    for entry_id, token, field_id, count in rows:
        matches[entry_id].tokens[field_id][token] = count
    candidates = [
        entry_id for entry_id, match in matches.items() if _score(parsed, match, None)[0] >= MIN_COVERAGE
    ]
    if not candidates:
        return results

    # Each record's entries (one per language) that match well enough, with their scores.
    by_record: dict[tuple[str, int], list[tuple[SearchEntry, float]]] = defaultdict(list)
    for entry in SearchEntry.objects.filter(pk__in=candidates):
        coverage, score = _score(parsed, matches[entry.pk], entry)
        if coverage >= MIN_COVERAGE:
            by_record[(entry.kind, entry.object_id)].append((entry, score))
    ranked = []
    for scored in by_record.values():
        # The record ranks by its best language, and is shown in the page's language if that matched.
        shown, _score_shown = max(scored, key=lambda pair: (pair[0].language == language, pair[1]))
        ranked.append((shown, max(score for _entry, score in scored)))
    order = {kind: index for index, kind in enumerate(KINDS)}
    ranked.sort(key=lambda pair: (-pair[1], order[pair[0].kind], pair[0].title, pair[0].object_id))
    results.total = len(ranked)
    if limit is not None:
        ranked = ranked[:limit]
    results.hits = [_hit(entry, parsed, score, language) for entry, score in ranked]
    results.groups = [
        (kind, Kind(kind).label, [hit for hit in results.hits if hit.kind == kind])
        for kind in KINDS
        if any(hit.kind == kind for hit in results.hits)
    ]
    return results
