"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL names one; fast hashing."""

from .base import *  # noqa: F403
from .base import env, prepared_statements

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES = {"default": env.db_url_config(env("DATABASE_URL") or "sqlite:///:memory:")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["TEST"] = {"NAME": None}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements bound and prepared by the server, as production has them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(prepared_statements())
# Anonymous API clients are throttled in production; the suite makes hundreds of anonymous requests
# (schemathesis), and the throttle's own test sets a low rate itself.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/min"}}  # noqa: F405
# Tests never commit, and a rollback sends no signal to invalidate pages cached during a test: the page
# cache is off here, and tests/operations turns it on where it is under test.
PAGE_CACHE_SECONDS = 0
# Likewise what the record cache keeps (operations/records.py): tests/operations turns it on.
RECORD_CACHE_SECONDS = 0
# Messages are kept in memory (django.core.mail.outbox), never sent.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "https://g7.example.org"
