"""The record cache (operations/records.py): what a record's page body and API record keep, for whom, and
that every kind of change shows at once while a change of texts leaves the other records' kept."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments.models import Commitment
from declarations.models import CommuniqueItem, Declaration, KeyPoint, Theme
from meetings.models import Meeting
from operations import cache as page_cache
from operations import records
from publication.models import Correction, PendingChange

from .servers import free_port

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
NIKKO = "g7-2023-gender-equality-nikko"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"
DECLARATION_PAGE = f"/en/declarations/{DECLARATION}/"
NIKKO_PAGE = f"/en/meetings/{NIKKO}/"
PAGES = [
    f"/{{language}}/meetings/{TAKASAKI}/",
    f"/{{language}}/declarations/{DECLARATION}/",
    f"/{{language}}/declarations/{DECLARATION}/bilingual/",
    f"/{{language}}/declarations/{DECLARATION}/annexes/1/",
    f"/{{language}}/declarations/{COMMUNIQUE}/",
]
API_RECORDS = [f"/api/v1/meetings/{TAKASAKI}/", f"/api/v1/declarations/{DECLARATION}/"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_cache_on")]


def read(client, path, **headers):
    """The response to a GET of `path`, and the queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response, len(queries)


def assert_kept(client, path, **headers):
    """A second request gets what the first drew without a query (an API answer: but the archive's last
    change, which a cache in one process's memory does not keep)."""
    first, first_queries = read(client, path, **headers)
    second, second_queries = read(client, path, **headers)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second_queries <= (1 if path.startswith("/api/") else 0) < first_queries
    return second


def assert_made_again(client, path):
    response, queries = read(client, path)
    assert response.status_code == 200
    assert queries > 1
    return response.content.decode()


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_a_record_page_is_drawn_around_its_kept_body_as_it_was_drawn_whole(client, settings, page, language):
    path = page.format(language=language)
    kept = assert_kept(client, path)
    settings.RECORD_CACHE_SECONDS = 0
    whole = client.get(path)
    assert kept.content == whole.content
    assert kept["Content-Language"] == language


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("path", API_RECORDS)
def test_an_api_record_is_kept_per_language_and_given_as_it_is_read(api, settings, path, language):
    kept = assert_kept(api, path, **{"Accept-Language": language})
    other = "en" if language == "ja" else "ja"
    assert api.get(path, headers={"Accept-Language": other}).json() != kept.json()
    settings.RECORD_CACHE_SECONDS = 0
    whole = api.get(path, headers={"Accept-Language": language})
    assert kept.content == whole.content
    assert kept["ETag"] == whole["ETag"]


def test_what_is_kept_names_the_host_it_was_drawn_for(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    assert_kept(client, DECLARATION_PAGE)
    mirrored = client.get(DECLARATION_PAGE, HTTP_HOST="mirror.example.org").content.decode()
    assert f"http://mirror.example.org/en/declarations/{DECLARATION}/#" in mirrored
    assert "http://testserver/" not in mirrored


def test_a_change_of_texts_shows_at_once_and_leaves_other_records_kept(client, api):
    assert_kept(client, DECLARATION_PAGE)
    assert_kept(client, NIKKO_PAGE)
    assert_kept(api, f"/api/v1/declarations/{DECLARATION}/", **{"Accept-Language": "en"})
    point = KeyPoint.objects.filter(theme__declaration__slug=DECLARATION).first()
    point.text_en = "A revised key point"
    point.save()
    assert "A revised key point" in assert_made_again(client, DECLARATION_PAGE)
    record = api.get(f"/api/v1/declarations/{DECLARATION}/", headers={"Accept-Language": "en"})
    assert "A revised key point" in record.content.decode()
    # The meeting at Nikko shows nothing of the declaration: what it keeps still holds.
    _response, queries = read(client, NIKKO_PAGE)
    assert queries == 0


def test_a_change_of_a_text_of_a_record_another_page_names_shows_there_too(client):
    assert_kept(client, DECLARATION_PAGE)
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.title_en = "A revised meeting title"
    meeting.save()
    assert "A revised meeting title" in assert_made_again(client, DECLARATION_PAGE)


def test_a_change_other_than_texts_makes_everything_again(client):
    assert_kept(client, DECLARATION_PAGE)
    assert_kept(client, f"/en/meetings/{TAKASAKI}/")
    nikko = Meeting.objects.get(slug=NIKKO)
    nikko.source_locator = "p. 99"
    nikko.save()
    assert_made_again(client, DECLARATION_PAGE)
    assert_made_again(client, f"/en/meetings/{TAKASAKI}/")


def test_a_record_deleted_is_gone_at_once(client):
    commitment = Commitment.objects.filter(footnote__declaration__slug=DECLARATION).first()
    address = commitment.get_absolute_url()
    assert address in assert_kept(client, DECLARATION_PAGE).content.decode()
    commitment.delete()
    assert address not in assert_made_again(client, DECLARATION_PAGE)


def test_a_link_made_shows_at_once(client):
    theme = Theme.objects.filter(declaration__slug=DECLARATION, communique_items=None).first()
    item = CommuniqueItem.objects.filter(declaration__slug=COMMUNIQUE).first()
    address = item.get_absolute_url()
    before = assert_kept(client, DECLARATION_PAGE).content.decode().count(address)
    item.themes.add(theme)
    assert assert_made_again(client, DECLARATION_PAGE).count(address) == before + 1


def test_a_document_unpublished_takes_its_items_off_the_pages_that_named_them(client):
    item = CommuniqueItem.objects.filter(
        declaration__slug=COMMUNIQUE, themes__declaration__slug=DECLARATION
    ).first()
    assert item.get_absolute_url() in assert_kept(client, DECLARATION_PAGE).content.decode()
    communique = Declaration.objects.get(slug=COMMUNIQUE)
    communique.status = Declaration.Status.DRAFT
    communique.save()
    assert item.get_absolute_url() not in assert_made_again(client, DECLARATION_PAGE)
    assert client.get(f"/en/declarations/{COMMUNIQUE}/").status_code == 404


def test_a_signed_in_editor_reads_the_whole_record_and_a_draft_is_never_kept(editor_client, editor_api, api):
    declaration = Declaration.objects.get(slug=DECLARATION)
    declaration.status = Declaration.Status.DRAFT
    declaration.save()
    for _ in range(2):
        for client, path in (
            (editor_client, DECLARATION_PAGE),
            (editor_api, f"/api/v1/declarations/{DECLARATION}/"),
        ):
            response, queries = read(client, path)
            assert response.status_code == 200
            assert queries > 1
    assert Client().get(DECLARATION_PAGE).status_code == 404
    assert api.get(f"/api/v1/declarations/{DECLARATION}/").status_code == 404


def test_an_address_of_no_record_is_a_404_with_nothing_kept(client, api):
    for path in (
        "/en/declarations/no-such-document/",
        f"/en/declarations/{DECLARATION}/annexes/99/",
        f"/en/declarations/{DECLARATION}/annexes/100/",
        "/en/meetings/no-such-meeting/",
    ):
        assert client.get(path).status_code == 404
    assert api.get("/api/v1/declarations/no-such-document/").status_code == 404
    assert api.get("/api/v1/declarations/no-such-document/").status_code == 404


def test_nothing_is_kept_past_the_next_scheduled_publication(settings):
    soon = timezone.now() + timedelta(seconds=120)
    Declaration.objects.filter(slug=COMMUNIQUE).update(published_at=soon)
    assert 0 < records.kept_timeout() <= 120
    Declaration.objects.filter(slug=COMMUNIQUE).update(published_at=timezone.now() - timedelta(days=1))
    cache.clear()
    assert records.kept_timeout() == settings.RECORD_CACHE_SECONDS


def test_a_lost_mark_has_the_body_made_again(client):
    assert_kept(client, DECLARATION_PAGE)
    point = KeyPoint.objects.filter(theme__declaration__slug=DECLARATION).first()
    cache.delete(records.mark_of(point))
    assert_made_again(client, DECLARATION_PAGE)
    _response, queries = read(client, DECLARATION_PAGE)
    assert queries == 0


def test_a_lost_mark_of_every_record_has_everything_made_again(client):
    assert_kept(client, DECLARATION_PAGE)
    cache.delete(records.EVERY_RECORD)
    assert_made_again(client, DECLARATION_PAGE)


def test_a_lost_counter_starts_again_above_every_count_it_gave():
    records.records_changed(None)
    given = cache.get(records.CHANGES_KEY)
    cache.delete(records.CHANGES_KEY)
    records.records_changed(None)
    assert cache.get(records.CHANGES_KEY) > given
    assert cache.get(records.EVERY_RECORD) == cache.get(records.CHANGES_KEY)


def test_what_was_made_while_a_record_it_shows_changed_is_not_kept():
    point = KeyPoint.objects.first()
    made = []

    def build():
        shown = KeyPoint.objects.get(pk=point.pk)
        made.append(shown.text_en)
        # An editor's save, between the read and the store.
        edited = KeyPoint.objects.get(pk=point.pk)
        edited.text_en = f"Edited {len(made)}"
        edited.save()
        return shown.text_en

    first = records.kept("test", ("a",), build)
    second = records.kept("test", ("a",), build)
    assert (first, second) == (point.text_en, "Edited 1")
    assert len(made) == 2


def test_what_is_made_from_unchanged_records_is_kept_once():
    calls = []

    def build():
        calls.append(1)
        return [point.text_en for point in KeyPoint.objects.filter(theme__declaration__slug=DECLARATION)]

    assert records.kept("test", ("b",), build) == records.kept("test", ("b",), build)
    assert len(calls) == 1
    assert records.kept("test", ("c",), build) and len(calls) == 2


def test_an_unreachable_cache_leaves_the_record_read_and_drawn(client, api):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    title = Declaration.objects.get(slug=DECLARATION).title_en
    with override_settings(CACHES=unreachable):
        assert title in client.get(DECLARATION_PAGE).content.decode()
        assert api.get(f"/api/v1/declarations/{DECLARATION}/").status_code == 200


def test_what_each_write_marks():
    point = KeyPoint.objects.first()
    mark = records.mark_of(point)

    def marks(instance, *, in_place=True):
        return records.marks_of_a_write(type(instance), instance, in_place=in_place)

    assert marks(point) == [mark]
    point.text_en = "Another text"
    assert marks(point) == [mark]
    point.number = 42
    assert marks(point) is None
    assert marks(KeyPoint.objects.first(), in_place=False) is None
    version = point.history.first()
    assert marks(version, in_place=False) == []
    correction = Correction(
        model="declarations.keypoint", object_id=point.pk, page_model="declarations.declaration", page_id=7
    )
    assert marks(correction, in_place=False) == [mark, records.record_mark("declarations.declaration", 7)]
    assert marks(PendingChange(), in_place=False) == []
    # A record that was not read from the database, whose loaded values are not known.
    assert marks(KeyPoint(pk=point.pk, theme=point.theme, number=point.number, text_en="x")) is None


def test_a_release_with_other_templates_keeps_under_other_keys(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    templates = tmp_path / "jinja2"
    templates.mkdir()
    (templates / "page.html").write_text("<p>{{ record }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
    records.release.cache_clear()
    try:
        before = records.kept_key("page", ("a",))
        (templates / "page.html").write_text("<p class=record>{{ record }}</p>")
        records.release.cache_clear()
        assert records.kept_key("page", ("a",)) != before
    finally:
        records.release.cache_clear()


LISTS = [
    "/{language}/",
    "/{language}/meetings/",
    "/{language}/meetings/?year=2023&portfolio=digital&kind=ministerial",
    "/{language}/meetings/?portfolio=digital",
    "/{language}/declarations/",
]
API_LISTS = [
    "/api/v1/meetings/",
    "/api/v1/declarations/?kind=ministerial_declaration",
    "/api/v1/meetings/?portfolio=digital",
]


def assert_kept_without_a_query(client, path, **headers):
    first, first_queries = read(client, path, **headers)
    second, second_queries = read(client, path, **headers)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second_queries == 0 < first_queries
    return second


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("page", LISTS)
def test_a_list_and_the_home_page_are_drawn_around_their_kept_body_as_drawn_whole(
    client, settings, page, language
):
    path = page.format(language=language)
    kept = assert_kept_without_a_query(client, path)
    settings.RECORD_CACHE_SECONDS = 0
    assert client.get(path).content == kept.content


@pytest.mark.parametrize("path", API_LISTS)
def test_an_api_list_page_is_kept_and_given_as_it_is_read(api, settings, path):
    first, first_queries = read(api, path)
    second, second_queries = read(api, path)
    assert second.content == first.content
    assert second_queries <= 1 < first_queries
    settings.RECORD_CACHE_SECONDS = 0
    assert api.get(path).content == second.content


@pytest.mark.parametrize(
    "path",
    [
        "/en/meetings/?q=digital",
        "/en/meetings/?ordering=title",
        "/en/meetings/?utm_source=mail",
        "/en/meetings/?year=2023&year=2022",
        "/en/meetings/?year=abc",
        "/en/commitments/",
    ],
)
def test_a_list_found_by_words_made_up_or_failed_or_reckoned_by_the_day_is_drawn_anew(client, path):
    first, first_queries = read(client, path)
    second, second_queries = read(client, path)
    assert second_queries == first_queries > 0
    assert first.status_code == second.status_code


def test_an_api_list_found_by_words_or_with_made_up_or_repeated_parameters_is_read_anew(api):
    for path in (
        "/api/v1/meetings/?q=digital",
        "/api/v1/meetings/?ordering=-title",
        "/api/v1/meetings/?utm_source=mail",
        "/api/v1/meetings/?year=2023&year=2022",
    ):
        first, first_queries = read(api, path)
        second, second_queries = read(api, path)
        assert first.status_code == second.status_code == 200, path
        assert second_queries == first_queries > 1, path


def test_a_change_of_texts_shows_at_once_in_a_list_that_shows_the_record(client):
    assert_kept_without_a_query(client, "/en/meetings/")
    assert_kept_without_a_query(client, "/en/declarations/")
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.short_title_en = "Takasaki, revised"
    meeting.title_en = "A revised meeting title"
    meeting.save()
    assert "A revised meeting title" in assert_made_again(client, "/en/meetings/")
    # The documents' list names the meeting of each: it read the meeting.
    assert "A revised meeting title" in assert_made_again(client, "/en/declarations/")


def test_a_meeting_added_shows_at_once_in_the_lists(client):
    listed = assert_kept_without_a_query(client, "/en/meetings/?year=2023").content.decode()
    nikko = Meeting.objects.get(slug=NIKKO)
    assert "A new meeting" not in listed
    Meeting.objects.create(
        slug="g7-2023-a-new-meeting",
        title_ja="新しい会合",
        title_en="A new meeting",
        short_title_ja="新会合",
        short_title_en="A new meeting",
        forum=nikko.forum,
        kind=nikko.kind,
        portfolio=nikko.portfolio,
        year=2023,
        presidency=nikko.presidency,
        status=nikko.status,
        published_at=nikko.published_at,
    )
    assert "A new meeting" in assert_made_again(client, "/en/meetings/?year=2023")


@pytest.mark.parametrize(
    "path", [page.format(language="en") for page in PAGES + LISTS] + API_RECORDS + API_LISTS
)
def test_a_body_made_and_kept_costs_the_queries_of_its_page_and_the_bound_one_query_a_generation(
    client, settings, path
):
    settings.RECORD_CACHE_SECONDS = 0
    _whole, whole_queries = read(client, path)
    settings.RECORD_CACHE_SECONDS = 600
    # How long anything may be kept (the next scheduled publication) is read once a content generation.
    generation = page_cache.current_generation()
    with CaptureQueriesContext(connection) as queries:
        page_cache.seconds_until_next_publication(generation)
        page_cache.seconds_until_next_publication(generation)
    assert len(queries) == 1
    _made, made_queries = read(client, path)
    assert made_queries == whole_queries <= 10
