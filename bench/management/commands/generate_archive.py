"""A synthetic archive at a chosen scale, for measuring how the site behaves with many records."""

import calendar
import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from commitments.models import Assessment, Commitment, FollowUp
from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, OfficialText, Theme
from meetings.models import Location, Meeting, Organization, Prefecture, Session
from publication.services import refresh_statistics
from search.models import SearchEntry, SearchToken

# One unit of scale, about the size of the source: 18 meetings (one summit), 50 documents (45 ministerial
# declarations with 8 themes, a key point a theme, a footnote and an annex each; 5 communiqués with 28
# items each), so 500 themes and items.
MEETINGS_PER_UNIT = 18
DECLARATIONS_PER_UNIT = 45
COMMUNIQUES_PER_UNIT = 5
THEMES_PER_DECLARATION = 8
ITEMS_PER_COMMUNIQUE = 28
# The commitment register of a unit: 9 commitments (5 from key points, 2 from communiqué items, one from a
# footnote and one from an annex: every kind of paragraph a commitment may come from), each assessed, and 20
# follow-ups, each answering two commitments of its unit. A commitment's number is its place in the register,
# 1 to 999 (Commitment.number's validators): the synthetic commitments follow the highest number there is,
# so 100× adds 900, and a larger scale stops where the numbers end.
COMMITMENTS_PER_UNIT = 9
COMMITMENT_SOURCES = ("key_point",) * 5 + ("communique_item",) * 2 + ("footnote", "annex")
FOLLOW_UPS_PER_UNIT = 20
LAST_COMMITMENT_NUMBER = 999
BATCH = 2000
SLUG_PREFIX = "synthetic"

PORTFOLIOS = [p for p in Meeting.Portfolio.values if p != Meeting.Portfolio.LEADERS]
TOPICS = CommuniqueItem.Topic.values
WORDS_JA = [
    "デジタル",
    "技術",
    "人工知能",
    "データ",
    "信頼",
    "基盤",
    "安全",
    "協力",
    "生成",
    "革新",
    "競争",
    "市場",
]
WORDS_EN = [
    "digital",
    "technology",
    "AI",
    "data",
    "trust",
    "infrastructure",
    "security",
    "cooperation",
    "generative",
    "innovation",
    "competition",
    "markets",
]


class Command(BaseCommand):
    help = (
        "Add a synthetic archive of about SCALE times the source: 18×SCALE meetings, 50×SCALE documents, "
        "500×SCALE themes and communiqué items, and a commitment register of 9×SCALE commitments (up to the "
        "register's last number, 999), each assessed, and 20×SCALE follow-ups, published, in Japanese and "
        "English. Its slugs start with "
        f"'{SLUG_PREFIX}-'; it refuses to run twice unless --replace removes the earlier one first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=100, help="How many times the source (1–1000).")
        parser.add_argument(
            "--seed", type=int, default=2023, help="The random seed; the same seed, the same archive."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Remove an earlier synthetic archive first."
        )
        parser.add_argument("--no-index", action="store_true", help="Leave the search index as it is.")

    def handle(self, *args, scale, seed, replace, no_index, **options):
        if not 1 <= scale <= 1000:
            raise CommandError("--scale must be from 1 to 1000.")
        started = time.perf_counter()
        with transaction.atomic():
            existing = Meeting.objects.filter(slug__startswith=f"{SLUG_PREFIX}-")
            if existing.exists():
                if not replace:
                    raise CommandError("A synthetic archive is there already: add --replace to make it anew.")
                self.remove()
            counts = Generator(scale, random.Random(seed)).run()
        generated = time.perf_counter() - started
        indexed = 0.0
        if not no_index:
            from search.indexing import rebuild

            rebuild()
            indexed = time.perf_counter() - started - generated
        refresh_statistics()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(
            f"Generated {summary} in {generated:.1f} s; search index rebuilt in {indexed:.1f} s."
        )

    def remove(self):
        """Plain DELETE statements, children first: the ORM's delete() would load every row to collect what
        cascades (and write a history row for each)."""
        quote = connection.ops.quote_name

        def column(model, field):
            return quote(model._meta.get_field(field).column)

        def ids(model, condition):
            """The SELECT of the ids of `model`'s rows that meet `condition` (SQL, parameters)."""
            sql, params = condition
            return (
                f"SELECT {quote(model._meta.pk.column)} FROM {quote(model._meta.db_table)} WHERE {sql}",
                params,
            )

        def within(model, field, subquery):
            sql, params = subquery
            return f"{column(model, field)} IN ({sql})", params

        def either(*conditions):
            return " OR ".join(sql for sql, _ in conditions), [p for _, params in conditions for p in params]

        synthetic = (f"{column(Meeting, 'slug')} LIKE %s", [f"{SLUG_PREFIX}-%"])
        meetings = ids(Meeting, synthetic)
        declarations = ids(Declaration, within(Declaration, "meeting", meetings))
        commitments = ids(Commitment, (f"{column(Commitment, 'slug')} LIKE %s", [f"{SLUG_PREFIX}-%"]))
        follow_ups = ids(FollowUp, (f"{column(FollowUp, 'slug')} LIKE %s", [f"{SLUG_PREFIX}-%"]))
        assessments = ids(Assessment, within(Assessment, "commitment", commitments))
        of_entries = either(
            within(SearchEntry, "meeting", meetings),
            within(SearchEntry, "declaration", declarations),
            within(SearchEntry, "commitment", commitments),
        )
        items = ids(CommuniqueItem, within(CommuniqueItem, "declaration", declarations))
        themes = ids(Theme, within(Theme, "declaration", declarations))
        ministerial = (
            f"{synthetic[0]} AND {column(Meeting, 'kind')} = %s",
            [*synthetic[1], Meeting.Kind.MINISTERIAL.value],
        )
        deletes = [
            (SearchToken, within(SearchToken, "entry", ids(SearchEntry, of_entries))),
            (SearchEntry, of_entries),
            # The commitment register refers to the documents' paragraphs: it goes before them.
            (
                Assessment.evidence.through,
                either(
                    within(Assessment.evidence.through, "assessment", assessments),
                    within(Assessment.evidence.through, "followup", follow_ups),
                ),
            ),
            (Assessment, within(Assessment, "commitment", commitments)),
            (
                FollowUp.commitments.through,
                either(
                    within(FollowUp.commitments.through, "followup", follow_ups),
                    within(FollowUp.commitments.through, "commitment", commitments),
                ),
            ),
            (Commitment.themes.through, within(Commitment.themes.through, "commitment", commitments)),
            (Commitment.annexes.through, within(Commitment.annexes.through, "commitment", commitments)),
            (
                Commitment.builds_on.through,
                either(
                    within(Commitment.builds_on.through, "from_commitment", commitments),
                    within(Commitment.builds_on.through, "to_commitment", commitments),
                ),
            ),
            (FollowUp, within(FollowUp, "id", follow_ups)),
            (Commitment, within(Commitment, "id", commitments)),
            (CommuniqueItem.themes.through, within(CommuniqueItem.themes.through, "communiqueitem", items)),
            (CommuniqueItem.annexes.through, within(CommuniqueItem.annexes.through, "communiqueitem", items)),
            *(
                (model, within(model, "declaration", declarations))
                # An official text refers to its annex: it goes first.
                for model in (OfficialText, CommuniqueItem, Annex, Footnote)
            ),
            (KeyPoint, within(KeyPoint, "theme", themes)),
            (Theme, within(Theme, "declaration", declarations)),
            (Declaration, within(Declaration, "meeting", meetings)),
            (Meeting.hosts.through, within(Meeting.hosts.through, "meeting", meetings)),
            *((model, within(model, "meeting", meetings)) for model in (Session, Location)),
            # The ministerial meetings first: they refer to the summit.
            (Meeting, ministerial),
            (Meeting, synthetic),
        ]
        with connection.cursor() as cursor:
            for model, (condition, params) in deletes:
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)} WHERE {condition}", params)


class Generator:
    def __init__(self, scale: int, rng: random.Random):
        self.scale = scale
        self.rng = rng
        self.published_at = timezone.now() - datetime.timedelta(days=1)
        self.prefectures = list(Prefecture.objects.order_by("code"))
        self.hosts = list(Organization.objects.order_by("pk")[:3])
        if not self.prefectures:
            raise CommandError(
                "Load the fixtures first (manage.py load_records): the prefectures are missing."
            )

    def phrase(self, count: int) -> tuple[str, str]:
        picks = [self.rng.randrange(len(WORDS_JA)) for _ in range(count)]
        return "・".join(WORDS_JA[i] for i in picks), " ".join(WORDS_EN[i] for i in picks)

    def run(self) -> dict[str, int]:
        summits, meetings = self.meetings()
        declarations, communiques = self.documents(summits, meetings)
        themes = self.themes(declarations)
        points, notes, annexes = self.parts(declarations, themes)
        items = self.items(communiques, themes)
        commitments = self.commitments(points, notes, annexes, items)
        follow_ups = self.follow_ups(commitments)
        assessments = self.assessments(commitments)
        return {
            "meetings": len(summits) + len(meetings),
            "documents": len(declarations) + len(communiques),
            "themes": len(themes),
            "communiqué items": len(items),
            "commitments": len(commitments),
            "follow-ups": len(follow_ups),
            "assessments": assessments,
        }

    def meetings(self):
        summits, ministerials = [], []
        for unit in range(self.scale):
            year = 1975 + unit % 125
            summits.append(
                Meeting(
                    slug=f"{SLUG_PREFIX}-{unit}-summit",
                    forum="G7",
                    kind="summit",
                    year=year,
                    presidency="JP",
                    portfolio="leaders",
                    title_ja=f"G7合成サミット{unit}",
                    title_en=f"Synthetic G7 Summit {unit}",
                    short_title_ja=f"合成サミット{unit}",
                    short_title_en=f"Summit {unit}",
                    status="published",
                    published_at=self.published_at,
                )
            )
        summits = Meeting.objects.bulk_create(summits, batch_size=BATCH)
        for unit, summit in enumerate(summits):
            for index in range(MEETINGS_PER_UNIT - 1):
                portfolio = PORTFOLIOS[index % len(PORTFOLIOS)]
                ja, en = self.phrase(2)
                ministerials.append(
                    Meeting(
                        slug=f"{SLUG_PREFIX}-{unit}-{index}",
                        forum="G7",
                        kind="ministerial",
                        year=summit.year,
                        presidency="JP",
                        portfolio=portfolio,
                        summit=summit,
                        title_ja=f"G7{ja}大臣会合{unit}-{index}",
                        title_en=f"G7 Ministers' Meeting on {en} {unit}-{index}",
                        short_title_ja=f"{ja}会合",
                        short_title_en=f"{en} meeting".capitalize(),
                        summary_ja=f"{ja}に関する合成の会合。",
                        summary_en=f"A synthetic meeting on {en}.",
                        status="published",
                        published_at=self.published_at,
                    )
                )
        ministerials = Meeting.objects.bulk_create(ministerials, batch_size=BATCH)
        sessions, locations, hosts = [], [], []
        for position, meeting in enumerate([*summits, *ministerials]):
            start = datetime.date(meeting.year, 1 + position % 12, 1 + position % 27)
            sessions.append(
                Session(meeting=meeting, start_date=start, end_date=start + datetime.timedelta(days=1))
            )
            prefecture = self.prefectures[position % len(self.prefectures)]
            locations.append(
                Location(
                    meeting=meeting,
                    order=1,
                    prefecture=prefecture,
                    city_ja=prefecture.name_ja,
                    city_en=prefecture.name_en,
                )
            )
            hosts += [
                Meeting.hosts.through(meeting_id=meeting.pk, organization_id=org.pk) for org in self.hosts[:1]
            ]
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        # bulk_create sends no signals: the meetings take their dates from the new sessions here.
        Meeting.objects.filter(slug__startswith=f"{SLUG_PREFIX}-").refresh_dates()
        Location.objects.bulk_create(locations, batch_size=BATCH)
        Meeting.hosts.through.objects.bulk_create(hosts, batch_size=BATCH)
        return summits, ministerials

    def documents(self, summits, ministerials):
        declarations, communiques = [], []
        for unit, summit in enumerate(summits):
            for index in range(COMMUNIQUES_PER_UNIT):
                communiques.append(
                    Declaration(
                        slug=f"{SLUG_PREFIX}-{unit}-communique-{index}",
                        meeting=summit,
                        kind="leaders_communique",
                        title_ja=f"G7合成首脳コミュニケ{unit}-{index}",
                        title_en=f"Synthetic G7 Leaders' Communiqué {unit}-{index}",
                        short_title_ja="首脳コミュニケ",
                        short_title_en="Communiqué",
                        adopted_on=datetime.date(summit.year, 5, 20),
                        authentic_language="en",
                        status="published",
                        published_at=self.published_at,
                    )
                )
        per_unit = MEETINGS_PER_UNIT - 1
        for number in range(self.scale * DECLARATIONS_PER_UNIT):
            unit, index = divmod(number, DECLARATIONS_PER_UNIT)
            meeting = ministerials[unit * per_unit + index % per_unit]
            ja, en = self.phrase(3)
            declarations.append(
                Declaration(
                    slug=f"{SLUG_PREFIX}-{unit}-declaration-{index}",
                    meeting=meeting,
                    kind="ministerial_declaration",
                    title_ja=f"{ja}に関する閣僚宣言{unit}-{index}",
                    title_en=f"Ministerial Declaration on {en} {unit}-{index}",
                    short_title_ja="閣僚宣言",
                    short_title_en="Declaration",
                    adopted_on=datetime.date(meeting.year, 4, 30),
                    summary_ja=f"{ja}についての合成の宣言。",
                    summary_en=f"A synthetic declaration on {en}.",
                    authentic_language="en",
                    status="published",
                    published_at=self.published_at,
                )
            )
        return (
            Declaration.objects.bulk_create(declarations, batch_size=BATCH),
            Declaration.objects.bulk_create(communiques, batch_size=BATCH),
        )

    # bulk_create calls no save(): each part is given its position (its number, as a new part takes).

    def themes(self, declarations):
        themes = []
        for declaration in declarations:
            for number in range(1, THEMES_PER_DECLARATION + 1):
                ja, en = self.phrase(2)
                themes.append(
                    Theme(
                        declaration=declaration,
                        number=number,
                        position=number,
                        title_ja=f"{ja}の推進",
                        title_en=f"Promoting {en}",
                    )
                )
        return Theme.objects.bulk_create(themes, batch_size=BATCH)

    def parts(self, declarations, themes):
        points, notes, annexes, texts = [], [], [], []
        for theme in themes:
            ja, en = self.phrase(4)
            points.append(
                KeyPoint(
                    theme=theme,
                    number=1,
                    position=1,
                    text_ja=f"{ja}について協力する。",
                    text_en=f"Cooperate on {en}.",
                )
            )
        for position, declaration in enumerate(declarations):
            first = themes[position * THEMES_PER_DECLARATION]
            ja, en = self.phrase(2)
            notes.append(
                Footnote(
                    declaration=declaration,
                    theme=first,
                    number=1,
                    position=1,
                    text_ja=f"{ja}の注。",
                    text_en=f"A note on {en}.",
                )
            )
            annexes.append(
                Annex(
                    declaration=declaration,
                    number=1,
                    position=1,
                    kind="action_plan",
                    theme=first,
                    title_ja=f"{ja}行動計画",
                    title_en=f"Action Plan on {en}",
                )
            )
            texts.append(
                OfficialText(
                    declaration=declaration,
                    number=1,
                    language="en",
                    format="pdf",
                    url=f"https://example.org/synthetic/{declaration.slug}.pdf",
                    title=f"A synthetic declaration on {en}",
                    issuer_ja="合成省",
                    issuer_en="Synthetic Ministry",
                    checked_on=declaration.adopted_on + datetime.timedelta(days=1),
                )
            )
        points = KeyPoint.objects.bulk_create(points, batch_size=BATCH)
        notes = Footnote.objects.bulk_create(notes, batch_size=BATCH)
        annexes = Annex.objects.bulk_create(annexes, batch_size=BATCH)
        OfficialText.objects.bulk_create(texts, batch_size=BATCH)
        return points, notes, annexes

    def items(self, communiques, themes) -> list:
        items = []
        per_unit_themes = DECLARATIONS_PER_UNIT * THEMES_PER_DECLARATION
        for position, communique in enumerate(communiques):
            unit = position // COMMUNIQUES_PER_UNIT
            for number in range(1, ITEMS_PER_COMMUNIQUE + 1):
                ja, en = self.phrase(3)
                items.append(
                    CommuniqueItem(
                        declaration=communique,
                        number=number,
                        position=number,
                        topic=TOPICS[number % len(TOPICS)],
                        title_ja=f"{ja}",
                        title_en=en.capitalize(),
                        text_ja=f"{ja}を進める。",
                        text_en=f"We advance {en}.",
                    )
                )
        items = CommuniqueItem.objects.bulk_create(items, batch_size=BATCH)
        links = []
        for position, item in enumerate(items):
            unit = position // (COMMUNIQUES_PER_UNIT * ITEMS_PER_COMMUNIQUE)
            theme = themes[unit * per_unit_themes + self.rng.randrange(per_unit_themes)]
            links.append(CommuniqueItem.themes.through(communiqueitem_id=item.pk, theme_id=theme.pk))
        CommuniqueItem.themes.through.objects.bulk_create(links, batch_size=BATCH)
        return items

    # The commitment register

    def target(self, year: int) -> tuple[datetime.date | None, str]:
        """A target date and its precision as the register's rules have them (Commitment.clean): a month or
        a season by its last day, the end of the year by its 31 December; or none."""
        precision = self.rng.choice(["", *Commitment.Precision.values])
        month = 1 + self.rng.randrange(12)
        if precision == Commitment.Precision.DAY:
            return datetime.date(year, month, 1 + self.rng.randrange(28)), precision
        if precision == Commitment.Precision.MONTH:
            return datetime.date(year, month, calendar.monthrange(year, month)[1]), precision
        if precision == Commitment.Precision.SEASON:
            month = self.rng.choice([2, 5, 8, 11])
            return datetime.date(year, month, calendar.monthrange(year, month)[1]), precision
        if precision == Commitment.Precision.YEAR_END:
            return datetime.date(year, 12, 31), precision
        return None, ""

    def commitments(self, points, notes, annexes, items) -> list[Commitment]:
        """COMMITMENTS_PER_UNIT commitments a unit, from its paragraphs (COMMITMENT_SOURCES), numbered after
        the register's last while numbers remain; with the themes and the annex they serve, and the unit's
        last building on its first."""
        last = Commitment.objects.aggregate(last=Max("number"))["last"] or 0
        room = max(LAST_COMMITMENT_NUMBER - last, 0)
        points_per_unit = DECLARATIONS_PER_UNIT * THEMES_PER_DECLARATION
        items_per_unit = COMMUNIQUES_PER_UNIT * ITEMS_PER_COMMUNIQUE
        commitments, themes, served = [], [], []
        for unit in range(min(self.scale, room // COMMITMENTS_PER_UNIT)):
            year = 1975 + unit % 125
            picked_points = iter(
                self.rng.sample(range(points_per_unit), COMMITMENT_SOURCES.count("key_point"))
            )
            picked_items = iter(
                self.rng.sample(range(items_per_unit), COMMITMENT_SOURCES.count("communique_item"))
            )
            for index, source in enumerate(COMMITMENT_SOURCES):
                if source == "key_point":
                    part = points[unit * points_per_unit + next(picked_points)]
                elif source == "communique_item":
                    part = items[unit * items_per_unit + next(picked_items)]
                elif source == "footnote":
                    part = notes[unit * DECLARATIONS_PER_UNIT + self.rng.randrange(DECLARATIONS_PER_UNIT)]
                else:
                    part = annexes[unit * DECLARATIONS_PER_UNIT + self.rng.randrange(DECLARATIONS_PER_UNIT)]
                ja, en = self.phrase(3)
                target_date, precision = self.target(year)
                commitments.append(
                    Commitment(
                        slug=f"{SLUG_PREFIX}-{unit}-commitment-{index}",
                        number=last + len(commitments) + 1,
                        text_ja=f"{ja}について合意する。",
                        text_en=f"Agree on {en}.",
                        **{source: part},
                        committed_by="leaders" if source == "communique_item" else "ministers",
                        act=self.rng.choice(Commitment.Act.values),
                        target_date=target_date,
                        target_precision=precision,
                        status="published",
                        published_at=self.published_at,
                    )
                )
                # The theme of its paragraph (a communiqué item takes up themes of other documents).
                themes.append(getattr(part, "theme_id", None))
                served.append(part.pk if source == "annex" else None)
        commitments = Commitment.objects.bulk_create(commitments, batch_size=BATCH)
        Commitment.themes.through.objects.bulk_create(
            [
                Commitment.themes.through(commitment_id=commitment.pk, theme_id=theme)
                for commitment, theme in zip(commitments, themes, strict=True)
                if theme is not None
            ],
            batch_size=BATCH,
        )
        Commitment.annexes.through.objects.bulk_create(
            [
                Commitment.annexes.through(commitment_id=commitment.pk, annex_id=annex)
                for commitment, annex in zip(commitments, served, strict=True)
                if annex is not None
            ],
            batch_size=BATCH,
        )
        Commitment.builds_on.through.objects.bulk_create(
            [
                Commitment.builds_on.through(
                    from_commitment_id=commitments[start + COMMITMENTS_PER_UNIT - 1].pk,
                    to_commitment_id=commitments[start].pk,
                )
                for start in range(0, len(commitments), COMMITMENTS_PER_UNIT)
            ],
            batch_size=BATCH,
        )
        return commitments

    def follow_ups(self, commitments) -> list[FollowUp]:
        """FOLLOW_UPS_PER_UNIT follow-ups a unit, each answering two commitments of its unit (where the unit
        has commitments)."""
        follow_ups, answers = [], []
        kinds = FollowUp.Kind.values
        for unit in range(self.scale):
            year = 1975 + unit % 125
            own = commitments[unit * COMMITMENTS_PER_UNIT : (unit + 1) * COMMITMENTS_PER_UNIT]
            for index in range(FOLLOW_UPS_PER_UNIT):
                ja, en = self.phrase(2)
                slug = f"{SLUG_PREFIX}-{unit}-follow-up-{index}"
                follow_ups.append(
                    FollowUp(
                        slug=slug,
                        kind=kinds[index % len(kinds)],
                        title_ja=f"{ja}に関する合成の会合{unit}-{index}",
                        title_en=f"Synthetic meeting on {en} {unit}-{index}",
                        date=datetime.date(year + 1, 1 + index % 12, 1 + (index * 3) % 28),
                        issued_by_ja="合成事務局",
                        issued_by_en="Synthetic Secretariat",
                        url=f"https://example.org/synthetic/{slug}",
                        summary_ja=f"{ja}について進展があった。",
                        summary_en=f"Progress on {en}.",
                        status="published",
                        published_at=self.published_at,
                    )
                )
                answers.append([own[index % len(own)], own[(index + 1) % len(own)]] if own else [])
        follow_ups = FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
        links = [
            FollowUp.commitments.through(followup_id=follow_up.pk, commitment_id=commitment.pk)
            for follow_up, answered in zip(follow_ups, answers, strict=True)
            for commitment in answered
        ]
        FollowUp.commitments.through.objects.bulk_create(links, batch_size=BATCH)
        self.answered_by: dict[int, list[int]] = {}
        for link in links:
            self.answered_by.setdefault(link.commitment_id, []).append(link.followup_id)
        return follow_ups

    def assessments(self, commitments) -> int:
        """An assessment of each commitment: a rating with its day, on the evidence of the follow-ups that
        answer it, or not yet assessed (no day, no evidence)."""
        assessments = []
        for commitment in commitments:
            rating = self.rng.choice(Assessment.Rating.values)
            rated = rating != Assessment.Rating.NOT_ASSESSED
            assessments.append(
                Assessment(
                    commitment=commitment,
                    rating=rating,
                    assessed_by_ja="合成評価チーム",
                    assessed_by_en="Synthetic assessors",
                    assessed_on=datetime.date(2024, 1 + commitment.number % 12, 15) if rated else None,
                    rationale_ja="合成の評価。" if rated else "",
                    rationale_en="A synthetic assessment." if rated else "",
                )
            )
        assessments = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        Assessment.evidence.through.objects.bulk_create(
            [
                Assessment.evidence.through(assessment_id=assessment.pk, followup_id=follow_up)
                for assessment in assessments
                if assessment.rating
                in (Assessment.Rating.FULL, Assessment.Rating.PARTIAL, Assessment.Rating.NONE)
                for follow_up in self.answered_by.get(assessment.commitment_id, [])
            ],
            batch_size=BATCH,
        )
        return len(assessments)
