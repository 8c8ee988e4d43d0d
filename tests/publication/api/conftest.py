import pytest
from django.core.cache import cache

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
