"""The shared viewset (publication/api/views.py): conditional GET (a client that has a response already gets a
304 when nothing has changed) and a record's public history."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import parse_http_date

from declarations.models import Declaration
from meetings.models import Meeting
from tests.api_support import DECLARATION, TAKASAKI

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/meetings/",
    f"/api/v1/meetings/{TAKASAKI}/",
    "/api/v1/declarations/",
    f"/api/v1/declarations/{DECLARATION}/",
    "/api/v1/themes/",
    f"/api/v1/declarations/{DECLARATION}/themes/1/",
    "/api/v1/annexes/",
    f"/api/v1/declarations/{DECLARATION}/annexes/1/",
    "/api/v1/communique-items/",
]


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_request_with_the_etag_is_a_304(api, url):
    first = api.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"].startswith('"')
    assert first.headers["Last-Modified"]
    again = api.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_request_with_if_modified_since_is_a_304(api, url):
    first = api.get(url)
    again = api.get(url, HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/api/v1/prefectures/", "/api/v1/organizations/mic/", "/api/v1/search/?q=AI"]
)
def test_records_without_a_change_time_answer_to_the_etag_only(api, url):
    first = api.get(url)
    assert "Last-Modified" not in first.headers
    assert api.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"]).status_code == 304


def test_the_etag_differs_by_language(api):
    japanese = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "ja"})
    english = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"})
    assert japanese.headers["ETag"] != english.headers["ETag"]
    stale = api.get(
        f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}, HTTP_IF_NONE_MATCH=japanese.headers["ETag"]
    )
    assert stale.status_code == 200


def test_a_change_makes_the_old_validators_stale(api):
    first = api.get(f"/api/v1/meetings/{TAKASAKI}/")
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.summary_ja = "改訂された要約"
    meeting.save()
    again = api.get(f"/api/v1/meetings/{TAKASAKI}/", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 200
    assert again.json()["summary"] == "改訂された要約"


def test_a_record_published_on_schedule_moves_last_modified(api):
    """A scheduled record appears without being saved; its publish time counts as a change."""
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Meeting.objects.update(updated_at=long_ago)
    Declaration.objects.update(updated_at=long_ago)
    published_at = timezone.now() - datetime.timedelta(seconds=1)
    Meeting.objects.filter(slug="g7-2023-hiroshima-summit").update(published_at=published_at)
    response = api.get("/api/v1/meetings/")
    assert parse_http_date(response.headers["Last-Modified"]) == int(published_at.timestamp())


def correct(record, note, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._change_reason = note
    record.save()


def test_a_record_gives_its_public_history_with_its_parts_corrections(api, django_assert_max_num_queries):
    from declarations.models import Declaration

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    theme = declaration.themes.get(number=1)
    old = theme.title_en
    correct(theme, "The official English title.", title_en="Promoting DFFT")
    point = theme.key_points.get()
    correct(point, "誤記の訂正", text_ja=point.text_ja + "（訂正）")
    with django_assert_max_num_queries(10):
        response = api.get(f"/api/v1/declarations/{declaration.slug}/history/", {"lang": "en"})
    assert response.status_code == 200
    newest, oldest = response.json()
    assert newest["kind"] == "declarations.keypoint" and newest["note"] == "誤記の訂正"
    assert oldest["kind"] == "declarations.theme" and oldest["anchor"] == "theme-1"
    assert oldest["changes"] == [
        {
            "field": "title",
            "before": {"ja": theme.title_ja, "en": old},
            "after": {"ja": theme.title_ja, "en": "Promoting DFFT"},
        }
    ]
    own = api.get(f"/api/v1/declarations/{declaration.slug}/themes/1/history/").json()
    assert [entry["note"] for entry in own] == ["The official English title."]
    assert api.get(f"/api/v1/declarations/{declaration.slug}/themes/2/history/").json() == []


def test_the_history_of_a_record_the_public_cannot_see_is_a_404(api):
    from declarations.models import Declaration

    Declaration.objects.filter(slug="g7-2023-digital-and-tech-ministerial-declaration").update(status="draft")
    response = api.get("/api/v1/declarations/g7-2023-digital-and-tech-ministerial-declaration/history/")
    assert response.status_code == 404
    assert api.get("/api/v1/declarations/no-such-document/history/").status_code == 404
    assert (
        api.get("/api/v1/declarations/g7-2023-hiroshima-leaders-communique/themes/7/history/").status_code
        == 404
    )
