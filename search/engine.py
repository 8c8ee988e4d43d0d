"""Search across every public record, in Japanese and English: the one implementation that the website's
search page and the API's `?q=` both call.

A hit holds every word and Japanese run asked for (in its title or its text, in one language), each
Japanese run as written and each quoted phrase with its words side by side. All hits are ranked in one
list, best first, whatever their kind; the kinds are facets of that list (`facets`).

A search costs two queries whatever the number of records or hits. The first reads, for each token
asked for, the public entries with the highest stored weight, in the order of the token index and no
further than CANDIDATES_PER_TERM, and with them the query's tokens of each and whether it holds the
query's phrases; those few hundred entries are checked, scored and ranked in Python. The second reads
the entries of the hits on the page shown, and only those are highlighted.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, CharField, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commitments.models import Commitment, EarlierCommitment, FollowUp
from declarations.models import Declaration
from meetings.models import Meeting
from publication.models import Publishable, published_condition
from rendering.templating import list_separator, punctuation

from .models import KIND_NAMES, Kind, SearchEntry, SearchToken
from .text import (
    ParsedQuery,
    Phrase,
    Unit,
    collapse_spaces,
    highlight,
    parse_query,
    prefix_upper_bound,
    strip_controls,
)

__all__ = [
    "KINDS",
    "MAX_QUERY_LENGTH",
    "Facet",
    "QueryTooLong",
    "SearchError",
    "SearchHit",
    "SearchResults",
    "facets",
    "rank",
    "search",
]

KINDS: tuple[str, ...] = tuple(Kind.values)
MAX_QUERY_LENGTH = 200
SNIPPET_WIDTH = 160

# Field weights: a word in a title says more about the record than the same word in its text.
TITLE_FACTOR = 3
TEXT_FACTOR = 1
# Occurrences in the text beyond this many say nothing more.
FREQUENCY_CAP = 5
# A word that only starts a longer word ("hiro" in "hiroshima") counts for less than the whole word.
PREFIX_MATCH = 0.7
# The whole query as written, in the title or the text.
PHRASE_IN_TITLE = 8.0
PHRASE_IN_TEXT = 4.0
# How many entries a search reads for each token (or word prefix) it asks for, best first by their
# stored weight: enough for every entry of the presidency's archive, and a bound on the work for a word
# that a far larger archive holds in tens of thousands of entries. Past it, the total is a lower bound.
CANDIDATES_PER_TERM = 300
# Positions in a candidate's (count in the title, count in the text).
TITLE, TEXT = 0, 1


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

    @property
    def kind_name(self) -> Promise:
        """What a record of the hit's kind is called, in the active language."""
        return KIND_NAMES[self.kind]


@dataclass
class SearchResults:
    query: str
    total: int = 0
    # True when a common word had more entries than a search reads: then `total` is only a lower bound.
    more: bool = False
    # Best first, whatever their kind.
    hits: list[SearchHit] = field(default_factory=list)

    def __bool__(self):
        return bool(self.hits)


@dataclass(frozen=True)
class Facet:
    """A kind of record among the results of a search, and how many of them are of that kind."""

    kind: str
    label: Promise
    count: int


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


def token_weight(title_count: int, text_count: int) -> int:
    """What a token alone says of an entry, as stored with it: in the title, in the text and how often.

    It orders the entries as `_score` does for a search of that one token, so that the best entries for
    a token are the first ones its index gives.
    """
    return 10 * (TITLE_FACTOR * (title_count > 0) + TEXT_FACTOR * (text_count > 0)) + min(
        text_count, FREQUENCY_CAP
    )


@dataclass(frozen=True)
class _Source:
    """A condition on a token row that finds candidates: a token asked for, or the longer words of a word
    (a range rather than LIKE 'prefix%', so that both SQLite and PostgreSQL use the token index)."""

    token: str
    prefix: bool = False

    @property
    def condition(self) -> tuple[str, list[str]]:
        if self.prefix:
            return "t.token > %s AND t.token < %s", [self.token, prefix_upper_bound(self.token)]
        return "t.token = %s", [self.token]

    def holds(self, token: str) -> bool:
        return token != self.token and token.startswith(self.token) if self.prefix else token == self.token


def _sources(parsed: ParsedQuery) -> list[_Source]:
    return [
        *(_Source(term) for term in sorted(parsed.exact_terms)),
        *(_Source(prefix, prefix=True) for prefix in sorted(parsed.prefixes)),
    ]


def _found_in_full(unit: Unit, cut_short: set[_Source]) -> bool:
    """Whether the candidates hold every entry that has `unit`: all the sources of a word were read to
    the end, or one of a Japanese run's bigrams was (an entry holding the run holds each of them)."""
    if unit.cjk:
        return any(_Source(term) not in cut_short for term in unit.terms)
    return _Source(unit.text) not in cut_short and not (unit.prefix and _Source(unit.text, True) in cut_short)


def _public(alias: str, now) -> tuple[str, list]:
    """The `published()` rule on the record at `alias`, as SQL and its parameters."""
    return f"({alias}.status = %s AND {alias}.published_at <= %s)", [Publishable.Status.PUBLISHED, now]


def _found(now) -> tuple[str, list]:
    """Whether the entry `e` is public: the `published()` rule, applied through the entry to the record that
    governs it. An earlier commitment is found as its meeting's page shows it (meetings.selectors.
    carried_forward): while it, its meeting and a 2023 commitment that carries it forward are public.

    Each kind's rule is an EXISTS on its own record rather than a join of every kind's table to the
    entries: joined, the query that reads the best entries of a token had eight tables for PostgreSQL to
    order, which cost it more to plan than to run."""
    link = EarlierCommitment.commitments.through
    conditions, params = [], []
    for model, governing in (
        (Meeting, "meeting"),
        (Declaration, "declaration"),
        (Commitment, "commitment"),
        (FollowUp, "follow_up"),
    ):
        public, values = _public("r", now)
        column = SearchEntry._meta.get_field(governing).column
        conditions.append(
            f"EXISTS (SELECT 1 FROM {model._meta.db_table} r WHERE r.id = e.{column} AND {public})"
        )
        params += values
    earlier, earlier_params = _public("ec", now)
    meeting, meeting_params = _public("em", now)
    carried, carried_params = _public("lc", now)
    conditions.append(
        f"""EXISTS (
            SELECT 1 FROM {EarlierCommitment._meta.db_table} ec
            JOIN {Meeting._meta.db_table} em ON em.id = ec.{EarlierCommitment._meta.get_field("meeting").column}
            WHERE ec.id = e.{SearchEntry._meta.get_field("earlier_commitment").column}
                AND {earlier} AND {meeting} AND EXISTS (
                    SELECT 1 FROM {link._meta.db_table} l
                    JOIN {Commitment._meta.db_table} lc ON lc.id = l.{link._meta.get_field("commitment").column}
                    WHERE l.{link._meta.get_field("earliercommitment").column} = ec.id AND {carried}))"""
    )
    params += [*earlier_params, *meeting_params, *carried_params]
    return f"({' OR '.join(conditions)})", params


def _best_entries(condition: str, params: list, kinds: list[str]) -> tuple[str, list]:
    """The public entries of `kinds` whose tokens meet `condition`, best first, at most one more than
    CANDIDATES_PER_TERM (`_found`)."""
    found, found_params = _found(timezone.now())
    params = [*params, *found_params]
    kind_filter = ""
    if len(kinds) < len(KINDS):
        kind_filter = f"AND e.kind IN ({', '.join(['%s'] * len(kinds))})"
        params += kinds
    # SQLite's planner would otherwise start from the entries of the kinds asked for; the token index,
    # read best first, must lead so that the read stops at the limit.
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    sql = f"""
        SELECT t.entry_id FROM {SearchToken._meta.db_table} t
        {join} {SearchEntry._meta.db_table} e ON e.id = t.entry_id
        WHERE {condition}
            AND {found}
            {kind_filter}
        ORDER BY t.weight DESC, t.entry_id DESC
        LIMIT {CANDIDATES_PER_TERM + 1}
    """
    return sql, params


def _contains(column: str) -> str:
    function = "STRPOS" if connection.vendor == "postgresql" else "INSTR"
    return f"{function}({column}, %s) > 0"


def _patterns(parsed: ParsedQuery) -> list[str]:
    """What is looked for in the entries' searchable title and text as written: the quoted phrases, the
    Japanese runs longer than a bigram, and the whole query (for its rank)."""
    phrases = [
        *parsed.phrases,
        *(Phrase((unit,)) for unit in parsed.units if unit.cjk and len(unit.terms) > 1),
    ]
    if parsed.whole is not None:
        phrases.append(parsed.whole)
    return list(dict.fromkeys(phrase.pattern for phrase in phrases))


@dataclass
class _Candidate:
    """An entry found by the query's tokens, with what its score needs."""

    kind: str
    object_id: int
    language: str
    title: str
    # Whether the searchable title and text hold each pattern looked for (`_patterns`).
    patterns: dict[str, tuple[bool, bool]]
    # The query's tokens that the entry holds: token → (count in the title, count in the text).
    tokens: dict[str, tuple[int, int]] = field(default_factory=dict)

    def covers(self, unit: Unit) -> tuple[float, float]:
        """How fully the title and the text hold `unit`: 1 for the word or the Japanese run as written,
        PREFIX_MATCH for a longer word that the word starts, 0 otherwise."""
        tokens = self.tokens
        if unit.cjk:
            if len(unit.terms) > 1:
                in_title, in_text = self.patterns[unit.text]
            else:
                counts = tokens.get(unit.terms[0])
                in_title, in_text = bool(counts and counts[TITLE]), bool(counts and counts[TEXT])
            return float(in_title), float(in_text)
        counts = tokens.get(unit.text)
        in_title = 1.0 if counts and counts[TITLE] else 0.0
        in_text = 1.0 if counts and counts[TEXT] else 0.0
        if unit.prefix and not (in_title and in_text):
            for token, counts in tokens.items():
                if token.startswith(unit.text):
                    in_title = in_title or (PREFIX_MATCH if counts[TITLE] else 0.0)
                    in_text = in_text or (PREFIX_MATCH if counts[TEXT] else 0.0)
        return in_title, in_text

    def score(self, parsed: ParsedQuery, total_weight: int) -> float | None:
        """The entry's score, or None unless it holds everything asked for: every unit, and each quoted
        phrase in its title or its text."""
        if not all(any(self.patterns[phrase.pattern]) for phrase in parsed.phrases):
            return None
        covered = fields = frequency = 0.0
        tokens = self.tokens
        for unit in parsed.units:
            in_title, in_text = self.covers(unit)
            if not (in_title or in_text):
                return None
            weight = unit.weight
            covered += weight * (in_title if in_title > in_text else in_text)
            fields += weight * (TITLE_FACTOR * in_title + TEXT_FACTOR * in_text)
            if in_text:
                most = max((tokens.get(term, (0, 0))[TEXT] for term in unit.terms), default=0)
                frequency += most if most < FREQUENCY_CAP else FREQUENCY_CAP
        # Less than 1 only where a word matched as the start of longer words.
        coverage = covered / total_weight
        score = 100 * coverage + 5 * fields / total_weight + 0.2 * frequency
        phrase_in_title, phrase_in_text = self.patterns[parsed.whole.pattern]
        if phrase_in_title:
            score += PHRASE_IN_TITLE
        elif phrase_in_text:
            score += PHRASE_IN_TEXT
        return round(score, 3)


def _candidates(parsed: ParsedQuery, kinds: list[str]) -> tuple[dict[int, _Candidate], bool]:
    """The entries that the query's tokens find, and whether some hits may be missing from them.

    One query: for each token (or word prefix) the best CANDIDATES_PER_TERM public entries by stored
    weight, read in the order of the token index; then the query's tokens of those entries, and whether
    they hold its patterns. As a hit holds every unit of the query, the candidates hold every hit as soon
    as the entries of one unit were all read.
    """
    token_table = SearchToken._meta.db_table
    entry_table = SearchEntry._meta.db_table
    sources = _sources(parsed)
    selects, params = [], []
    for position, source in enumerate(sources):
        sql, best_params = _best_entries(*source.condition, kinds)
        selects.append(f"SELECT entry_id FROM ({sql}) source_{position}")
        params.extend(best_params)
    patterns = _patterns(parsed)
    pattern_columns = []
    for pattern in patterns:
        pattern_columns += [_contains("e.normalized_title"), _contains("e.normalized_text")]
        params += [pattern, pattern]
    token_lookup = " OR ".join(f"({source.condition[0]})" for source in sources)
    for source in sources:
        params += source.condition[1]
    sql = f"""
        WITH found AS ({" UNION ALL ".join(selects)})
        SELECT e.id, e.kind, e.object_id, e.language, e.title,
            {", ".join(pattern_columns)}, t.token, t.title_count, t.text_count
        FROM (SELECT DISTINCT entry_id FROM found) c
        JOIN {entry_table} e ON e.id = c.entry_id
        JOIN {token_table} t ON t.entry_id = c.entry_id
        WHERE {token_lookup}
    """
    candidates: dict[int, _Candidate] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            entry_id = row[0]
            candidate = candidates.get(entry_id)
            if candidate is None:
                flags = row[5 : 5 + 2 * len(patterns)]
                candidate = candidates[entry_id] = _Candidate(
                    kind=row[1],
                    object_id=row[2],
                    language=row[3],
                    title=row[4],
                    patterns={
                        pattern: (bool(flags[2 * index]), bool(flags[2 * index + 1]))
                        for index, pattern in enumerate(patterns)
                    },
                )
            candidate.tokens[row[-3]] = (row[-2], row[-1])
    # A source was read to its limit, not to its end, if more candidates than the limit hold its tokens:
    # had it fewer entries, the candidates would hold exactly those.
    holding: Counter[_Source] = Counter()
    prefixes = [source for source in sources if source.prefix]
    for candidate in candidates.values():
        holding.update(_Source(token) for token in candidate.tokens)
        holding.update(source for source in prefixes if any(map(source.holds, candidate.tokens)))
    cut_short = {source for source, count in holding.items() if count > CANDIDATES_PER_TERM}
    return candidates, not any(_found_in_full(unit, cut_short) for unit in parsed.units)


def _url(entry: SearchEntry) -> str:
    """The entry's public address in the active language."""
    if entry.kind == Kind.MEETING:
        return reverse("meetings:detail", kwargs={"slug": entry.slug})
    if entry.kind == Kind.COMMITMENT:
        return reverse("commitments:detail", kwargs={"slug": entry.slug})
    if entry.kind == Kind.FOLLOW_UP:
        return reverse("commitments:follow-up", kwargs={"slug": entry.slug})
    if entry.kind == Kind.EARLIER_COMMITMENT:
        # Its place on its meeting's page, the record's own address: the one page that lists it whichever
        # 2023 commitments carry it forward (each of theirs shows it too, in its lineage).
        meeting = reverse("meetings:detail", kwargs={"slug": entry.meeting_slug})
        return f"{meeting}#{EarlierCommitment(slug=entry.slug).anchor}"
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


class NumberList(Aggregate):
    """The numbers of a group as one text, comma-separated, in no set order: SQLite's GROUP_CONCAT,
    PostgreSQL's STRING_AGG."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def _answered() -> Subquery:
    """The numbers of the public commitments that the entry's follow-up answers (none for another kind):
    read with the entries, when searching, as publication always is, since a follow-up may answer a
    commitment that is still a draft."""
    link = FollowUp.commitments.through
    return Subquery(
        link.objects.filter(published_condition("commitment"), followup_id=OuterRef("follow_up_id"))
        .order_by()
        .values("followup_id")
        .annotate(numbers=NumberList("commitment__number"))
        .values("numbers")
    )


def _context(entry: SearchEntry) -> str:
    """The entry's line of context; a follow-up's ends with the public commitments it answers, in the
    entry's language as the rest of it is (2023年10月8日／総務省／約束9、10)."""
    if entry.kind != Kind.FOLLOW_UP or not entry.answered:
        return entry.context
    numbers = sorted(int(number) for number in entry.answered.split(","))
    with translation.override(entry.language):
        commitments = ngettext("Commitment %(numbers)s", "Commitments %(numbers)s", len(numbers)) % {
            "numbers": list_separator().join(map(str, numbers))
        }
        return punctuation("separator").join(part for part in (entry.context, commitments) if part)


def _hit(entry: SearchEntry, parsed: ParsedQuery, score: float) -> SearchHit:
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
        url=_url(entry),
        snippet=snippet,
        score=score,
        lang=entry.language,
        title_html=title_html,
        number=entry.number,
        context=_context(entry),
    )


@dataclass
class RankedRecord:
    """A record that the search finds, with the entry it is shown by and its score."""

    kind: str
    object_id: int
    entry_id: int
    score: float


@dataclass
class Ranking:
    query: str
    parsed: ParsedQuery
    language: str
    records: list[RankedRecord] = field(default_factory=list)
    more: bool = False


def rank(query: str, *, language: str, kinds: list[str] | None = None) -> Ranking:
    """Every public record that matches `query`, best first, without building a hit for any.

    Each record is found by its text in either language (one of them holding everything asked for),
    ranks by the better of its languages, and is shown by its entry in `language` when that one matches
    too. The kinds do not order the list; they only break ties. The ranking reads the token index as
    far as CANDIDATES_PER_TERM entries a token; `.more` says when a token had more. One query, whatever
    the number of records.
    """
    cleaned = _clean(query)
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise QueryTooLong(
            _("The search may be at most %(limit)d characters long.") % {"limit": MAX_QUERY_LENGTH}
        )
    language = _language(language)
    kinds = _kinds(kinds)
    parsed = parse_query(cleaned)
    ranking = Ranking(query=cleaned, parsed=parsed, language=language)
    if not parsed.units or not kinds:
        return ranking
    candidates, ranking.more = _candidates(parsed, kinds)
    total_weight = sum(unit.weight for unit in parsed.units)
    # Each record's entries (one per language) that hold everything asked for, with their scores.
    by_record: dict[tuple[str, int], list[tuple[int, _Candidate, float]]] = defaultdict(list)
    for entry_id, candidate in candidates.items():
        score = candidate.score(parsed, total_weight)
        if score is not None:
            by_record[(candidate.kind, candidate.object_id)].append((entry_id, candidate, score))
    ranked = []
    for scored in by_record.values():
        # The record ranks by its best language, and is shown in the page's language if that matched.
        entry_id, shown, _score = max(scored, key=lambda found: (found[1].language == language, found[2]))
        ranked.append((shown, entry_id, max(score for _id, _candidate, score in scored)))
    order = {kind: index for index, kind in enumerate(KINDS)}
    ranked.sort(key=lambda found: (-found[2], order[found[0].kind], found[0].title, found[0].object_id))
    ranking.records = [
        RankedRecord(kind=shown.kind, object_id=shown.object_id, entry_id=entry_id, score=score)
        for shown, entry_id, score in ranked
    ]
    return ranking


def search(
    query: str,
    *,
    language: str,
    kinds: list[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> SearchResults:
    """Find the public records that match `query`, best first, shown and linked in `language`.

    Each record is found by its text in either language. A hit shows the record in `language` when
    that text matches (or when the record has no English), otherwise in the language that matched,
    and says which in `.lang`. Only the hits from `offset` to `offset + limit` are built (their text
    read and highlighted); `.total` counts them all. Raises QueryTooLong over 200 characters and
    UnknownKind for a kind not in KINDS; an empty query finds nothing. Two queries at most.
    """
    ranking = rank(query, language=language, kinds=kinds)
    if limit is not None and limit < 0:
        return SearchResults(query=ranking.query)
    return results_page(ranking, ranking.records[offset : None if limit is None else offset + limit])


def results_page(ranking: Ranking, records: list[RankedRecord]) -> SearchResults:
    """The results of a ranking with the hits of some of its records (a page of them) built, in the
    ranking's order; `.total` and `.more` still describe the whole ranking. One query at most."""
    return SearchResults(
        query=ranking.query,
        total=len(ranking.records),
        more=ranking.more,
        hits=build_hits(ranking, records),
    )


def facets(ranking: Ranking) -> list[Facet]:
    """The kinds of record that a ranking holds, in the order of KINDS, each with its number of records."""
    counts = Counter(record.kind for record in ranking.records)
    return [Facet(kind=kind, label=Kind(kind).label, count=counts[kind]) for kind in KINDS if counts[kind]]


def build_hits(ranking: Ranking, records: list[RankedRecord]) -> list[SearchHit]:
    """The hits of some of a ranking's records, highlighted: one query, for the page shown."""
    if not records:
        return []
    # An earlier commitment links to its meeting's page, and a follow-up names the public commitments it
    # answers: both read with the entries rather than copied into the index.
    entries = SearchEntry.objects.annotate(
        meeting_slug=F("earlier_commitment__meeting__slug"), answered=_answered()
    ).in_bulk([record.entry_id for record in records])
    # Linked in the ranking's language: switched to once for the page, not for each hit.
    with translation.override(ranking.language):
        return [_hit(entries[record.entry_id], ranking.parsed, record.score) for record in records]
