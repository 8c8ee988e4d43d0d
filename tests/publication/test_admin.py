"""The admin as editors use it: every page opens, both languages show, and the rules show as field errors."""

import csv
import io
import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from meetings.models import Meeting

pytestmark = pytest.mark.django_db

CONTENT_APPS = {"core", "meetings", "declarations", "commitments"}
CONTENT_MODELS = [model for model in admin.site._registry if model._meta.app_label in CONTENT_APPS]


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
    model_admin = admin.site._registry[model]
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
