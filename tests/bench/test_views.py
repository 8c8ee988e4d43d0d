"""The benchmark's floor (bench/views.py): a constant answer that reads no database."""

import pytest

from bench.views import floor


@pytest.mark.django_db
def test_the_floor_answers_a_constant_text_without_a_query(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = floor(rf.get("/bench/floor"))
    assert response.status_code == 200
    assert response.content == b"floor"
    assert response["Content-Type"] == "text/plain"
