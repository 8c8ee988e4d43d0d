"""Production: several gunicorn processes behind a TLS-terminating reverse proxy, PostgreSQL, Redis.

Every secret and host comes from the environment, with no default; docs/deployment.md says how to run it.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
if not env("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")

# Pages cached in one process's memory could not be invalidated by a change made through another:
# without a shared cache (REDIS_URL), neither pages nor records are cached, and `check --deploy` says so.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    PAGE_CACHE_SECONDS = 0
    RECORD_CACHE_SECONDS = 0

# The benchmark's constant-string view (bench/views.py), for `make bench` only.
BENCH_FLOOR = env.bool("G7SITE_BENCH_FLOOR", default=False)

# The proxy terminates TLS and says so in X-Forwarded-Proto; it must set (not pass on) that header.
# Staff confirm a one-time password after their password (`manage.py add_totp_device` gives them one).
ADMIN_REQUIRE_2FA = env.bool("DJANGO_ADMIN_REQUIRE_2FA", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer's health checks may come over plain HTTP from inside the network. The API is not
# redirected either: operations.middleware.ApiOverHttpsOnlyMiddleware refuses plain HTTP there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^api/"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix: a browser keeps these cookies only if they are Secure, for the path / and with no
# Domain, so no other host under the site's domain can set or read them (OWASP ASVS 5.0, V3.3.1, V3.3.3).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# The language a visitor chose (/i18n/setlang/), under the same rules.
LANGUAGE_COOKIE_NAME = "__Host-django_language"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Django's forms carry the token in the page; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True

# Static files are answered right after the security headers are set, before sessions, languages or
# the database are looked at.
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
# Hashed names (css/site.3f2a….css), which whitenoise serves with a year's Cache-Control and compressed
# copies made once by collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# JSON lines on stdout for the log collector.
LOGGING["handlers"]["stdout"]["formatter"] = env("DJANGO_LOG_FORMAT", default="json")  # noqa: F405

# E-mail through the SMTP server that EMAIL_URL names (smtp+tls://user:password@host:587, smtps://… for
# implicit TLS); without one, messages are only logged on the console, and the notices to publishers with
# them. A server that fails never fails an editor's save (publication/notifications.py logs it).
if env("EMAIL_URL"):
    _email = env.email_url_config(env("EMAIL_URL"))
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
    # Seconds a save waits at most on an SMTP server that does not answer (after the save has committed).
    EMAIL_TIMEOUT = 10
# The site's address in e-mails: SITE_URL, or the first allowed host over HTTPS.
SITE_URL = env.str("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}")
