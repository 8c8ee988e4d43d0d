"""Who may do what at every address of the admin and the API: one table, the README's table of roles.

`POLICY` maps each admin and API route (as Django's URL resolver writes it out from the root) to a `Rule`:
for each method, who may use it. tests/g7site/test_policy.py walks the resolver, requests every route with
real records as anonymous, editor, publisher and superuser, and holds each answer to this table, so a
route added without an entry here fails the suite.

Who may is one of the capabilities below; `ROLES` says which capabilities each role has (README.md, "The
admin"). A role without the capability is refused: in the admin, an anonymous visitor is sent to the
sign-in page and a member of staff answered 403; in the API, 401 or 403. Where an address answers
otherwise whoever asks (a method a view does not take, an address that names nothing), the rule says what
every role gets instead (`Same`).
"""

from dataclasses import dataclass, field

ANONYMOUS, EDITOR, PUBLISHER, SUPERUSER = "anonymous", "editor", "publisher", "superuser"

# Capabilities.
PUBLIC = "public"  # anyone, signed in or not: the public records, the API's reads, its schema and docs
STAFF = "staff"  # any member of staff: the admin's home, own password, translations to do
EDIT = "edit"  # view drafts, add, change (a published record's change waits for review), import, history
PUBLISH = "publish"  # publish, schedule, review; delete a published record or a part of one
ACCOUNTS = "accounts"  # users, groups, API tokens, one-time password devices, the sign-in lockout's records
NOBODY = "nobody"  # a page no role has (records that only the system writes)

ROLES = {
    ANONYMOUS: {PUBLIC},
    EDITOR: {PUBLIC, STAFF, EDIT},
    PUBLISHER: {PUBLIC, STAFF, EDIT, PUBLISH},
    SUPERUSER: {PUBLIC, STAFF, EDIT, PUBLISH, ACCOUNTS},
}

# The answers a test tells apart.
OK = "ok"  # 2xx, a redirect other than to the sign-in page, or a refusal of the input (400, 409, …)
LOGIN = "login"  # a redirect to the admin's sign-in page
DENIED = "denied"  # 401 or 403
MISSING = "missing"  # 404
NOT_ALLOWED = "not_allowed"  # 405


@dataclass(frozen=True)
class Same:
    """The same answer to every role, whatever it may do: `answer`, or `anonymous` for a visitor who is
    not signed in where that differs (the admin sends them to sign in first)."""

    answer: str
    anonymous: str | None = None


@dataclass(frozen=True)
class Rule:
    """Who may use each method of a route: a capability, or `Same`. Methods left out are not requested;
    `refused` lists methods the route does not take, which every role must be refused (401, 403 or 405).
    `drafts` is who may read a draft record at the route's address: to anyone else it does not exist (404)."""

    admin: bool
    methods: dict = field(default_factory=dict)
    refused: tuple = ()
    drafts: str | None = None


def admin(get, post=None) -> Rule:
    return Rule(admin=True, methods={"get": get, "post": get if post is None else post})


def api(get=PUBLIC, refused=(), drafts=None, **writes) -> Rule:
    return Rule(admin=False, methods={"get": get, **writes}, refused=refused, drafts=drafts)


# The admin's pages of one model: {suffix of the route after admin/<app>/<model>/: rule}.
def model_pages(
    view, add, change, delete, restore, *, history=True, exports=False, imports=False, review=False
):
    pages = {
        "": admin(view, add),  # the change list; a POST runs an action on the selected rows
        "add/": admin(add),
        "<path:object_id>/history/": admin(view),
        "<path:object_id>/delete/": admin(delete),
        "<path:object_id>/change/": admin(view, change),
        "<path:object_id>/": admin(STAFF),  # Django's redirect to …/change/
    }
    if history:
        pages |= {
            "<path:object_id>/history/compare/": admin(view),
            "<path:object_id>/history/<int:history_id>/restore/": admin(restore),
            "^([^/]+)/history/([^/]+)/$": admin(view),  # one version (django-simple-history)
        }
    if exports:
        pages["export/"] = admin(view)
    if imports:
        pages |= {
            "import/": admin(EDIT),
            # The second step of an import only takes the first step's form.
            "process_import/": admin(Same(NOT_ALLOWED, anonymous=LOGIN), EDIT),
        }
    if review:
        # A POST publishes or discards the change awaiting review: a publisher's, or its own author's.
        pages["<path:object_id>/review/"] = admin(EDIT, PUBLISH)
    return pages


# Reference data (sources, prefectures, organisations, people): reviewed when a published record uses
# it, and deleted by editors only when none does (the deletion itself refuses a used record: 409).
REFERENCE = model_pages(EDIT, EDIT, EDIT, EDIT, EDIT, exports=True, review=True)
# A public record (meetings, documents): editors prepare it, publishers publish and delete it.
RECORD = model_pages(EDIT, EDIT, EDIT, PUBLISH, EDIT, exports=True, imports=True, review=True) | {
    # The change form's unsaved values on the public page: a POST of the form, by whoever may change it.
    "<path:object_id>/preview/<str:language>/": admin(Same(NOT_ALLOWED, anonymous=LOGIN), EDIT),
}
# A part of a document (themes, annexes, footnotes, key points, communiqué items): an editor's change to
# a published document's part waits for review with the document's; publishers delete and restore it
# (the fixtures' documents, which the test uses, are published).
PART = model_pages(EDIT, EDIT, EDIT, PUBLISH, PUBLISH, exports=True)
ACCOUNT = model_pages(ACCOUNTS, ACCOUNTS, ACCOUNTS, ACCOUNTS, ACCOUNTS, history=False)
# The sign-in lockout's records are written by django-axes alone: a superuser reads and deletes them.
LOCKOUT = ACCOUNT | {"add/": admin(NOBODY)}

ADMIN_MODELS = {
    "auth/group": ACCOUNT,
    "auth/user": ACCOUNT | {"<id>/password/": admin(ACCOUNTS)},
    "authtoken/tokenproxy": ACCOUNT,
    "axes/accessattempt": LOCKOUT,
    "axes/accesslog": LOCKOUT,
    "axes/accessfailurelog": LOCKOUT,
    "otp_totp/totpdevice": ACCOUNT
    | {"<int:pk>/config/": admin(ACCOUNTS), "<int:pk>/qrcode/": admin(ACCOUNTS)},
    "otp_static/staticdevice": ACCOUNT,
    "core/source": REFERENCE,
    "meetings/prefecture": REFERENCE,
    "meetings/organization": REFERENCE,
    "meetings/person": REFERENCE,
    "meetings/meeting": RECORD,
    "declarations/declaration": RECORD,
    "declarations/theme": PART,
    "declarations/annex": PART,
    "declarations/footnote": PART,
    "declarations/communiqueitem": PART,
    "declarations/keypoint": PART,
    "commitments/commitment": RECORD,
    "commitments/followup": RECORD,
    "commitments/earliercommitment": RECORD,
    # A commitment's assessment is its part: publishers change that of a published commitment.
    "commitments/assessment": PART,
    "declarations/officialtext": PART,
}

ADMIN_SITE = {
    "admin/": admin(STAFF),
    "admin/translations/": admin(STAFF),
    "admin/login/": admin(PUBLIC),
    # Signing out is a POST; a visitor not signed in is sent on whatever the method.
    "admin/logout/": admin(Same(NOT_ALLOWED, anonymous=OK), PUBLIC),
    "admin/password_change/": admin(STAFF),
    "admin/password_change/done/": admin(STAFF, Same(NOT_ALLOWED, anonymous=LOGIN)),
    "admin/autocomplete/": admin(EDIT, Same(NOT_ALLOWED, anonymous=LOGIN)),
    "admin/jsi18n/": admin(STAFF, Same(NOT_ALLOWED, anonymous=LOGIN)),
    "admin/r/<path:content_type_id>/<path:object_id>/": admin(STAFF),
    # An app's page lists the models the user may see; with none it is a 404.
    "admin/^(?P<app_label>auth|authtoken|axes|otp_totp|otp_static|core|meetings|declarations|commitments)/$": admin(
        STAFF
    ),
    "admin/(?P<url>.*)$": admin(Same(MISSING, anonymous=LOGIN)),
}


def api_resource(
    segment: str, key: str = "slug", *, delete: str = PUBLISH, drafts: str | None = EDIT
) -> dict:
    """The router's routes of a resource: a list (and a POST to add), its export, its records.

    A change to a published record is an editor's too (it waits for review: 202); its deletion is
    `delete`'s. The records tested are the fixtures' published ones."""
    lists = api(post=EDIT, refused=("delete",))
    export = api(refused=("post",))
    detail = api(put=EDIT, patch=EDIT, delete=delete, refused=("post",), drafts=drafts)
    history = api(refused=("post",), drafts=drafts)
    # With a format suffix: the record's slug takes the suffix in, so no record answers.
    suffixed_detail = Rule(admin=False, methods={"get": Same(MISSING)})
    return {
        f"api/v1/^{segment}/$": lists,
        rf"api/v1/^{segment}\.(?P<format>[a-z0-9]+)/?$": lists,
        f"api/v1/^{segment}/export/$": export,
        rf"api/v1/^{segment}/export\.(?P<format>[a-z0-9]+)/?$": export,
        f"api/v1/^{segment}/(?P<{key}>[^/]+)/$": detail,
        rf"api/v1/^{segment}/(?P<{key}>[^/]+)\.(?P<format>[a-z0-9]+)/?$": suffixed_detail,
        # A record's public history: read as the record is.
        f"api/v1/^{segment}/(?P<{key}>[^/]+)/history/$": history,
        rf"api/v1/^{segment}/(?P<{key}>[^/]+)/history\.(?P<format>[a-z0-9]+)/?$": history,
    }


def api_parts(segment: str) -> dict:
    """A document's numbered parts: listed across documents, found within their document. An editor's
    change, addition or deletion of a part of a published document (those tested) waits for review: 202."""
    return {
        f"api/v1/{segment}/": api(post=EDIT, refused=("delete",)),
        f"api/v1/{segment}/export/": api(refused=("post",)),
        f"api/v1/declarations/<str:slug>/{segment}/<int:number>/": api(
            put=EDIT, patch=EDIT, delete=EDIT, refused=("post",), drafts=EDIT
        ),
        f"api/v1/declarations/<str:slug>/{segment}/<int:number>/history/": api(
            refused=("post",), drafts=EDIT
        ),
    }


def api_read_only(segment: str, key: str = "slug") -> dict:
    """A resource that the API only reads (the commitment register: editors keep it in the admin): every
    write is refused, and a draft is read by those who may change it."""
    lists = api(refused=("post", "delete"))
    export = api(refused=("post",))
    detail = api(refused=("post", "put", "patch", "delete"), drafts=EDIT)
    history = api(refused=("post",), drafts=EDIT)
    suffixed_detail = Rule(admin=False, methods={"get": Same(MISSING)})
    return {
        f"api/v1/^{segment}/$": lists,
        rf"api/v1/^{segment}\.(?P<format>[a-z0-9]+)/?$": lists,
        f"api/v1/^{segment}/export/$": export,
        rf"api/v1/^{segment}/export\.(?P<format>[a-z0-9]+)/?$": export,
        f"api/v1/^{segment}/(?P<{key}>[^/]+)/$": detail,
        rf"api/v1/^{segment}/(?P<{key}>[^/]+)\.(?P<format>[a-z0-9]+)/?$": suffixed_detail,
        f"api/v1/^{segment}/(?P<{key}>[^/]+)/history/$": history,
        rf"api/v1/^{segment}/(?P<{key}>[^/]+)/history\.(?P<format>[a-z0-9]+)/?$": history,
    }


API = {
    **api_parts("themes"),
    **api_parts("annexes"),
    **api_parts("communique-items"),
    **api_resource("meetings"),
    **api_resource("declarations"),
    # Reference data has no drafts; editors delete what no published record uses (409 for the rest).
    **api_resource("organizations", delete=EDIT, drafts=None),
    **api_resource("people", delete=EDIT, drafts=None),
    **api_resource("prefectures", "code", delete=EDIT, drafts=None),
    **api_read_only("commitments"),
    **api_read_only("follow-ups"),
    **api_read_only("earlier-commitments"),
    **api_read_only("assessments"),
    # A document's official texts, and the document as Akoma Ntoso XML: read as its record is.
    r"api/v1/^declarations/(?P<slug>[^/]+)/official-texts/$": api(refused=("post",), drafts=EDIT),
    r"api/v1/^declarations/(?P<slug>[^/]+)/official-texts\.(?P<format>[a-z0-9]+)/?$": api(
        refused=("post",), drafts=EDIT
    ),
    "api/v1/declarations/<str:slug>/akn/": api(refused=("post",), drafts=EDIT),
    "api/v1/search/": api(refused=("post",)),
    "api/v1/": api(refused=("post",)),
    "api/v1/<drf_format_suffix:format>": Rule(admin=False, methods={"get": Same(MISSING)}),
    "api/schema/": api(refused=("post",)),
    "api/docs/": api(refused=("post",)),
    # A permanent redirect to /api/docs/, whatever the method.
    "api/docs/redoc/": api(),
    # Anything else under /api/ is the API's JSON 404.
    "api/^.*$": Rule(admin=False, methods={"get": Same(MISSING), "post": Same(MISSING)}),
}

POLICY: dict[str, Rule] = {
    **ADMIN_SITE,
    **{
        f"admin/{model}/{suffix}": rule
        for model, pages in ADMIN_MODELS.items()
        for suffix, rule in pages.items()
    },
    **API,
}


def expected(rule: Rule, method: str, role: str) -> set[str]:
    """The answers `rule` allows `role` for `method`."""
    if method in rule.refused:
        return {DENIED, NOT_ALLOWED}
    who = rule.methods[method]
    if isinstance(who, Same):
        return {who.anonymous if role == ANONYMOUS and who.anonymous else who.answer}
    if who in ROLES[role]:
        return {OK}
    return {LOGIN if rule.admin and role == ANONYMOUS else DENIED}


def expected_of_draft(rule: Rule, role: str) -> set[str]:
    """The answers `rule` allows `role` for a GET of a draft record."""
    return {OK if rule.drafts in ROLES[role] else MISSING}
