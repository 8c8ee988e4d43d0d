from tests.api_support import fresh_throttle  # noqa: F401 (each test starts with no API throttle count)
