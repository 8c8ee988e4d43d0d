from tests.api_support import fresh_throttle  # noqa: F401 (an autouse fixture for every test here)
