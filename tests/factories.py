"""Factories for records the tests make beside the fixtures; every field is valid in both languages."""

import datetime

import factory
from django.utils import timezone

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, OfficialText, Theme
from meetings.models import Chair, Location, Meeting, Organization, Person, Prefecture, Session


def part_number(n: int) -> int:
    """1–99, as the addresses of a document's parts take them, whatever the session has made before."""
    return n % 99 + 1


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    slug = factory.Sequence(lambda n: f"test-meeting-{n}")
    forum = Meeting.Forum.G7
    kind = Meeting.Kind.MINISTERIAL
    year = 2023
    presidency = "JP"
    portfolio = Meeting.Portfolio.DIGITAL
    title_ja = factory.Sequence(lambda n: f"試験会合{n}")
    title_en = factory.Sequence(lambda n: f"Test meeting {n}")
    short_title_ja = "試験会合"
    short_title_en = "Test meeting"
    status = Meeting.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    start_date = datetime.date(2023, 4, 29)
    end_date = datetime.date(2023, 4, 30)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    prefecture = factory.LazyFunction(lambda: Prefecture.objects.get(code="10"))
    city_ja = "高崎市"
    city_en = "Takasaki"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"test-organization-{n}")
    kind = Organization.Kind.MINISTRY
    name_ja = factory.Sequence(lambda n: f"試験省{n}")
    name_en = factory.Sequence(lambda n: f"Ministry of Tests {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"test-person-{n}")
    name_ja = factory.Sequence(lambda n: f"試験太郎{n}")
    name_en = factory.Sequence(lambda n: f"Shiken Taro {n}")


class ChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chair

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    order = factory.Sequence(lambda n: n + 1)
    office_ja = "試験大臣"
    office_en = "Minister for Tests"


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    slug = factory.Sequence(lambda n: f"test-declaration-{n}")
    meeting = factory.SubFactory(MeetingFactory)
    kind = Declaration.Kind.MINISTERIAL_DECLARATION
    title_ja = factory.Sequence(lambda n: f"試験宣言{n}")
    title_en = factory.Sequence(lambda n: f"Test declaration {n}")
    adopted_on = datetime.date(2023, 4, 30)
    authentic_language = "en"
    status = Declaration.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    declaration = factory.SubFactory(DeclarationFactory)
    number = factory.Sequence(part_number)
    title_ja = "試験テーマ"
    title_en = "Test theme"


class KeyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPoint

    theme = factory.SubFactory(ThemeFactory)
    number = factory.Sequence(part_number)
    text_ja = "試験の要点。"
    text_en = "A key point under test."


class FootnoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Footnote

    theme = factory.SubFactory(ThemeFactory)
    declaration = factory.SelfAttribute("theme.declaration")
    number = factory.Sequence(part_number)
    text_ja = "試験の脚注。"
    text_en = "A footnote under test."


class AnnexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annex

    declaration = factory.SubFactory(DeclarationFactory)
    number = factory.Sequence(part_number)
    kind = Annex.Kind.ACTION_PLAN
    title_ja = "試験附属書"
    title_en = "Test annex"


class OfficialTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialText

    declaration = factory.SubFactory(DeclarationFactory)
    number = factory.Sequence(part_number)
    language = "en"
    format = OfficialText.Format.PDF
    url = factory.Sequence(lambda n: f"https://example.org/texts/{n}.pdf")
    title = "Test official text"
    issuer_ja = "試験省"
    issuer_en = "Test Ministry"
    checked_on = datetime.date(2026, 1, 1)


class CommuniqueItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommuniqueItem

    declaration = factory.SubFactory(DeclarationFactory, kind=Declaration.Kind.LEADERS_COMMUNIQUE)
    number = factory.Sequence(part_number)
    topic = CommuniqueItem.Topic.AI
    title_ja = "AI関連"
    title_en = "AI"
    text_ja = "試験の項目。"
    text_en = "An item under test."
