"""Every admin and API address, for every role and method, answers as g7site/policy.py declares.

The addresses come from Django's URL resolver, so a new route without an entry in the policy fails here.
Each is requested with real records of the fixtures. A write carries a minimal body (empty, or for a PUT the
record as it is), since what matters is the permission's answer: a refused body (400, 409, …) has got past
the permission check. Each request is rolled back before the next, so a deletion or a sign-out by one does
not change what the next one finds.
"""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from commitments.models import Assessment, Commitment, EarlierCommitment, FollowUp
from declarations.models import Annex, CommuniqueItem, Declaration, Theme
from g7site import policy
from meetings.models import Meeting, Organization, Person, Prefecture
from publication.models import PendingChange, Source
from tests.factories import (
    AnnexFactory,
    CommuniqueItemFactory,
    DeclarationFactory,
    MeetingFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def routes(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern, the route written out from the root."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name and ":".join(filter(None, [namespace, pattern.name]))
            yield prefix + str(pattern.pattern), name


ADMIN_AND_API = [(route, name) for route, name in routes() if route.startswith(("admin/", "api/"))]


DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"

# The value of each parameter of an API route, by the route's resource.
API_SLUGS = {
    "meetings": lambda: Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki").slug,
    "declarations": lambda: DECLARATION,
    "organizations": lambda: Organization.objects.order_by("pk").first().slug,
    "people": lambda: Person.objects.order_by("pk").first().slug,
    "prefectures": lambda: Prefecture.objects.order_by("pk").first().code,
    "themes": lambda: DECLARATION,
    "annexes": lambda: DECLARATION,
    "communique-items": lambda: COMMUNIQUE,
    "commitments": lambda: "digital-competition-summit",
    "follow-ups": lambda: "g7-competition-summit-tokyo-2023",
    "earlier-commitments": lambda: "tsukuba-2019-human-centred-ai",
    "assessments": lambda: "digital-competition-summit",
}
PART_NUMBERS = {
    "themes": lambda: Theme.objects.filter(declaration__slug=DECLARATION).order_by("number").first().number,
    "annexes": lambda: Annex.objects.filter(declaration__slug=DECLARATION).order_by("number").first().number,
    "communique-items": lambda: (
        CommuniqueItem.objects.filter(declaration__slug=COMMUNIQUE).order_by("number").first().number
    ),
}


@pytest.fixture
def records(editor):
    """A record of every kind the admin lists that the fixtures do not hold."""
    Token.objects.create(user=editor)
    TOTPDevice.objects.create(user=editor, name="phone")
    StaticDevice.objects.create(user=editor, name="backup")
    AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="test", failures_since_start=1
    )
    AccessLog.objects.create(username="someone", ip_address="192.0.2.1", user_agent="test")
    AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.1", user_agent="test")
    # A change awaiting review of each reviewed kind, proposed by an editor who is not among the roles.
    reviewed = (
        Source,
        Prefecture,
        Organization,
        Person,
        Meeting,
        Declaration,
        Commitment,
        FollowUp,
        EarlierCommitment,
    )
    for model in reviewed:
        record = model._default_manager.order_by("pk").first()
        PendingChange.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=record.pk,
            data={},
            base_version=record.version,
        )


def api_resource(route: str) -> str:
    """The resource an API route is about: the last one its route names."""
    return max(API_SLUGS, key=lambda key: route.replace("^", "/").rfind(f"/{key}/"))


def draft_of(route: str) -> dict:
    """The parameters of a draft record of the resource of `route` (a part: of a draft document)."""
    draft = {"status": Declaration.Status.DRAFT, "published_at": None}
    resource = api_resource(route)
    if resource == "meetings":
        return {"slug": MeetingFactory(**draft).slug}
    if resource == "declarations":
        return {"slug": DeclarationFactory(**draft).slug}
    if resource in ("commitments", "assessments"):
        commitment = Commitment.objects.get(slug="digital-competition-summit")
        commitment.pk, commitment._state.adding = None, True
        commitment.slug, commitment.number = "a-draft-commitment", 999
        commitment.status, commitment.published_at = draft["status"], draft["published_at"]
        commitment.save()
        Assessment.objects.create(commitment=commitment, assessed_by_ja="編集部")
        return {"slug": commitment.slug}
    if resource == "follow-ups":
        follow_up = FollowUp.objects.get(slug="g7-competition-summit-tokyo-2023")
        follow_up.pk, follow_up._state.adding = None, True
        follow_up.slug, follow_up.status, follow_up.published_at = "a-draft-follow-up", *draft.values()
        follow_up.save()
        return {"slug": follow_up.slug}
    if resource == "earlier-commitments":
        earlier = EarlierCommitment.objects.get(slug="tsukuba-2019-human-centred-ai")
        earlier.pk, earlier._state.adding = None, True
        earlier.slug, earlier.status, earlier.published_at = "a-draft-earlier-commitment", *draft.values()
        earlier.save()
        return {"slug": earlier.slug}
    factory = {"themes": ThemeFactory, "annexes": AnnexFactory, "communique-items": CommuniqueItemFactory}
    part = factory[resource](declaration=DeclarationFactory(**draft))
    return {"slug": part.declaration.slug, "number": part.number}


def concrete(route: str, draft: dict | None = None) -> str:
    """The address of `route` with the fixtures' records in its parameters, or with those of `draft`."""
    path, query = route, ""
    if route.startswith("admin/"):
        app_label, model_name = [*route.split("/"), "", ""][1:3]
        try:
            model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        except ContentType.DoesNotExist:
            model = None
        record = model and model._default_manager.order_by("pk").first()
        history = getattr(record, "history", None)
        values = {
            "object_id": record and record.pk,
            "id": record and record.pk,
            "pk": record and record.pk,
            "history_id": history and history.order_by("history_id").first().history_id,
            "content_type_id": ContentType.objects.get_for_model(Meeting).pk,
            "language": "en",
        }
        if "content_type_id" in route:
            values["object_id"] = Meeting.objects.order_by("pk").first().pk
        if route.endswith("/history/compare/"):
            query = f"?older={values['history_id']}&newer={values['history_id']}"
        if route == "admin/autocomplete/":
            query = "?app_label=declarations&model_name=declaration&field_name=meeting&term=G7"
        path = path.replace(
            "^([^/]+)/history/([^/]+)/$", f"{values['object_id']}/history/{values['history_id']}/"
        )
        path = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "meetings/", path)
        path = path.replace("(?P<url>.*)$", "nowhere/")
    else:
        resource = api_resource(route)
        values = {
            "slug": API_SLUGS[resource](),
            "code": API_SLUGS[resource](),
            "number": resource in PART_NUMBERS and PART_NUMBERS[resource](),
            "format": "json",
            **(draft or {}),
        }
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: f"<{m[1]}>", path)
        path = path.replace("^.*$", "nowhere/").replace("^", "").replace("$", "")
        path = path.replace("\\.", ".").replace("/?", "/")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), path) + query


def replacement(client, url) -> dict:
    """The body of a PUT: the record as the API reads it, in the form the API writes it (a related
    record by its slug; what the record's serializer does not take left out), so that the answer is the
    permission's, not a refusal of an empty body."""
    read = client.get(url, {"lang": "all"})
    if read.status_code != 200:
        return {}
    fields = resolve(url).func.cls.serializer_class().fields
    body = {}
    for key, value in read.json().items():
        if key not in fields or fields[key].read_only or value == []:
            continue
        if isinstance(value, list) and any(isinstance(item, dict) for item in value):
            continue  # the record's parts, written through their own routes
        if isinstance(value, dict) and not set(value) <= {"ja", "en"}:
            if "slug" not in value:
                continue
            value = value["slug"]
        body[key] = value
    return body


def answer(response) -> str:
    status = response.status_code
    if 300 <= status < 400:
        return policy.LOGIN if response.get("Location", "").startswith("/admin/login/") else policy.OK
    if status in (401, 403):
        return policy.DENIED
    if status == 404:
        return policy.MISSING
    if status == 405:
        return policy.NOT_ALLOWED
    if status >= 500:
        return f"a server error ({status})"
    return policy.OK


@pytest.fixture
def users(editor, publisher, admin_user):
    return {
        policy.ANONYMOUS: None,
        policy.EDITOR: editor,
        policy.PUBLISHER: publisher,
        policy.SUPERUSER: admin_user,
    }


@pytest.mark.parametrize(("route", "name"), ADMIN_AND_API, ids=[route for route, _ in ADMIN_AND_API])
def test_every_route_answers_each_role_as_the_policy_says(route, name, users, records):
    if route not in policy.POLICY:
        pytest.fail(f"{route} ({name}) has no entry in g7site/policy.py: say who may use it")
    rule = policy.POLICY[route]
    url = concrete(route)
    wrong = []
    for role, user in users.items():
        if rule.admin:
            client = Client()
        else:
            client = APIClient()
            if user:
                client.credentials(
                    HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
                )
        signed_out = True
        for method in [*rule.methods, *rule.refused]:
            if rule.admin and user and signed_out:
                client.force_login(user)
            # A POST may sign the client out (the logout page): it signs in again after one.
            signed_out = method == "post"
            # Each request's changes (a restore, a deletion, a sign-out) are undone before the next.
            cache.clear()
            with transaction.atomic():
                if rule.admin:
                    # The review page's POST names its action; other pages ignore the field.
                    response = getattr(client, method)(
                        url, {"action": "discard"} if method == "post" else None
                    )
                elif method == "put":
                    response = client.put(url, replacement(client, url), format="json")
                else:
                    response = getattr(client, method)(url, {}, format="json")
                transaction.set_rollback(True)
            got, allowed = answer(response), policy.expected(rule, method, role)
            if got not in allowed:
                wrong.append(
                    f"{method.upper()} {url} as {role}: {response.status_code} ({got}), policy: {allowed}"
                )
    if rule.drafts:
        # The draft's address: public to no one, seen by those who may see drafts.
        url = concrete(route, draft_of(route))
        for role, user in users.items():
            client = APIClient()
            if user:
                client.credentials(
                    HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
                )
            got, allowed = answer(client.get(url)), policy.expected_of_draft(rule, role)
            if got not in allowed:
                wrong.append(f"GET {url} (a draft) as {role}: {got}, policy: {allowed}")
    assert not wrong, "\n".join(wrong)


def test_every_entry_of_the_policy_names_a_route():
    assert set(policy.POLICY) - {route for route, _ in ADMIN_AND_API} == set()
