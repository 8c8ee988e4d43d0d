"""The admin as editors use it (publication/admin.py): every page opens, both languages show, and the rules
show as field errors; what each role may do; publishing logged; the parts of a published document kept
from editors; text statuses in the form; a change note for a correction; two editors' saves, and changes
awaiting review, never overwritten unseen; import (a dry run first, a size limit, permissions) and export;
the preview from the change form, its parts included; the review page naming each part added, deleted or
moved; the review inbox on the admin's home; the scheduled state in the change lists; an out-of-date
translation in the change form, confirmed as current without an edit, and a minor edit that leaves the
translations current."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from declarations.models import Declaration, Theme
from meetings.models import Meeting, Person, Prefecture
from publication.history import version_note
from publication.models import PendingChange
from publication.review import part_change, submit_pending_change
from tests.admin_support import EDUCATION
from tests.factories import OrganizationFactory
from tests.html_forms import form_data
from tests.publication.support import (
    CSV_HEADER,
    INDEX,
    MATRIX,
    ROLES,
    TAKASAKI,
    TAKASAKI_DECLARATION,
    change_url,
    counts,
    declaration_form_data,
    hosts_listed,
    import_csv,
    inbox_of,
    propose,
    takasaki,
    theme_form_data,
)

pytestmark = pytest.mark.django_db

CONTENT_APPS = {"core", "meetings", "declarations", "commitments"}
CONTENT_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in CONTENT_APPS and admin.site.is_registered(model)
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_content_model_is_in_the_admin():
    names = {model._meta.label for model in CONTENT_MODELS}
    assert names == {
        "core.Source",
        "meetings.Prefecture",
        "meetings.Organization",
        "meetings.Person",
        "meetings.Meeting",
        "declarations.Declaration",
        "declarations.Theme",
        "declarations.KeyPoint",
        "declarations.Footnote",
        "declarations.Annex",
        "declarations.CommuniqueItem",
        "commitments.Commitment",
        "commitments.FollowUp",
        "commitments.EarlierCommitment",
        "commitments.Assessment",
        "declarations.OfficialText",
    }


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model._meta.label)
def test_changelist_search_add_and_change_pages_open(admin_client, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "changelist"), {"q": "広島"}).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    record = model.objects.order_by("pk").first()
    response = admin_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    # No asset from outside the project: modeltranslation's tabbed admin would load jQuery UI from a CDN.
    html = response.content.decode()
    assert not re.search(r'<(script|img|iframe)[^>]+src="(https?:)?//', html)
    assert not re.search(r'<link[^>]+href="(https?:)?//', html)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model._meta.label)
def test_history_pages_of_a_record_that_cannot_exist_are_not_errors(admin_client, model):
    """A mistyped address (an id that is not a number, or none that exists) leads back to the list, never a 500."""
    base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    paths = ["1/change/history/", "abc/history/", "999999/history/", "abc/history/1/"]
    paths += ["abc/history/compare/", "abc/history/1/restore/", "999999/history/compare/"]
    for path in paths:
        assert admin_client.get(base + path).status_code in (302, 404), path
    record = model.objects.order_by("pk").first()
    assert admin_client.get(base + f"{record.pk}/history/").status_code == 200


@pytest.mark.parametrize("page", ["history/", "history/1/"])
def test_the_history_of_a_record_that_does_not_exist_leads_back_to_its_list_with_a_warning(
    admin_client, page
):
    """Regression: the history pages answer an id with no record as the change page does, with a warning
    that names the id, but back on the model's list rather than the admin's index."""
    changelist = admin_url(Meeting, "changelist")
    response = admin_client.get(f"{changelist}999999/{page}", follow=True)
    assert response.redirect_chain == [(changelist, 302)]
    assert [message.level_tag for message in response.context["messages"]] == ["warning"]
    assert "999999" in str(next(iter(response.context["messages"])))


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model._meta.label)
def test_every_list_filter_opens(admin_client, model):
    model_admin = admin.site.get_model_admin(model)
    response = admin_client.get(admin_url(model, "changelist"))
    for spec in response.context["cl"].filter_specs:
        for choice in spec.choices(response.context["cl"]):
            assert (
                admin_client.get(admin_url(model, "changelist") + choice["query_string"]).status_code == 200
            )
    assert model_admin.search_fields


def test_meeting_change_page_shows_both_languages_and_the_inlines(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki")
    html = unescape(admin_client.get(admin_url(Meeting, "change", meeting.pk)).content.decode())
    assert 'name="title_ja"' in html and 'name="title_en"' in html
    assert (
        "G7群馬高崎デジタル・技術大臣会合" in html
        and "G7 Digital and Tech Ministers' Meeting in Takasaki" in html
    )
    for prefix in ("sessions", "locations", "chairs"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html


def test_declaration_change_page_has_its_parts_inline(admin_client):
    from declarations.models import Declaration

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    html = admin_client.get(admin_url(Declaration, "change", declaration.pk)).content.decode()
    for prefix in ("themes", "footnotes", "annexes", "communique_items", "official_texts"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert 'name="themes-5-title_en"' in html


def test_autocomplete_finds_a_meeting_in_either_language(admin_client):
    url = reverse("admin:autocomplete")
    params = {"app_label": "declarations", "model_name": "declaration", "field_name": "meeting"}
    for term in ("高崎", "Takasaki"):
        data = admin_client.get(url, {**params, "term": term}).json()
        assert [result["text"] for result in data["results"]] == ["G7群馬高崎デジタル・技術大臣会合"]


def meeting_form_data(meeting, **overrides):
    """The change form's POST data for `meeting`, as the browser would send it unchanged."""
    data = {
        "slug": meeting.slug,
        "forum": meeting.forum,
        "kind": meeting.kind,
        "year": meeting.year,
        "presidency": meeting.presidency,
        "portfolio": meeting.portfolio,
        "title_ja": meeting.title_ja,
        "title_en": meeting.title_en,
        "short_title_ja": meeting.short_title_ja,
        "short_title_en": meeting.short_title_en,
        "status": meeting.status,
        "published_at_0": "2024-04-01",
        "published_at_1": "00:00:00",
        "loaded_version": meeting.version,
        "summit": meeting.summit_id or "",
        "hosts": [host.pk for host in meeting.hosts.all()],
        "sessions-TOTAL_FORMS": 1,
        "sessions-INITIAL_FORMS": 1,
        "locations-TOTAL_FORMS": 0,
        "locations-INITIAL_FORMS": 0,
        "chairs-TOTAL_FORMS": 0,
        "chairs-INITIAL_FORMS": 0,
    }
    session = meeting.sessions.get()
    data.update(
        {
            "sessions-0-id": session.pk,
            "sessions-0-meeting": meeting.pk,
            "sessions-0-start_date": session.start_date.isoformat(),
            "sessions-0-end_date": session.end_date.isoformat(),
            "sessions-0-precision": session.precision,
            "sessions-0-mode": session.mode,
        }
    )
    data.update(overrides)
    return data


def test_a_session_that_ends_before_it_starts_is_a_field_error(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    url = admin_url(Meeting, "change", meeting.pk)
    response = admin_client.post(url, meeting_form_data(meeting, **{"sessions-0-end_date": "2023-05-01"}))
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "sessions")
    assert "end_date" in formset.formset.forms[0].errors
    meeting.refresh_from_db()
    assert meeting.sessions.get().end_date.isoformat() == "2023-05-14"


def test_an_editor_saves_an_english_title_of_a_draft(client, editor):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    meeting.refresh_from_db()
    client.force_login(editor)
    response = client.post(
        admin_url(Meeting, "change", meeting.pk),
        meeting_form_data(meeting, title_en="G7 Health Ministers, Nagasaki"),
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert (meeting.title_ja, meeting.title_en) == ("G7長崎保健大臣会合", "G7 Health Ministers, Nagasaki")
    assert meeting.status == "draft"


def test_japanese_title_is_required_in_the_form(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    response = admin_client.post(
        admin_url(Meeting, "change", meeting.pk), meeting_form_data(meeting, title_ja="")
    )
    assert response.status_code == 200
    assert "title_ja" in response.context["adminform"].form.errors


def test_editors_keep_content_but_not_users(client, editor):
    client.force_login(editor)
    assert client.get(admin_url(Meeting, "changelist")).status_code == 200
    assert client.get(reverse("admin:declarations_declaration_add")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor.has_perm("meetings.delete_meeting") and not editor.has_perm("auth.change_user")


def test_meeting_changelist_query_count_does_not_grow(admin_client, django_assert_max_num_queries):
    from tests.factories import LocationFactory, SessionFactory

    url = admin_url(Meeting, "changelist")
    with django_assert_max_num_queries(12) as baseline:
        admin_client.get(url)
    for _ in range(25):
        LocationFactory(meeting=SessionFactory().meeting)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        admin_client.get(url)


# Import and export: a model's resource defines its columns for the admin and for the API's CSV alike


def api_csv(client, resource: str) -> str:
    response = client.get(f"/api/v1/{resource}/export/", {"format": "csv"})
    return b"".join(response.streaming_content).decode("utf-8")


def admin_export(admin_client, model) -> str:
    """The admin's CSV export of every record of `model`, with every column the form offers."""
    from django.contrib import admin
    from import_export.forms import SelectableFieldsExportForm

    from publication.resources import export_resource

    resource = (admin.site.get_model_admin(model).resource_classes or [export_resource(model)])[0]
    columns = {
        SelectableFieldsExportForm.create_boolean_field_name(resource, name): "on"
        for name in resource().get_export_order()
    }
    response = admin_client.post(
        admin_url(model, "export"),
        {
            "format": "0",
            "resource": "0",
            "export_items": list(model.objects.values_list("pk", flat=True)),
            **columns,
        },
    )
    assert response.status_code == 200
    return response.content.decode("utf-8")


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("label", "resource"),
    [
        ("meetings.Meeting", "meetings"),
        ("meetings.Organization", "organizations"),
        ("meetings.Person", "people"),
        ("meetings.Prefecture", "prefectures"),
        ("declarations.Declaration", "declarations"),
        ("declarations.Theme", "themes"),
        ("declarations.Annex", "annexes"),
        ("declarations.CommuniqueItem", "communique-items"),
    ],
)
def test_the_admin_exports_the_columns_of_the_apis_csv(admin_client, label, resource):
    model = apps.get_model(label)
    assert header(admin_export(admin_client, model)) == header(api_csv(admin_client, resource))


def test_the_admins_csv_escapes_formulas_and_keeps_numbers(admin_client):
    """OWASP's CSV injection remedy in the admin's export as in the API's: a cell a spreadsheet would run
    begins with a single quote; a number, negative or signed, stays a number."""
    from tests.factories import MeetingFactory

    MeetingFactory(slug="formula-export", title_en="@SUM(A1)", summary_en="-1+1", participants_en="-12.5")
    text = admin_export(admin_client, Meeting)
    rows = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    row = next(row for row in rows if row["slug"] == "formula-export")
    assert (row["title_en"], row["summary_en"], row["participants_en"]) == ("'@SUM(A1)", "'-1+1", "-12.5")


def import_meetings(client, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("meetings.csv", text.encode("utf-8"), content_type="text/csv")
    response = client.post(
        admin_url(Meeting, "import"), {"resource": "0", "format": "0", "import_file": upload}
    )
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    return response


def test_the_apis_csv_imports_back_unchanged_formulas_included(admin_client):
    """A round trip: the API's CSV, byte-order mark, UTC times, escaped formulas and export-only columns
    included, imports as it is (every row unchanged), and a changed row changes only what was changed."""
    from tests.factories import MeetingFactory

    formula = MeetingFactory(
        title_en='=HYPERLINK("http://example.com")', summary_en="- a list", participants_en="'=1+1"
    )
    text = api_csv(admin_client, "meetings")
    assert "'=HYPERLINK" in text
    response = import_meetings(admin_client, text)
    assert {row.import_type for row in response.context["result"].rows} == {"skip"}
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    takasaki = next(row for row in rows if row["slug"] == "g7-2023-digital-and-tech-takasaki")
    takasaki["title_en"] = "Changed by import"
    changed = io.StringIO()
    writer = csv.DictWriter(changed, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    response = import_meetings(admin_client, changed.getvalue())
    assert [row.import_type for row in response.context["result"].rows].count("update") == 1
    admin_client.post(admin_url(Meeting, "process_import"), response.context["confirm_form"].initial)
    assert Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki").title_en == "Changed by import"
    formula.refresh_from_db()
    assert formula.title_en == '=HYPERLINK("http://example.com")'
    assert formula.summary_en == "- a list"
    assert formula.participants_en == "'=1+1"


# Two editors at once: the second save, refused, keeps the first one's work


def editor_clients(django_user_model, *names):
    from django.contrib.auth.models import Group
    from django.test import Client

    clients = []
    for name in names:
        user = django_user_model.objects.create_user(name, password=f"a-long-{name}-password", is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_a_refused_save_keeps_the_other_editors_changes_and_asks_about_a_field_both_changed(
    django_user_model,
):
    """Regression: B's refused form kept A's old values of the fields B never touched, so saving it again
    silently undid A's change. The kept form now shows A's values there, B's own changes, and an error on a
    field both changed, naming A's value; B's second save keeps both editors' work."""
    from meetings.models import Organization
    from tests.html_forms import form_data

    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    mic = Organization.objects.get(slug="mic")
    alice, bob = editor_clients(django_user_model, "alice", "bob")
    url = admin_url(Meeting, "change", meeting.pk)
    alices = form_data(alice.get(url), "meeting_form")
    bobs = form_data(bob.get(url), "meeting_form")

    alices |= {
        "title_en": ["Alice's title"],
        "summary_en": ["Alice's summary"],
        "hosts": [str(mic.pk)],
        "title_en__status": ["provisional"],
    }
    assert alice.post(url, alices).status_code == 302
    bobs |= {"short_title_en": ["Bob's short title"], "summary_en": ["Bob's summary"]}
    refused = bob.post(url, bobs, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert set(form.errors) == {"__all__", "summary_en"}
    assert form.errors["summary_en"] == [
        "alice saved “Alice's summary” here while you were editing. Your text is kept below: save again "
        "to keep it, or change it."
    ]
    kept = form_data(refused, "meeting_form")
    assert kept["title_en"] == ["Alice's title"]
    assert kept["hosts"] == [str(mic.pk)]
    assert kept["title_en__status"] == ["provisional"]
    assert kept["short_title_en"] == ["Bob's short title"]
    assert kept["summary_en"] == ["Bob's summary"]
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.summary_en) == ("Alice's title", "Alice's summary")

    # Bob has read Alice's summary and keeps his own: his second save takes his changes and leaves hers.
    assert bob.post(url, kept).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.short_title_en, meeting.summary_en) == (
        "Alice's title",
        "Bob's short title",
        "Bob's summary",
    )
    assert list(meeting.hosts.values_list("slug", flat=True)) == ["mic"]
    assert meeting.translation_status["title_en"] == "provisional"


def test_a_refused_save_of_a_field_only_the_other_editor_changed_is_no_conflict(django_user_model):
    """Changing what the other editor did not touch, or changing a field to what they also chose, asks for
    nothing but a second save."""
    from tests.html_forms import form_data

    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    alice, bob = editor_clients(django_user_model, "alice", "bob")
    url = admin_url(Meeting, "change", meeting.pk)
    alices = form_data(alice.get(url), "meeting_form")
    bobs = form_data(bob.get(url), "meeting_form")
    assert (
        alice.post(url, alices | {"title_en": ["Same title"], "participants_en": ["G7"]}).status_code == 302
    )
    refused = bob.post(url, bobs | {"title_en": ["Same title"], "summary_en": ["Bob's summary"]})
    assert refused.status_code == 200
    assert set(refused.context["adminform"].form.errors) == {"__all__"}
    kept = form_data(refused, "meeting_form")
    assert (kept["participants_en"], kept["summary_en"]) == (["G7"], ["Bob's summary"])
    assert bob.post(url, kept).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.participants_en, meeting.summary_en) == (
        "Same title",
        "G7",
        "Bob's summary",
    )


def client_for(role, django_user_model, request):
    client = Client()
    if role == "superuser":
        client.force_login(
            django_user_model.objects.create_superuser("root", password="a-long-root-password")
        )
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_admin_permission_matrix(role, action, django_user_model, request):
    """Who may do what to a meeting in the admin; `delete` is of a published meeting."""
    client = client_for(role, django_user_model, request)
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    allowed = MATRIX[action][role]
    if action == "view":
        response = client.get(reverse("admin:meetings_meeting_changelist"))
        assert (response.status_code == 200) is allowed
    elif action == "add":
        response = client.get(reverse("admin:meetings_meeting_add"))
        assert (response.status_code == 200) is allowed
    elif action == "change":
        Meeting.objects.filter(pk=meeting.pk).update(status="draft")
        meeting.refresh_from_db()
        client.post(change_url(meeting), meeting_form_data(meeting, title_en="Changed by " + role))
        meeting.refresh_from_db()
        assert (meeting.title_en == "Changed by " + role) is allowed
    elif action == "publish":
        Meeting.objects.filter(pk=meeting.pk).update(status="draft")
        client.post(
            reverse("admin:meetings_meeting_changelist"),
            {"action": "publish_now", "_selected_action": [meeting.pk]},
        )
        meeting.refresh_from_db()
        assert (meeting.status == "published") is allowed
    elif action == "delete":
        meeting = Meeting.objects.create(
            slug="to-delete", forum="G7", kind="ministerial", year=2023, presidency="JP", portfolio="health",
            title_ja="削除する会合", short_title_ja="削除", status="published", published_at=timezone.now(),
        )  # fmt: skip
        client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"})
        assert (not Meeting.objects.filter(pk=meeting.pk).exists()) is allowed


@pytest.mark.parametrize("role", ["editor", "publisher", "superuser"])
def test_the_changelist_offers_the_publication_actions_to_those_who_may_publish(
    role, django_user_model, request
):
    client = client_for(role, django_user_model, request)
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    offered = {value for value, _label in response.context["action_form"].fields["action"].choices}
    may_publish = role != "editor"
    assert ("publish_now" in offered, "unpublish" in offered) == (may_publish, may_publish)
    assert "confirm_translations" in offered


def test_publishing_is_logged_and_kept_in_the_history(client, publisher):
    client.force_login(publisher)
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish_now", "_selected_action": [meeting.pk]},
    )
    assert LogEntry.objects.filter(object_id=str(meeting.pk), user=publisher).exists()
    latest = meeting.history.order_by("-history_id").first()
    assert (latest.status, latest.history_user) == ("published", publisher)


def test_editors_edit_the_parts_of_a_published_document_for_review(client, editor):
    """The parts' inlines are editable: what an editor changes there waits for review with the document
    (tests/publication/test_review.py)."""
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    html = client.get(change_url(declaration)).content.decode()
    assert 'name="themes-0-title_en"' in html
    assert "G7群馬高崎" in html


def test_the_review_shows_a_change_of_a_records_many_to_many_field(client, editor, publisher):
    """A change to a field that links the record to others (a published meeting's hosts) waits for review
    like any field, and the review shows it: the records linked now, those the change removes struck out,
    and the records proposed, those it adds marked as added."""
    meeting = Meeting.objects.get(slug=TAKASAKI)
    now = list(meeting.hosts.all())
    assert len(now) > 1
    kept, added = now[0], OrganizationFactory()
    client.force_login(editor)
    data = meeting_form_data(meeting, hosts=[kept.pk, added.pk], change_note="Hosts corrected")
    assert client.post(change_url(meeting), data).status_code == 302
    assert sorted(meeting.hosts.all(), key=lambda host: host.pk) == sorted(now, key=lambda host: host.pk)
    held = PendingChange.objects.get(content_type__model="meeting", object_id=meeting.pk)
    assert held.data["hosts"] == sorted([kept.pk, added.pk])
    client.force_login(publisher)
    review_url = reverse("admin:meetings_meeting_review", args=[meeting.pk])
    page = unescape(client.get(review_url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    row = page[page.index("<code>hosts</code>") :]
    row = row[: row.index("</tr>")]
    before, after = row.split("</td>")[:2]
    assert all(f"<del>{host}</del>" in before for host in now[1:])
    assert str(kept) in before and f"<del>{kept}</del>" not in before
    assert f"<ins>{added}</ins>" in after and str(kept) in after and f"<ins>{kept}</ins>" not in after
    assert not any(str(host) in after for host in now[1:])
    assert client.post(review_url, {"action": "publish"}).status_code == 302
    assert sorted(host.pk for host in meeting.hosts.all()) == sorted([kept.pk, added.pk])


def test_the_review_says_when_a_change_renumbers_parts(client, editor, publisher):
    """Parts' numbers are cited (①-1, #theme-1): a review of a change that gives a part another number
    says that the public addresses citing it change once it is published; one that only reorders does not."""
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    first, second = declaration.themes.order_by("number")[:2]
    review_url = reverse("admin:declarations_declaration_review", args=[declaration.pk])
    notice = "The public addresses and anchors that cite the parts' numbers change with them once"
    client.force_login(publisher)
    reordered = [
        part_change(first, fk="declaration", values={"position": second.position}),
        part_change(second, fk="declaration", values={"position": first.position}),
    ]
    submit_pending_change(record=declaration, data={}, parts=reordered, user=editor, note="Reordered")
    assert notice not in unescape(client.get(review_url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    renumbered = [
        part_change(first, fk="declaration", values={"number": second.number}),
        part_change(second, fk="declaration", values={"number": first.number}),
    ]
    submit_pending_change(record=declaration, data={}, parts=renumbered, user=editor, note="Renumbered")
    assert notice in unescape(client.get(review_url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    japanese = unescape(client.get(review_url, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "部分の番号を引用する公開のアドレスとアンカーは、公開すると変わります。" in japanese


def test_an_editor_may_not_add_a_part_to_a_published_document(client, editor):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    data = theme_form_data(Theme(declaration=declaration, number=9, title_ja="追加", title_en=""))
    data.pop("loaded_version")
    response = client.post(reverse("admin:declarations_theme_add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "only a publisher may add or change its parts" in response.content.decode()
    assert not Theme.objects.filter(declaration=declaration, number=9).exists()


def test_an_editor_changes_the_parts_of_a_draft_document(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    Declaration.objects.filter(pk=declaration.pk).update(status="draft")
    theme = Theme.objects.get(declaration=declaration, number=1)
    client.force_login(editor)
    response = client.post(change_url(theme), theme_form_data(theme, title_en="Changed in the draft"))
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.title_en == "Changed in the draft"


def test_change_form_shows_which_language_lacks_a_text(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    meeting.participants_ja = "G7各国の保健大臣"
    meeting.save()
    html = unescape(admin_client.get(change_url(meeting)).content.decode())
    assert ('class="text-missing"' in html and "Missing" in html) or "未訳" in html


def test_editors_set_a_text_status_in_the_form(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    meeting.refresh_from_db()
    admin_client.post(change_url(meeting), meeting_form_data(meeting, title_en__status="provisional"))
    meeting.refresh_from_db()
    assert meeting.text_status("title", "en") == "provisional"


def test_the_second_of_two_editors_is_refused_with_what_changed(client, publisher, django_user_model):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    loaded = meeting_form_data(meeting)
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("other", password="another-long-password"))
    loaded["change_note"] = "Title corrected"
    other.post(change_url(meeting), {**loaded, "title_en": "Saved first"})
    client.force_login(publisher)
    response = client.post(change_url(meeting), {**loaded, "title_en": "Saved second"})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Saved first" in page and "Saved second" in page and "other" in page
    meeting.refresh_from_db()
    assert meeting.title_en == "Saved first"
    # Saving again, now knowingly, keeps the second editor's text.
    again = client.post(
        change_url(meeting), {**loaded, "title_en": "Saved second", "loaded_version": meeting.version}
    )
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title_en == "Saved second"


def test_import_shows_a_dry_run_preview_and_changes_nothing_until_confirmed(admin_client):
    row = "g7-2023-health-nagasaki,G7,ministerial,2023,JP,health,G7長崎保健大臣会合,Imported title,保健大臣会合,Health,published,2024-04-01 00:00:00\n"
    response = import_csv(admin_client, CSV_HEADER + row)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["update"]
    assert Meeting.objects.get(slug="g7-2023-health-nagasaki").title_en != "Imported title"
    confirm = response.context["confirm_form"]
    admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm.initial)
    assert Meeting.objects.get(slug="g7-2023-health-nagasaki").title_en == "Imported title"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The file is larger than 1.0\xa0KB: import it in parts."),
        ("ja", "ファイルが上限の1.0\xa0KBを超えています。分けて取り込んでください。"),
    ],
)
def test_a_file_over_the_import_limit_is_refused_before_it_is_read(
    client, editor, settings, language, message
):
    """OWASP ASVS 5.0, V5.2.1: the import takes files of IMPORT_MAX_BYTES at most; a larger one is a form
    error in the editor's language and nothing is read or imported."""
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(editor)
    rows = "".join(
        f"g7-2023-imported-{number},G7,ministerial,2023,JP,health,取込会合,Imported,取込,Imported,draft,\n"
        for number in range(20)
    )
    response = import_csv(client, CSV_HEADER + rows, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [message]
    assert "result" not in response.context or response.context["result"] is None
    assert not Meeting.objects.filter(slug__startswith="g7-2023-imported-").exists()
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    assert import_csv(client, CSV_HEADER + rows).context["form"].is_valid()


def test_staff_without_add_and_change_permissions_may_not_import(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="a-long-viewer-password", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(viewer)
    assert client.get(reverse("admin:meetings_meeting_import")).status_code == 403


def test_any_changelist_exports(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    response = admin_client.post(
        reverse("admin:meetings_meeting_export"),
        {
            "format": "0",
            "resource": "0",
            "export_items": [meeting.pk],
            "meetingresource_slug": "on",
            "meetingresource_title_en": "on",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "g7-2023-health-nagasaki" in response.content.decode()


def test_a_change_awaiting_review_made_meanwhile_is_not_overwritten_unseen(client, editor, django_user_model):
    """Regression: changes awaiting review were last-write-wins in the admin as in the API. The change form
    carries the version of the change awaiting review it was opened on; another editor's change made
    meanwhile refuses the save, and saving again, knowingly, adds to theirs."""
    from django.contrib.auth.models import Group

    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    opened = Client()
    opened.force_login(editor)
    form = opened.get(change_url(declaration)).context["adminform"].form
    loaded = declaration_form_data(declaration, loaded_pending_version=form["loaded_pending_version"].value())
    assert loaded["loaded_pending_version"] == 0

    other = django_user_model.objects.create_user(
        "other-editor", password="another-long-password", is_staff=True
    )
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    client.post(change_url(declaration), {**loaded, "title_en": "Proposed first", "change_note": "First"})
    assert PendingChange.objects.get(object_id=declaration.pk).data == {"title_en": "Proposed first"}

    refused = opened.post(
        change_url(declaration),
        {**loaded, "summary_en": "Proposed second", "change_note": "Second"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200
    assert "awaits review" in unescape(refused.content.decode())
    assert PendingChange.objects.get(object_id=declaration.pk).data == {"title_en": "Proposed first"}
    again = opened.post(
        change_url(declaration),
        {**loaded, "summary_en": "Proposed second", "change_note": "Second", "loaded_pending_version": 1},
    )
    assert again.status_code == 302
    pending = PendingChange.objects.get(object_id=declaration.pk)
    assert (pending.data, pending.version) == (
        {"title_en": "Proposed first", "summary_en": "Proposed second"},
        2,
    )


def test_a_correction_of_a_published_record_needs_a_note(client, publisher):
    """What the public page lists as a correction says what it corrects: the admin requires the change note
    for it (and the API does the same)."""
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    client.force_login(publisher)
    refused = client.post(change_url(meeting), meeting_form_data(meeting, title_en="Corrected"))
    assert refused.status_code == 200
    assert "change_note" in refused.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.title_en != "Corrected"
    saved = client.post(
        change_url(meeting), meeting_form_data(meeting, title_en="Corrected", change_note="Official title")
    )
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title_en == "Corrected"


# Preview from the change form: the public page with the form's unsaved values, in both languages, saved
# nowhere; for staff who may change the record, by a CSRF-protected POST.

NAGASAKI = "g7-2023-health-nagasaki"


WRITES = ("INSERT", "UPDATE", "DELETE")


def preview_url(record, language):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[record.pk, language])


@pytest.mark.parametrize(
    ("language", "field", "value"),
    [("en", "title_en", "A previewed English title"), ("ja", "title_ja", "プレビューした日本語の題名")],
)
def test_a_document_is_previewed_with_the_forms_values_in_each_language(
    client, publisher, language, field, value
):
    declaration = takasaki()
    history, version = declaration.history.count(), declaration.version
    client.force_login(publisher)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            preview_url(declaration, language), declaration_form_data(declaration, **{field: value})
        )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert value in page and f'<html lang="{language}"' in page
    assert 'class="preview-banner"' in page and '<meta name="robots" content="noindex, nofollow">' in page
    # The page's own address, not the admin's, names it.
    assert f"/{language}/declarations/{declaration.slug}/" in page
    # Nothing saved: no write, no new version, no history entry.
    assert not [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]
    declaration.refresh_from_db()
    assert getattr(declaration, field) != value and declaration.version == version
    assert declaration.history.count() == history
    # And the public page is as it was.
    assert value not in unescape(
        Client().get(f"/{language}/declarations/{declaration.slug}/").content.decode()
    )


def test_a_meeting_is_previewed_with_the_forms_values(client, publisher):
    meeting = Meeting.objects.get(slug=NAGASAKI)
    client.force_login(publisher)
    data = meeting_form_data(meeting, title_en="Health Ministers' Meeting, previewed")
    response = client.post(preview_url(meeting, "en"), data)
    assert response.status_code == 200
    assert "Health Ministers' Meeting, previewed" in unescape(response.content.decode())
    meeting.refresh_from_db()
    assert meeting.title_en != "Health Ministers' Meeting, previewed"


def test_a_meeting_is_previewed_with_the_hosts_of_the_form(client, publisher):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    now = list(meeting.hosts.all())
    proposed = OrganizationFactory(name_en="Ministry of Previews")
    client.force_login(publisher)
    response = client.post(preview_url(meeting, "en"), meeting_form_data(meeting, hosts=[proposed.pk]))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    hosts = hosts_listed(page)
    assert "Ministry of Previews" in hosts and not any(str(host.name_en) in hosts for host in now)
    assert sorted(meeting.hosts.all(), key=lambda host: host.pk) == sorted(now, key=lambda host: host.pk)


def test_an_editor_previews_a_change_to_a_published_record_without_a_note(client, editor):
    """A preview is checked as the values are, not as a save is: no change note, no review, no version."""
    declaration = takasaki()
    client.force_login(editor)
    data = declaration_form_data(declaration, title_en="Editor's preview", loaded_version=1)
    response = client.post(preview_url(declaration, "en"), data)
    assert response.status_code == 200 and "Editor's preview" in unescape(response.content.decode())
    assert not declaration.history.filter(title_en="Editor's preview").exists()


def test_the_change_form_has_a_preview_button_for_each_language(client, publisher):
    declaration = takasaki()
    client.force_login(publisher)
    html = client.get(change_url(declaration)).content.decode()
    for language in ("ja", "en"):
        assert f'formaction="{preview_url(declaration, language)}"' in html


def test_a_preview_with_an_invalid_value_is_a_400_naming_it(client, publisher):
    declaration = takasaki()
    client.force_login(publisher)
    response = client.post(
        preview_url(declaration, "en"),
        declaration_form_data(declaration, adopted_on="not a date"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Adopted on: Enter a valid date." in unescape(response.content.decode())


def test_a_preview_is_a_post(client, publisher):
    client.force_login(publisher)
    assert client.get(preview_url(takasaki(), "en")).status_code == 405


def test_a_preview_needs_the_csrf_token(publisher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher)
    declaration = takasaki()
    assert client.post(preview_url(declaration, "en"), declaration_form_data(declaration)).status_code == 403


def test_a_preview_needs_the_change_permission(client, django_user_model):
    declaration = takasaki()
    reader = django_user_model.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_declaration"))
    client.force_login(reader)
    assert client.post(preview_url(declaration, "en"), declaration_form_data(declaration)).status_code == 403
    client.logout()
    response = client.post(preview_url(declaration, "en"), declaration_form_data(declaration))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("object_id", ["999999", "not-a-number"])
def test_a_preview_of_no_record_or_language_is_a_404(client, publisher, object_id):
    client.force_login(publisher)
    url = reverse("admin:declarations_declaration_preview", args=[object_id, "en"])
    assert client.post(url, {}).status_code == 404
    assert client.post(preview_url(takasaki(), "fr"), {}).status_code == 404


# The review inbox on the admin's home (review_inbox). The e-mail that tells publishers of a change to review
# (publication/notifications.py) is tested in test_notifications.py.


def test_the_inbox_lists_each_change_with_its_author_fields_and_links(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    propose(declaration, editor, title_en="Proposed title", summary_ja="提案の要約")
    client.force_login(publisher)
    inbox = inbox_of(client)
    assert declaration.title_en in inbox and "editor" in inbox
    # The fields by their names, not their columns.
    assert "Title (English)" in inbox and "Summary (Japanese)" in inbox and "title_en" not in inbox
    assert reverse("admin:declarations_declaration_review", args=[declaration.pk]) in inbox
    for language in ("ja", "en"):
        assert f"/{language}/declarations/{declaration.slug}/?preview=pending" in inbox


def test_the_inbox_is_in_japanese_for_a_japanese_reader(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    propose(declaration, editor, title_en="Proposed title")
    client.force_login(publisher)
    page = unescape(client.get(INDEX, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "確認待ちの変更" in page and "題名（英語）" in page


def test_publishers_see_every_change_and_an_editor_their_own(client, editor, publisher, django_user_model):
    other = django_user_model.objects.create_user("other-editor", password="a-long-password", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).first()
    propose(declaration, editor, title_en="The editor's title")
    propose(meeting, other, title_en="The other editor's title")

    client.force_login(publisher)
    inbox = inbox_of(client)
    assert declaration.title_en in inbox and meeting.title_en in inbox

    client.force_login(editor)
    inbox = inbox_of(client)
    assert declaration.title_en in inbox and meeting.title_en not in inbox

    client.force_login(other)
    inbox = inbox_of(client)
    assert meeting.title_en in inbox and declaration.title_en not in inbox


def test_an_empty_inbox_says_so(client, publisher):
    client.force_login(publisher)
    assert "Nothing awaits review." in inbox_of(client)


def count_index_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(INDEX).status_code == 200
    return len(context.captured_queries)


def test_the_inbox_makes_as_many_queries_whatever_the_number_of_changes(client, editor, publisher):
    client.force_login(publisher)
    declarations = list(Declaration.objects.filter(status=Declaration.Status.PUBLISHED)[:2])
    meetings = list(Meeting.objects.filter(status=Meeting.Status.PUBLISHED)[:4])
    people = list(Person.objects.all()[:2])
    assert len(declarations) == 2 and len(meetings) == 4 and len(people) == 2
    propose(declarations[0], editor, title_en="One")
    propose(meetings[0], editor, title_en="One")
    propose(people[0], editor, name_en="One")
    few = count_index_queries(client)
    for record in [*declarations[1:], *meetings[1:]]:
        propose(record, editor, title_en="More")
    propose(people[1], editor, name_en="More")
    assert PendingChange.objects.count() == 8
    assert count_index_queries(client) == few


# The scheduled state in the change lists


def test_change_lists_show_a_scheduled_record_with_its_time(admin_client):
    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).first()
    meeting.published_at = timezone.make_aware(datetime.datetime(2999, 1, 2, 3, 4))
    meeting.save()
    url = reverse("admin:meetings_meeting_changelist")
    english = unescape(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Scheduled: Jan. 2, 2999, 3:04 a.m." in english
    japanese = unescape(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "公開予定：2999年1月2日3:04" in japanese
    # The others say what they are.
    assert "Published" in english and "公開" in japanese


def places_exchanged_and_maebashi_added(client, meeting) -> dict:
    """The meeting's change form as `client` gets it, with its first two places exchanged and Maebashi
    added after them."""
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(change), "meeting_form")
    total = int(data["locations-TOTAL_FORMS"][0])
    return data | {
        "locations-0-order": ["2"],
        "locations-1-order": ["1"],
        "locations-TOTAL_FORMS": [str(total + 1)],
        f"locations-{total}-order": [str(total + 1)],
        f"locations-{total}-country": ["JP"],
        f"locations-{total}-prefecture": [str(Prefecture.objects.get(code="10").pk)],
        f"locations-{total}-city_ja": ["前橋市"],
        f"locations-{total}-city_en": ["Maebashi"],
    }


def test_the_change_forms_preview_shows_places_moved_and_added(client, editor):
    meeting = Meeting.objects.get(slug=EDUCATION)
    client.force_login(editor)
    data = places_exchanged_and_maebashi_added(client, meeting)
    before = counts()
    response = client.post(reverse("admin:meetings_meeting_preview", args=[meeting.pk, "en"]), data)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    places = page[page.index("<dt>Places</dt>") :]
    assert (
        places.index("Kanazawa, Ishikawa") < places.index("Toyama, Toyama") < places.index("Maebashi, Gunma")
    )
    assert counts() == before
    assert list(meeting.locations.order_by("order").values_list("city_en", flat=True)) == [
        "Toyama",
        "Kanazawa",
    ]


def test_the_review_names_each_part_added_deleted_and_moved(client, editor, publisher):
    meeting = Meeting.objects.get(slug=EDUCATION)
    toyama, kanazawa = meeting.locations.order_by("order")
    client.force_login(editor)
    data = places_exchanged_and_maebashi_added(client, meeting)
    data["change_note"] = ["The places as the source lists them."]
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert client.post(change, data).status_code == 302
    parts = PendingChange.objects.get(object_id=meeting.pk).parts
    added = next(part for part in parts if part["pk"] is None)
    assert "前橋市" in added["label"]
    toyama, kanazawa = (
        next(part["label"] for part in parts if part["pk"] == place.pk) for place in (toyama, kanazawa)
    )

    client.force_login(publisher)
    review = reverse("admin:meetings_meeting_review", args=[meeting.pk])
    english = unescape(client.get(review, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    section = english[english.index("part-changes") :]
    assert f"Part: Location {toyama} — Moved to another place" in section
    assert f"Part: Location {kanazawa} — Moved to another place" in section
    assert f"Part: Location {added['label']} (added)" in section
    japanese = unescape(client.get(review, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "別の位置へ移動" in japanese and f"{added['label']}（追加）" in japanese
    # The inbox on the admin's home says it in a few words.
    inbox = unescape(client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert f"Location “{toyama}”: moved" in inbox and f"Location “{added['label']}”: added" in inbox


# Translations in the change form: out of date, confirmed as current, a minor edit


def test_the_change_form_says_the_japanese_is_out_of_date_when_the_english_changed(admin_client):
    declaration = takasaki()
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    english = unescape(admin_client.get(change_url(declaration), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "out of date: the English changed later" in english
    assert "out of date: the Japanese changed later" not in english
    japanese = unescape(admin_client.get(change_url(declaration), HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "古い：その後に英語が変更されました" in japanese


def confirm(client, record, **headers):
    changelist = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_changelist")
    return client.post(
        changelist, {"action": "confirm_translations", "_selected_action": [record.pk]}, **headers
    )


def test_a_translator_confirms_an_out_of_date_translation_as_current_without_editing_it(publisher, client):
    declaration = takasaki()
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    title_ja = declaration.title_ja
    client.force_login(publisher)
    response = confirm(client, declaration, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    said = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert "Translations confirmed as current in 1 record." in said
    declaration.refresh_from_db()
    assert declaration.title_ja == title_ja and not declaration.is_out_of_date("title")
    latest = declaration.history.order_by("-history_id").first()
    assert latest.confirmed_translations == ["title_ja"] and latest.history_user == publisher
    assert not latest.minor_edit
    with translation.override("en"):
        assert version_note(latest) == "Translations confirmed as current: title_ja"
    with translation.override("ja"):
        assert version_note(latest) == "最新のものとして確認した翻訳：title_ja"
    # The history page shows it; the public page lists no correction for it.
    history_url = reverse("admin:declarations_declaration_history", args=[declaration.pk])
    history = unescape(client.get(history_url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Translations confirmed as current: title_ja" in history
    public = unescape(client.get(f"/en/declarations/{declaration.slug}/").content.decode())
    assert "Translations confirmed" not in public


def test_confirming_needs_the_change_permission(client, django_user_model):
    declaration = takasaki()
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    reader = django_user_model.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_declaration"))
    client.force_login(reader)
    confirm(client, declaration)
    declaration.refresh_from_db()
    assert declaration.is_out_of_date("title")


def test_a_minor_edit_of_the_authentic_text_leaves_its_translation_current(admin_client):
    declaration = takasaki()
    response = admin_client.post(
        change_url(declaration),
        declaration_form_data(
            declaration,
            title_en=f"{declaration.title_en}.",
            minor_edit="on",
            change_note="Full stop added",
        ),
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.title_en.endswith(".") and not declaration.is_out_of_date("title")
    latest = declaration.history.order_by("-history_id").first()
    assert latest.minor_edit and latest.history_change_reason == "Full stop added"
    with translation.override("en"):
        assert version_note(latest) == "Full stop added Minor edit: the translations stay current."
    # The next save is not minor unless the editor says so again.
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    assert declaration.is_out_of_date("title")
    assert not declaration.history.order_by("-history_id").first().minor_edit


def test_an_edit_that_is_not_minor_flags_the_translation(admin_client):
    declaration = takasaki()
    admin_client.post(
        change_url(declaration),
        declaration_form_data(
            declaration, title_en=f"{declaration.title_en} (corrected)", change_note="Title"
        ),
    )
    declaration.refresh_from_db()
    assert declaration.is_out_of_date("title")
