import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def count_queries(client):
    """The number of queries a GET of `url` makes (the response must be a 200)."""

    def count(url, **headers):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, **headers)
        assert response.status_code == 200, url
        return len(context.captured_queries)

    return count
