"""An outcome document as Akoma Ntoso 3.0 XML (OASIS LegalDocML): one expression per language.

Each document is a `statement` (AKN's type for a deliberation that is not a law). Its identity follows the
Akoma Ntoso naming convention (FRBR levels, ELI-like IRIs):

- the work: `/akn/jp/statement/<date adopted>/<slug>`;
- an expression: the work's IRI, `/`, the language as ISO 639-2 (`jpn`, `eng`) and `@` (the original
  version);
- its manifestation: the expression's IRI and `/!main.xml`.

The expression in the document's authentic language is marked authoritative (FRBRauthoritative); the
other names it as its master expression. The `eId` of each theme, key point, footnote, annex and
communiqué item is the anchor its document page gives it (`theme-1`, `theme-1-point-2`, `note-1`,
`annex-3`, `item-2`), so the XML and the page point at the same parts. A text missing in the expression's
language is given in Japanese, marked `xml:lang="ja"`, as the pages show it.

The commitments of the register that a paragraph holds (its key point, footnote, annex or communiqué item)
are concepts of the document's references: each published commitment is a `TLCConcept` (`eId`
`commitment-<slug>`, `href` its public page in the expression's language, `showAs` its number and words),
and the element of the paragraph it comes from names it in its `refersTo`. Both expressions carry them.
They are what the document's page shows beside each paragraph (declarations.annotations), read with it.

The tree is built with lxml's element API, never by joining strings; the document is read by its page's
read path (declarations.selectors.read_document), a fixed number of queries however long it is.
"""

import datetime
from urllib.parse import urljoin

from django.utils import translation
from lxml import etree

AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/akn+xml"
# ISO 639-2 codes, as the naming convention writes an expression's language.
LANGUAGE_CODES = {"ja": "jpn", "en": "eng"}
COUNTRY = "jp"
DOCUMENT_TYPE = "statement"
# The statement's @name: what kind of statement it is, by the document's kind.
NAMES = {
    "ministerial_declaration": "ministerialDeclaration",
    "leaders_communique": "leadersCommunique",
    "chairs_statement": "chairsStatement",
    "other": "statement",
}
ARCHIVE_NAME = {"ja": "G7 2023 アーカイブ", "en": "G7 2023 Archive"}
# The authentic expression's language as each expression names it (FRBRmasterExpression's showAs).
LANGUAGE_NAMES = {"ja": {"ja": "日本語", "en": "英語"}, "en": {"ja": "Japanese", "en": "English"}}


def akn(tag: str) -> str:
    return f"{{{AKN_NAMESPACE}}}{tag}"


def commitment_eid(commitment) -> str:
    return f"commitment-{commitment.slug}"


def work_date(declaration) -> datetime.date:
    """The work's date: the day it was adopted, or, for a document without one, the day its record was
    made (FRBRdate requires a date)."""
    return declaration.adopted_on or declaration.created_at.date()


def work_iri(declaration) -> str:
    return f"/akn/{COUNTRY}/{DOCUMENT_TYPE}/{work_date(declaration).isoformat()}/{declaration.slug}"


def expression_iri(declaration, language: str) -> str:
    return f"{work_iri(declaration)}/{LANGUAGE_CODES[language]}@"


def manifestation_iri(declaration, language: str) -> str:
    return f"{expression_iri(declaration, language)}/!main.xml"


class Builder:
    """Builds the expression of `declaration` in `language` ("ja" or "en")."""

    def __init__(self, declaration, language: str, *, archive_url: str, meeting_url: str):
        self.declaration = declaration
        self.language = language
        self.archive_url = archive_url
        self.meeting_url = meeting_url
        # The commitments the paragraphs hold, as the body names them; made concepts of the references.
        self.commitments: list = []
        self.references = None

    # Texts

    def text(self, record, field: str) -> tuple[str, str | None]:
        """The record's text in the expression's language, or its Japanese where that is missing; with the
        language to mark (None when it is the expression's)."""
        own = getattr(record, f"{field}_{self.language}", "") or ""
        if own or self.language == "ja":
            return own, None
        return getattr(record, f"{field}_ja", "") or "", "ja"

    def add_text(self, parent, tag: str, record, field: str, **attributes):
        text, fallback = self.text(record, field)
        element = etree.SubElement(parent, akn(tag), **attributes)
        element.text = text
        if fallback:
            element.set(XML_LANG, fallback)
        return element

    def sub(self, parent, tag: str, text: str | None = None, **attributes):
        element = etree.SubElement(parent, akn(tag), **attributes)
        if text is not None:
            element.text = text
        return element

    # The document

    def build(self) -> etree._Element:
        root = etree.Element(akn("akomaNtoso"), nsmap={None: AKN_NAMESPACE})
        statement = self.sub(root, DOCUMENT_TYPE, name=NAMES.get(self.declaration.kind, "statement"))
        statement.set("contains", "originalVersion")
        self.meta(statement)
        self.preface(statement)
        if self.declaration.summary_ja:
            preamble = self.sub(statement, "preamble")
            self.add_text(preamble, "p", self.declaration, "summary")
        self.main_body(statement)
        self.commitment_concepts()
        return root

    def meta(self, statement):
        declaration, language = self.declaration, self.language
        meta = self.sub(statement, "meta")
        identification = self.sub(meta, "identification", source="#archive")
        date = work_date(declaration).isoformat()
        authentic = declaration.authentic_language

        work = self.sub(identification, "FRBRWork")
        self.sub(work, "FRBRthis", value=f"{work_iri(declaration)}/!main")
        self.sub(work, "FRBRuri", value=work_iri(declaration))
        self.sub(work, "FRBRdate", date=date, name="adoption" if declaration.adopted_on else "record")
        self.sub(work, "FRBRauthor", href="#author")
        self.sub(work, "FRBRcountry", value=COUNTRY)
        self.sub(work, "FRBRnumber", value=declaration.slug)
        self.sub(work, "FRBRname", value=declaration.get_kind_display())
        # Political commitments, not law.
        self.sub(work, "FRBRprescriptive", value="false")

        expression = self.sub(identification, "FRBRExpression")
        self.sub(expression, "FRBRthis", value=f"{expression_iri(declaration, language)}/!main")
        self.sub(expression, "FRBRuri", value=expression_iri(declaration, language))
        self.sub(expression, "FRBRdate", date=date, name="adoption" if declaration.adopted_on else "record")
        self.sub(expression, "FRBRauthor", href="#author")
        self.sub(expression, "FRBRauthoritative", value="true" if language == authentic else "false")
        if language != authentic:
            self.sub(
                expression,
                "FRBRmasterExpression",
                href=expression_iri(declaration, authentic),
                showAs=LANGUAGE_NAMES[language][authentic],
            )
        self.sub(expression, "FRBRlanguage", language=LANGUAGE_CODES[language])

        manifestation = self.sub(identification, "FRBRManifestation")
        self.sub(manifestation, "FRBRthis", value=manifestation_iri(declaration, language))
        self.sub(manifestation, "FRBRuri", value=manifestation_iri(declaration, language))
        self.sub(manifestation, "FRBRdate", date=declaration.updated_at.date().isoformat(), name="generation")
        self.sub(manifestation, "FRBRauthor", href="#archive")
        self.sub(manifestation, "FRBRformat", value=CONTENT_TYPE)

        references = self.references = self.sub(meta, "references", source="#archive")
        self.sub(
            references, "TLCOrganization", eId="archive", href=self.archive_url, showAs=ARCHIVE_NAME[language]
        )
        meeting, _fallback = self.text(declaration.meeting, "title")
        self.sub(references, "TLCOrganization", eId="author", href=self.meeting_url, showAs=meeting)

    # The commitment register

    def refer_to_commitments(self, element, part):
        """Name in `element`'s refersTo the published commitments that `part`, the paragraph it renders,
        holds (its annotations, declarations.annotations: those its reader may see, of which only the
        published are given here)."""
        annotations = getattr(part, "annotations", None) or {}
        held = [commitment for commitment in annotations.get("commitments", []) if commitment.is_public]
        if held:
            element.set("refersTo", " ".join(f"#{commitment_eid(commitment)}" for commitment in held))
            self.commitments.extend(held)

    def commitment_concepts(self):
        """Each commitment named in the body as a concept of the references, by number, with the address of
        its page in the expression's language."""
        with translation.override(self.language):
            for commitment in sorted(self.commitments, key=lambda commitment: commitment.number):
                words, _fallback = self.text(commitment, "text")
                self.sub(
                    self.references,
                    "TLCConcept",
                    eId=commitment_eid(commitment),
                    href=urljoin(self.archive_url, commitment.get_absolute_url()),
                    showAs=f"{commitment.number}. {words}",
                )

    def preface(self, statement):
        preface = self.sub(statement, "preface")
        self.add_text(self.sub(preface, "p"), "docTitle", self.declaration, "title")
        if self.declaration.adopted_on:
            self.sub(
                self.sub(preface, "p"),
                "docDate",
                self.declaration.adopted_on.isoformat(),
                date=self.declaration.adopted_on.isoformat(),
            )

    def main_body(self, statement):
        body = self.sub(statement, "mainBody")
        declaration = self.declaration
        for theme in declaration.themes.all():
            self.theme(body, theme)
        for item in declaration.communique_items.all():
            container = self.sub(body, "hcontainer", name="communiqueItem", eId=item.anchor)
            self.refer_to_commitments(container, item)
            self.sub(container, "num", f"{item.number}.")
            self.add_text(container, "heading", item, "title")
            self.add_text(self.sub(container, "content"), "p", item, "text")
        for annex in declaration.annexes.all():
            container = self.sub(body, "hcontainer", name="annex", eId=annex.anchor)
            self.refer_to_commitments(container, annex)
            self.sub(container, "num", str(annex.number))
            self.add_text(container, "heading", annex, "title")
            content = self.sub(container, "content")
            if annex.summary_ja:
                self.add_text(content, "p", annex, "summary")
            else:
                self.sub(content, "p")
        if not len(body):
            # mainBody may not be empty: a document without parts says nothing more than its title.
            self.sub(body, "p")

    def theme(self, body, theme):
        container = self.sub(body, "hcontainer", name="theme", eId=theme.anchor)
        self.sub(container, "num", theme.marker)
        self.add_text(container, "heading", theme, "title")
        notes = [note for note in self.declaration.footnotes.all() if note.theme_id == theme.pk]
        points = list(theme.key_points.all())
        last = None
        for point in points:
            part = self.sub(container, "hcontainer", name="keyPoint", eId=point.anchor)
            self.refer_to_commitments(part, point)
            self.sub(part, "num", str(point.number))
            last = self.add_text(self.sub(part, "content"), "p", point, "text")
        if last is None:
            last = self.sub(self.sub(container, "content"), "p")
        # As on the page, the theme's notes follow its last key point.
        for note in notes:
            authorial = self.sub(last, "authorialNote", marker=f"＊{note.number}", eId=note.anchor)
            self.refer_to_commitments(authorial, note)
            self.add_text(authorial, "p", note, "text")


def akoma_ntoso(declaration, language: str, *, archive_url: str, meeting_url: str) -> bytes:
    """The document's expression in `language` as Akoma Ntoso 3.0 XML, UTF-8, with its declaration."""
    root = Builder(declaration, language, archive_url=archive_url, meeting_url=meeting_url).build()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
