"""How a record is cited: one Citation, written as the record page's text (jinja2/includes/cite_record.html),
as BibTeX and as CSL-JSON, the format of reference managers (Zotero, Mendeley, Pandoc's citeproc).

Each app says what its records' citations hold (the issuing body, the date, the kind of work); the formats
are the same for all."""

import datetime
import json
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

LANGUAGE_NAMES = {"ja": "japanese", "en": "english"}

# BibTeX's special characters, each written so that it prints as itself.
BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


@dataclass(frozen=True)
class Citation:
    """A record as it is cited. `issuers` are the bodies that issued it (a document's meeting, a meeting's
    hosts); `issued` the day it was adopted or began; `updated` when the record last changed; `version`
    the record's version; `kind` the CSL type (document, webpage); `language` the page's."""

    key: str
    kind: str
    title: str
    issuers: tuple[str, ...]
    issued: datetime.date | None
    updated: datetime.datetime
    version: int
    url: str
    language: str
    # The source gives only the month of `issued` (a meeting of 2016年4月): the citation gives no day.
    issued_month_only: bool = False

    @property
    def updated_on(self) -> datetime.date:
        """The day of the last change, in the site's time zone, as the page shows it."""
        return timezone.localtime(self.updated).date()


def last_updated_note(citation: Citation) -> str:
    return _("Last updated %(date)s") % {"date": citation.updated_on.isoformat()}


def issued_iso(citation: Citation) -> str:
    return citation.issued.strftime("%Y-%m") if citation.issued_month_only else citation.issued.isoformat()


def bibtex_text(value: str) -> str:
    return str(value).translate(BIBTEX_ESCAPES)


def bibtex(citation: Citation) -> str:
    """A BibTeX @misc entry (with biblatex's date, version and langid), the issuers as corporate authors."""
    fields = [("title", "{" + bibtex_text(citation.title) + "}")]
    if citation.issuers:
        fields.append(
            ("author", " and ".join("{" + bibtex_text(issuer) + "}" for issuer in citation.issuers))
        )
    if citation.issued:
        fields += [("year", str(citation.issued.year)), ("date", issued_iso(citation))]
    fields += [
        ("howpublished", bibtex_text(_("G7 2023 Archive"))),
        ("version", str(citation.version)),
        ("note", bibtex_text(last_updated_note(citation))),
        ("url", citation.url),
        ("langid", LANGUAGE_NAMES.get(citation.language, citation.language)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{citation.key},\n{body}\n}}\n"


def csl_json(citation: Citation) -> list[dict]:
    """The citation as a CSL-JSON array of one item."""
    item = {
        "id": citation.key,
        "type": citation.kind,
        "title": citation.title,
        "author": [{"literal": issuer} for issuer in citation.issuers],
        "container-title": _("G7 2023 Archive"),
        "publisher": _("G7 2023 Archive"),
        "version": str(citation.version),
        "URL": citation.url,
        "language": citation.language,
        "note": last_updated_note(citation),
    }
    if citation.issued:
        issued = citation.issued
        parts = (
            [issued.year, issued.month]
            if citation.issued_month_only
            else [issued.year, issued.month, issued.day]
        )
        item["issued"] = {"date-parts": [parts]}
    return [item]


FORMATS = {
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib", bibtex),
    "csl-json": (
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        "json",
        lambda citation: json.dumps(csl_json(citation), ensure_ascii=False, indent=2) + "\n",
    ),
}


def citation_response(citation: Citation, format: str) -> HttpResponse:
    """The citation as a file to download in `format` (bibtex or csl-json)."""
    content_type, extension, write = FORMATS[format]
    response = HttpResponse(write(citation), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citation.key}-{citation.language}.{extension}"'
    return response
