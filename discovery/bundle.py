"""The whole public archive as one file: a ZIP of one CSV per resource, the same rows as one JSON file,
and a manifest and a README that give its date, its version and its licence.

The CSV files are those of the API's exports for an anonymous client (the same columns, from each app's
resources.py, and the same published records), each sorted by its natural key. The bundle's version is a
hash of their content, so the same records always make the same version, and the same bytes: every entry
of the ZIP carries the archive's last change as its time. Its date is that of the archive's last change
(operations.cache.archive_last_modified, which the API's Last-Modified gives too).

Building it reads every table once, a fixed number of queries however many records there are; the view
keeps it in the cache for as long as a page (operations.cache: until the content changes or a scheduled
record is due).
"""

import datetime
import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from import_export.resources import Resource
from rest_framework.utils.encoders import JSONEncoder

from commitments.resources import CommitmentResource, EarlierCommitmentResource, FollowUpResource
from commitments.selectors import (
    with_commitment_record,
    with_earlier_commitment_record,
    with_follow_up_record,
)
from declarations.models import Annex, CommuniqueItem, Declaration, OfficialText, Theme
from declarations.resources import AnnexResource, CommuniqueItemResource, DeclarationResource, ThemeResource
from declarations.selectors import item_parts, parts_seen_by
from meetings.models import Location, Meeting, Organization, Person, Prefecture
from meetings.resources import MeetingResource, OrganizationResource, PersonResource, PrefectureResource
from operations.cache import archive_last_modified
from publication.api import exports
from publication.licence import CC_BY, LICENCE, SOURCE

NAME = "g7-2023-archive"
JSON_NAME = f"{NAME}.json"
MANIFEST_NAME = "manifest.json"
README_NAME = "README.txt"
# A ZIP entry cannot be dated before 1980.
EARLIEST_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)

TITLE = {"ja": "G7 2023 アーカイブ", "en": "G7 2023 Archive"}


def anonymous():
    return AnonymousUser()


@dataclass(frozen=True)
class BundleResource:
    """One resource of the bundle: its name (the API's), its columns and the published records."""

    name: str
    resource_class: type[Resource]
    records: Callable[[], QuerySet | list]

    @property
    def csv_name(self) -> str:
        return f"csv/{self.name}.csv"


def without_hidden(records, field: str) -> list:
    """The records, each naming the record in `field` only if the public may see it, as an anonymous
    client's export does: the summit of a meeting, the meeting of a document.

    Read with the records in one join (select_related) rather than prefetched as the export's chunks are:
    a prefetch of one record per row names every one of them in its query, which SQLite refuses past a
    thousand or so (its expression tree is too deep)."""
    records = list(records)
    for record in records:
        named = getattr(record, field)
        if named is not None and not named.is_public:
            setattr(record, field, None)
    return records


# The API's resources, in its order, each with the rows an anonymous client's export gives.
RESOURCES = [
    BundleResource(
        "meetings",
        MeetingResource,
        lambda: without_hidden(
            Meeting.objects.published()
            .select_related("source", "summit")
            .prefetch_related(
                "hosts", "sessions", Prefetch("locations", Location.objects.select_related("prefecture"))
            ),
            "summit",
        ),
    ),
    BundleResource(
        "declarations",
        DeclarationResource,
        lambda: without_hidden(
            Declaration.objects.published()
            .select_related("source", "meeting")
            .prefetch_related(
                "themes",
                "annexes",
                "communique_items",
                Prefetch("official_texts", OfficialText.objects.filter(annex=None).order_by("number")),
            ),
            "meeting",
        ),
    ),
    BundleResource(
        "themes", ThemeResource, lambda: parts_seen_by(Theme, anonymous()).prefetch_related("key_points")
    ),
    BundleResource(
        "annexes",
        AnnexResource,
        lambda: (
            parts_seen_by(Annex, anonymous())
            .select_related("theme")
            .prefetch_related(Prefetch("official_texts", OfficialText.objects.order_by("number")))
        ),
    ),
    BundleResource(
        "communique-items",
        CommuniqueItemResource,
        lambda: parts_seen_by(CommuniqueItem, anonymous()).prefetch_related(*item_parts(anonymous())),
    ),
    BundleResource("commitments", CommitmentResource, lambda: with_commitment_record(anonymous())),
    BundleResource("follow-ups", FollowUpResource, lambda: with_follow_up_record(anonymous())),
    BundleResource(
        "earlier-commitments", EarlierCommitmentResource, lambda: with_earlier_commitment_record(anonymous())
    ),
    BundleResource("organizations", OrganizationResource, lambda: Organization.objects.all()),
    BundleResource("people", PersonResource, lambda: Person.objects.all()),
    BundleResource("prefectures", PrefectureResource, lambda: Prefecture.objects.all()),
]
# The key each resource's rows are sorted by: stable whatever order the database reads them in. A document's
# parts come in the order its page shows them (their position), as the API lists them.
SORT_KEYS = {
    "themes": lambda part: (part.declaration.slug, part.position),
    "annexes": lambda part: (part.declaration.slug, part.position),
    "communique-items": lambda part: (part.declaration.slug, part.position),
    "prefectures": lambda prefecture: prefecture.code,
}


def natural_order(name: str, records) -> list:
    return sorted(records, key=SORT_KEYS.get(name, lambda record: record.slug))


@dataclass(frozen=True)
class Bundle:
    content: bytes
    filename: str
    version: str
    last_modified: datetime.datetime | None


def utc_iso(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 in UTC to the second, as the API and the CSV files write times."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def bundle_filename(version: str, last_modified: datetime.datetime | None) -> str:
    """g7-2023-archive-2024-03-31-3f2a9c1b7d4e.zip: the day of the archive's last change (UTC) and its
    version, so that the name tells one bundle from another and sorts by date."""
    day = last_modified.astimezone(datetime.UTC).date().isoformat() if last_modified else "empty"
    return f"{NAME}-{day}-{version}.zip"


def build_bundle(request) -> Bundle:
    """The bundle of the records the public sees now; `request` gives the site's address for the links.

    Built in the site's default language whoever asks first (it is kept once for every reader): the one
    thing in it that has a language, a record's address on the site (a commitment's paragraph), is then the
    same as in the API's export for a client that names no language."""
    with translation.override(settings.LANGUAGE_CODE):
        return bundle_of_the_archive(request)


def bundle_of_the_archive(request) -> Bundle:
    last_modified = archive_last_modified()
    # Each record's values are read once, for its CSV row and its JSON object alike.
    tables = {}
    for resource in RESOURCES:
        columns = exports.resource_columns(resource.resource_class)
        records = natural_order(resource.name, resource.records())
        tables[resource.name] = (
            [column.name for column in columns],
            [exports.row_values(columns, record) for record in records],
        )
    csv_files = {
        resource.csv_name: "".join(exports.csv_rows(*tables[resource.name])).encode("utf-8")
        for resource in RESOURCES
    }
    digest = hashlib.sha256()
    for name, content in csv_files.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    version = digest.hexdigest()[:12]

    about = {
        "title": TITLE,
        "version": version,
        "last_modified": utc_iso(last_modified),
        "licence": {**LICENCE, "compatible_with": CC_BY},
        "source": SOURCE,
        "url": request.build_absolute_uri(reverse("discovery:archive")),
        "data_page": {
            code: request.build_absolute_uri(translated_path("data", code)) for code in ("ja", "en")
        },
        "api": request.build_absolute_uri(reverse("api:api-root")),
    }
    archive_json = JSONEncoder(ensure_ascii=False, indent=1).encode(
        {
            **about,
            # The rows of the CSV files, a JSON object per row, by column name.
            "resources": {
                name: [dict(zip(header, row, strict=True)) for row in rows]
                for name, (header, rows) in tables.items()
            },
        }
    )
    json_file = (archive_json + "\n").encode("utf-8")
    files = [
        {
            "path": resource.csv_name,
            "resource": resource.name,
            "format": "text/csv",
            "rows": len(tables[resource.name][1]),
            "columns": tables[resource.name][0],
            "sha256": hashlib.sha256(csv_files[resource.csv_name]).hexdigest(),
            "api_export": request.build_absolute_uri(reverse(export_url_name(resource.name)) + "?format=csv"),
        }
        for resource in RESOURCES
    ]
    files.append(
        {"path": JSON_NAME, "format": "application/json", "sha256": hashlib.sha256(json_file).hexdigest()}
    )
    manifest = JSONEncoder(ensure_ascii=False, indent=2).encode({**about, "files": files}) + "\n"
    readme = render_to_string("data/README.txt", {**about, "files": files, "name": NAME})

    entry_time = EARLIEST_ENTRY_TIME
    if last_modified is not None:
        entry_time = max(last_modified.astimezone(datetime.UTC).timetuple()[:6], EARLIEST_ENTRY_TIME)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [
            (README_NAME, readme.encode("utf-8")),
            (MANIFEST_NAME, manifest.encode("utf-8")),
            (JSON_NAME, json_file),
            *csv_files.items(),
        ]
        for name, content in entries:
            info = zipfile.ZipInfo(f"{NAME}/{name}", date_time=entry_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return Bundle(
        content=buffer.getvalue(),
        filename=bundle_filename(version, last_modified),
        version=version,
        last_modified=last_modified,
    )


def export_url_name(resource: str) -> str:
    """The name of the API's export of a resource: the router's for records with a slug, the parts' own."""
    singular = {
        "meetings": "meeting",
        "declarations": "declaration",
        "themes": "theme",
        "annexes": "annex",
        "communique-items": "communique-item",
        "organizations": "organization",
        "people": "person",
        "prefectures": "prefecture",
        "commitments": "commitment",
        "follow-ups": "follow-up",
        "earlier-commitments": "earlier-commitment",
    }[resource]
    return f"api:{singular}-export"


def translated_path(view_name: str, language: str) -> str:
    with translation.override(language):
        return reverse(view_name)
