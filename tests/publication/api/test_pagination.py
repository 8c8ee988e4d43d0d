"""Pages of a list (publication/api/pagination.py): links between them, twenty by default, the CSV refusing
the pages and sizes the JSON refuses, a 404 for a page that does not exist."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_link_to_each_other(api):
    first = api.get("/api/v1/prefectures/", {"page_size": 20}).json()
    assert first["count"] == 47 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/prefectures/?page=2&page_size=20"
    last = api.get("/api/v1/prefectures/", {"page_size": 20, "page": 3}).json()
    assert [prefecture["code"] for prefecture in last["results"]] == [str(code) for code in range(41, 48)]
    assert last["next"] is None and last["previous"].endswith("page=2&page_size=20")


def test_the_default_page_holds_twenty(api):
    assert len(api.get("/api/v1/prefectures/").json()["results"]) == 20


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "-3"}, {"page": "abc"}])
def test_the_csv_of_a_list_refuses_a_page_that_the_json_refuses(api, params):
    response = api.get("/api/v1/organizations/", {"format": "csv", **params})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Invalid page") or response.json()["detail"]


@pytest.mark.parametrize("page_size", ["0", "101", "null"])
def test_the_csv_of_a_list_refuses_a_page_size_that_the_json_refuses(api, page_size):
    response = api.get("/api/v1/people/", {"format": "csv", "page_size": page_size})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "1" * 5000, "2"])
def test_a_page_that_does_not_exist_is_a_404_naming_it(api, page):
    response = api.get("/api/v1/declarations/", {"page": page, "lang": "en"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Invalid page")
