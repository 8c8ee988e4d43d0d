import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publisher_api(publisher):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=publisher).key}")
    return client


@pytest.fixture
def reader_api(django_user_model):
    """A signed-in user with no permissions: reads like an anonymous client, writes nothing."""
    user = django_user_model.objects.create_user("reader", password="a-long-reader-password")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
