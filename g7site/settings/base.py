"""Settings shared by every environment, read from one environment schema.

Each environment module (dev, test, prod) imports this one and changes only what differs.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats as import_export_formats

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Every variable the settings read, with its type and default; .env.example documents each one.
env = environ.Env(
    DJANGO_DEBUG=(bool, False),
    DJANGO_SECRET_KEY=(str, ""),
    DJANGO_ALLOWED_HOSTS=(list, []),
    DJANGO_CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, ""),
    DATABASE_REPLICA_URL=(str, ""),
    DATABASE_POOL_MAX_SIZE=(int, 4),
    DATABASE_POOL_TIMEOUT=(float, 3.0),
    DATABASE_CONNECT_TIMEOUT=(int, 2),
    DATABASE_STATEMENT_TIMEOUT=(float, 5.0),
    DATABASE_RETRY_SECONDS=(float, 5.0),
    REDIS_URL=(str, ""),
    DATABASE_PREPARED_STATEMENTS=(bool, True),
    DJANGO_PAGE_CACHE_SECONDS=(int, 600),
    DJANGO_PAGE_CACHE_LOCAL_ENTRIES=(int, 500),
    DJANGO_RECORD_CACHE_SECONDS=(int, 3600),
    DJANGO_LOG_LEVEL=(str, "INFO"),
    DJANGO_LOG_FORMAT=(str, "text"),
    DJANGO_STATIC_ROOT=(str, ""),
    DJANGO_BACKUP_DIR=(str, ""),
    DJANGO_TIME_ZONE=(str, "Asia/Tokyo"),
    DJANGO_NUM_PROXIES=(int, 0),
    CONTACT_EMAIL=(str, ""),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    EMAIL_URL=(str, ""),
    DJANGO_DEFAULT_FROM_EMAIL=(str, "g7site <noreply@localhost>"),
    DJANGO_IMPORT_MAX_BYTES=(int, 5 * 1024 * 1024),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DJANGO_DEBUG")
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("DJANGO_CSRF_TRUSTED_ORIGINS")

# Where readers send corrections, shown on the contact page (/{lang}/contact/); without it the page says
# that no address is given.
CONTACT_EMAIL = env("CONTACT_EMAIL").strip()

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    # The admin, with the project's site: translation dashboard, one-time passwords (publication/admin_site.py).
    "publication.apps.G7AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    # Parts of a record dragged into order in the admin (publication/admin.py, SortablePartsInlineMixin).
    "adminsortable2",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The base every record builds on, then the concerns around it, the domain, and what reads across it.
    "publication",
    "operations",
    "rendering",
    "meetings",
    "declarations",
    "commitments",
    "search",
    "discovery",
    "home",
    "bench",
]

MIDDLEWARE = [
    # Outermost, so that its log line times and records everything below, redirects and cached pages
    # included.
    "operations.middleware.RequestLogMiddleware",
    # A visitor's hit skips everything below: the page is stored with the headers the middleware below
    # gave it (security headers, the policy, Content-Language, Vary, ETag), and a page that used a CSP
    # nonce, a session or a CSRF token is never stored. Only visitors are served from it, told by their
    # cookies and headers (no session, no credentials). The key holds what the middleware below would
    # answer differently to: the scheme (an HTTP request SecurityMiddleware redirects is never stored),
    # the host (checked against ALLOWED_HOSTS), the path and query, the language LocaleMiddleware would
    # choose, and the headers PAGE_CACHE_PREFIXES lists.
    "operations.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "operations.middleware.ContentSecurityPolicyMiddleware",
    # With the other security headers, above ConditionalGetMiddleware, so that a 304 has it as a 200 does.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Plain HTTP to the API is refused, not redirected, where SECURE_SSL_REDIRECT is on (production).
    "operations.middleware.ApiOverHttpsOnlyMiddleware",
    # Before anything that reads the database, so that visitors' reads can go to the replica.
    "operations.middleware.ReplicaReadsMiddleware",
    # Django's, with English rather than Japanese for a visitor who asks for neither.
    "operations.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # An ETag on every page, so that a browser or proxy holding the page gets a 304 (before the page is
    # cached, so that a cached page keeps its ETag and a hit answers 304 too).
    "django.middleware.http.ConditionalGetMiddleware",
    # Turns a view's database error into the 503 page while the database is down, and answers that page
    # at once, without running the view, once the process knows it is down (operations/outage.py).
    "operations.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "g7site.urls"
# The search engine that answers the API's `?q=` (publication/api/filters.py).
SEARCH_RANKING = "search.engine.rank"
WSGI_APPLICATION = "g7site.wsgi.application"

# The public pages are Jinja2 templates (jinja2/, rendering/jinja.py); the admin's and the error pages that stand
# alone (templates/) are Django templates. Django asks the engines in this order for a template's name.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "rendering.jinja.environment",
            "context_processors": ["django.template.context_processors.i18n"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # {{ CSP_NONCE }} for an inline script; a page that uses it is never cached.
                "csp.context_processors.nonce",
            ],
        },
    },
]


def prepared_statements() -> dict:
    """PostgreSQL's OPTIONS for statements prepared by the server: parameters bound by PostgreSQL (Django's
    documented option for psycopg 3), and psycopg's automatic preparation, which Django turns off by default,
    back on (prepare_threshold): a statement that a connection has run five times is prepared, and PostgreSQL
    neither parses nor plans it again. Both off with DATABASE_PREPARED_STATEMENTS=false, behind a pooler that
    cannot keep a prepared statement for the connection that made it (pgbouncer in transaction mode before
    1.21)."""
    prepared = env("DATABASE_PREPARED_STATEMENTS")
    return {"server_side_binding": prepared, "prepare_threshold": 5 if prepared else None}


def database(url: str) -> dict:
    """A DATABASES entry from a URL, tuned for its engine.

    PostgreSQL: Django's backend on psycopg 3, with Django's connection pool in each process (so no
    persistent connections, CONN_MAX_AGE 0); CONN_HEALTH_CHECKS makes the pool check a connection before
    handing it out, so the site recovers by itself after the server comes back; bounded waits, so a
    visitor gets the 503 page in a few seconds rather than a hang: for a connection from the pool
    (DATABASE_POOL_TIMEOUT), for a new connection (libpq's connect_timeout), for a statement (PostgreSQL's
    statement_timeout, and operations/outage.py's watchdog where the server does not answer at all).
    SQLite: WAL, so readers never wait for the writer; IMMEDIATE transactions, so a transaction takes the
    write lock when it begins and waits busy_timeout for it, instead of failing with "database is
    locked" when it upgrades from reading to writing; a connection kept by each process or thread for
    ten minutes, since opening one (its pragmas, and the SQL functions Django registers) costs about as
    much as a simple page.
    """
    config = env.db_url_config(url)
    config["ATOMIC_REQUESTS"] = True
    config["CONN_HEALTH_CHECKS"] = True
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = 0
        # libpq's TCP keepalives on an idle pooled connection, every minute (the system's default is two
        # hours): a firewall or load balancer between the processes and the server does not drop it for
        # idleness, and a server that went away without a word is noticed (the pool's check then fails on
        # the connection, and replaces it).
        options.update(keepalives=1, keepalives_idle=60, keepalives_interval=10, keepalives_count=3)
        # A server that takes the connection but never completes it (hung, or behind a dead address that
        # drops packets) fails the attempt in this many seconds (libpq's minimum is 2).
        options["connect_timeout"] = env("DATABASE_CONNECT_TIMEOUT")
        # The server cancels a statement that runs longer (a lock held by a migration, a stalled disk):
        # the visitor gets the 503 page, the worker is free. 0 leaves the server's own setting.
        statement_timeout = round(env("DATABASE_STATEMENT_TIMEOUT") * 1000)
        if statement_timeout:
            given = options.get("options", "")
            options["options"] = f"{given} -c statement_timeout={statement_timeout}".strip()
        options.update(prepared_statements())
        options["pool"] = {
            "min_size": 1,
            "max_size": env("DATABASE_POOL_MAX_SIZE"),
            "timeout": env("DATABASE_POOL_TIMEOUT"),
            # The pool retries a lost server with growing delays, and starts over from a second after
            # this many seconds: the site is back within seconds of the database, however long it was gone.
            "reconnect_timeout": 10,
        }
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 600
        options["transaction_mode"] = "IMMEDIATE"
        options["init_command"] = (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000"
        )
    return config


# The embedded SQLite database unless DATABASE_URL names another, e.g. postgres://user:password@host/name.
DATABASES = {"default": database(env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if env("DATABASE_REPLICA_URL"):
    # A streaming replica of the primary: visitors' reads (operations/db_router.py), never a transaction.
    DATABASES["replica"] = database(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["operations.db_router.PrimaryReplicaRouter"]
# While PostgreSQL is down or hung (operations/outage.py): the statement timeout above, past which (and two
# seconds more) a request's connection whose server has not answered is dropped; and how long a process
# that found the database unreachable answers the 503 page at once before trying it again.
DATABASE_STATEMENT_TIMEOUT = env("DATABASE_STATEMENT_TIMEOUT")
DATABASE_RETRY_SECONDS = env("DATABASE_RETRY_SECONDS")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# No rule on which characters a password is made of (OWASP ASVS 5.0, V6.2.5), so not Django's
# NumericPasswordValidator: a long passphrase of digits is allowed; a short or common one is not.

# Languages: Japanese is the source language and the default; English is the translation.
LANGUAGE_CODE = "ja"
LANGUAGES = [
    ("ja", _("Japanese")),
    ("en", _("English")),
]
# The language of a visitor whose address, language cookie and browser name neither of LANGUAGES (`/` with
# Accept-Language: fr, or none): English, for an international audience. LANGUAGE_CODE stays Japanese, the
# source language, for everything else (the API's default, messages outside a request).
INTERNATIONAL_LANGUAGE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("DJANGO_TIME_ZONE")

MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_LANGUAGES = ("ja", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ja",)

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The API (docs/api.md): anonymous clients read published records; editors write with a token under
# the admin's model permissions. Token first, so that an anonymous write is a 401 that names the scheme.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["publication.api.permissions.ModelPermissionsOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["publication.api.filters.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["publication.api.parsers.JSONWithoutNulParser"],
    "DEFAULT_THROTTLE_CLASSES": ["publication.api.throttling.AnonRateThrottle"],
    # Throttle counts live in the default cache, shared by every process where the cache is.
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="60/min")},
    # The proxies in front that append the address they saw to X-Forwarded-For: the client is the address
    # that many from the right. 0 (the default): the header is not believed, the connection's address is
    # the client's. Never None, with which DRF would believe the whole header, whoever sent it.
    "NUM_PROXIES": env("DJANGO_NUM_PROXIES"),
    "DEFAULT_SCHEMA_CLASS": "publication.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "publication.api.errors.exception_handler",
    # `format` is the API's own parameter (json or csv), not DRF's renderer override.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "g7site API",
    "DESCRIPTION": "The meetings of Japan's 2023 G7 presidency and their outcome documents, in Japanese and "
    "English. See docs/api.md for languages, filters, pagination, conditional GET, exports and errors.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "publication.api.schema.closed_request_bodies",
        "meetings.api.state_the_summit_rule",
    ],
    # Swagger UI from the project's own static files, never a CDN; with no validator, whose badge Swagger UI
    # would otherwise load from validator.swagger.io on any host but localhost.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several models have a `kind`; each set of choices gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "meetings.models.MeetingKind",
        "OrganizationKindEnum": "meetings.models.OrganizationKind",
        "DeclarationKindEnum": "declarations.models.DeclarationKind",
        "AnnexKindEnum": "declarations.models.AnnexKind",
        # A document's authentic language and an official text's language: ja or en.
        "LanguageEnum": "declarations.models.LANGUAGE_CHOICES",
        "SearchKindEnum": "search.models.Kind",
    },
}

# Editorial workflow: sign-in lockout, history, imports.
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# The client's address as the API's throttle takes it (NUM_PROXIES above), so that a lockout holds for the
# client behind the proxy, and no X-Forwarded-For a client makes up escapes it.
AXES_CLIENT_IP_CALLABLE = "publication.api.throttling.client_address"
# Old versions are shown read-only; restoring one goes through publication.history.restore_version, which
# keeps optimistic locking and records who restored what.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_FORMATS = [import_export_formats.CSV, import_export_formats.JSON]
# The largest file the admin's import takes: the presidency's records are under 100 kB in all, and a file is
# read into memory and checked row by row in one request.
IMPORT_MAX_BYTES = env("DJANGO_IMPORT_MAX_BYTES")
# Staff must confirm a one-time password (TOTP) to use the admin when this is on (production).
ADMIN_REQUIRE_2FA = env.bool("DJANGO_ADMIN_REQUIRE_2FA", default=False)

# Caches: Redis shared by every process when REDIS_URL is set (redis://host:6379/0), else memory of
# this process only, enough for the embedded default and `make run`.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "g7site",
            # redis-py's connection pool options. A cache that does not answer slows no page by more than
            # this: pages are then rendered without it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        # The pages each process served last, in its own memory, answered from while Redis says the
        # content generation is unchanged (operations/generation.py); the least recently used go first.
        "local-pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "local-pages",
            "OPTIONS": {"MAX_ENTRIES": env("DJANGO_PAGE_CACHE_LOCAL_ENTRIES")},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "g7site",
            "KEY_PREFIX": "g7site",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# The shared page cache (operations/cache.py, operations/middleware.py): visitors' GET responses under these
# path prefixes, in this cache, keyed also on the request headers listed for each; 0 seconds turns it off.
# Each process keeps the pages it served last in the cache of PAGE_CACHE_LOCAL_ALIAS too, where there is
# Redis to tell it when they are out of date.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_LOCAL_ALIAS = "local-pages"
PAGE_CACHE_SECONDS = env("DJANGO_PAGE_CACHE_SECONDS")
# The record cache (operations/records.py), in the page cache's cache: what a record's page body and API
# record are made of, kept until a record they show changes, for at most this long; 0 turns it off.
RECORD_CACHE_SECONDS = env("DJANGO_RECORD_CACHE_SECONDS")
PAGE_CACHE_PREFIXES = {
    "/ja/": (),
    "/en/": (),
    # The API chooses its language and format from the request's headers, not from the address.
    "/api/v1/": ("Accept", "Accept-Language"),
}

# Security headers. Production adds HSTS, TLS redirects and secure cookies (prod.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The admin's messages ("saved", …) are kept in the session, not in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp 4): everything from this origin only, nothing inline, no frames.
# Templates that need an inline script give it nonce="{{ CSP_NONCE }}".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        # No <base> element anywhere: none may change where the page's relative addresses lead.
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The only page that needs more (operations.middleware.ContentSecurityPolicyMiddleware), for its own path:
# Swagger UI's page has fixed inline blocks, allowed by their hashes.
CSP_PATH_EXCEPTIONS = {
    "/api/docs/": {"hash-inline": True},
}

# Logs: one line a request (operations.middleware.RequestLogMiddleware) and Django's own, on stdout, as text
# or as JSON lines (DJANGO_LOG_FORMAT=json, the production default), at DJANGO_LOG_LEVEL.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "operations.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "operations.logging.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": env("DJANGO_LOG_FORMAT"),
        },
    },
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL")},
    "loggers": {
        # The request log says the same as runserver's own line.
        "django.server": {"level": "WARNING"},
        # django-axes announces its version at every start of every command.
        "axes": {"level": "WARNING"},
    },
}

# The site's own address, scheme and host without a trailing slash: the absolute links of the e-mails sent
# to publishers (publication/notifications.py) start with it.
SITE_URL = env("SITE_URL")
# E-mail (publishers are told of changes awaiting review): printed on the console here and in development;
# production sends it through the SMTP server of EMAIL_URL (g7site/settings/prod.py).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Backups (`make backup`, `make restore`): timestamped files in this directory.
BACKUP_DIR = Path(env("DJANGO_BACKUP_DIR") or BASE_DIR / "backups")
