"""What the publication app's tests share: the meeting and the document they change, a change page's
address, the data of a document's and a theme's change forms, a correction saved as an editor's would be, a
change proposed for review with the admin home's review inbox that lists it, what each role may do in the
admin (which the API's roles match), an import of meetings from a CSV file, and how many parts of each
kind there are (a preview writes none), the hosts a meeting's page lists, and the numbers and positions
of a kind of part."""

from html import unescape

from django.urls import reverse

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Location, Session
from publication.review import submit_pending_change

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
TAKASAKI_DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"


def takasaki():
    """The Takasaki declaration, whose authentic language is English."""
    return Declaration.objects.get(slug=TAKASAKI_DECLARATION)


def declaration_form_data(declaration, **overrides):
    data = {
        "slug": declaration.slug,
        "meeting": declaration.meeting_id,
        "kind": declaration.kind,
        "adopted_on": declaration.adopted_on.isoformat(),
        "authentic_language": declaration.authentic_language,
        "title_ja": declaration.title_ja,
        "title_en": declaration.title_en,
        "short_title_ja": declaration.short_title_ja,
        "short_title_en": declaration.short_title_en,
        "summary_ja": declaration.summary_ja,
        "summary_en": declaration.summary_en,
        "source": declaration.source_id,
        "source_locator": declaration.source_locator,
        "provenance_note_ja": declaration.provenance_note_ja,
        "provenance_note_en": declaration.provenance_note_en,
        "status": declaration.status,
        "published_at_0": "2024-04-01",
        "published_at_1": "00:00:00",
        "loaded_version": declaration.version,
    }
    for prefix in ("themes", "footnotes", "annexes", "communique_items", "official_texts"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data.update(overrides)
    return data


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def correct(record, note="", **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._change_reason = note
    record.save()


INDEX = reverse("admin:index")


def hosts_listed(page: str) -> str:
    """The list of hosts on a meeting's page (its "Hosts" term and what follows, to the end of its entry)."""
    start = page.index("<dt>Hosts</dt>")
    return page[start : page.index("</dd>", start)]


def propose(record, user, **data):
    return submit_pending_change(record=record, data=data, user=user, note="A proposed correction")


def inbox_of(client) -> str:
    page = unescape(client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    return page[page.index('id="review-inbox"') : page.index("</section>", page.index('id="review-inbox"'))]


ROLES = ["anonymous", "editor", "publisher", "superuser"]


# Expected outcome of each action in the admin, by role.
MATRIX = {
    "view": {"anonymous": False, "editor": True, "publisher": True, "superuser": True},
    "add": {"anonymous": False, "editor": True, "publisher": True, "superuser": True},
    "change": {"anonymous": False, "editor": True, "publisher": True, "superuser": True},
    "publish": {"anonymous": False, "editor": False, "publisher": True, "superuser": True},
    "delete": {"anonymous": False, "editor": False, "publisher": True, "superuser": True},
}


def theme_form_data(theme, **overrides):
    data = {
        "declaration": theme.declaration_id,
        "number": theme.number,
        "title_ja": theme.title_ja,
        "title_en": theme.title_en,
        "loaded_version": theme.version,
        "key_points-TOTAL_FORMS": 0,
        "key_points-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def import_csv(client, text, **headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("meetings.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse("admin:meetings_meeting_import"),
        {"resource": "0", "format": "0", "import_file": upload},
        **headers,
    )


CSV_HEADER = "slug,forum,kind,year,presidency,portfolio,title_ja,title_en,short_title_ja,short_title_en,status,published_at\n"


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Theme, KeyPoint, Footnote, Annex, CommuniqueItem, Location, Session)
    }


def numbers_and_positions(queryset) -> dict[int, tuple[int, int]]:
    return {
        pk: (number, position) for pk, number, position in queryset.values_list("pk", "number", "position")
    }
