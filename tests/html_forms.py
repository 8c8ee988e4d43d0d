"""What a browser would send back from a page's form, for tests that post an admin form as an editor does."""

from html.parser import HTMLParser

from django.utils.datastructures import MultiValueDict

TEXT_INPUTS = {"text", "hidden", "number", "date", "time", "email", "url", "password", "search", "tel"}


class FormReader(HTMLParser):
    """The successful controls of the form whose id is `form_id`: checked boxes, selected options, texts."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = MultiValueDict()
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in TEXT_INPUTS:
                self.data.appendlist(name, attributes.get("value") or "")
            elif kind in {"checkbox", "radio"} and "checked" in attributes:
                self.data.appendlist(name, attributes.get("value") or "on")
        elif tag == "select" and name:
            self.select = (name, "multiple" in attributes)
            self.options = []
        elif tag == "option" and self.select is not None:
            self.options.append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            for value in chosen:
                self.data.appendlist(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that may follow the opening tag.
            self.data.appendlist(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None


def form_data(response, form_id: str) -> dict[str, list[str]]:
    """The data the browser would post from the form `form_id` of `response` (an inline's empty template,
    `…-__prefix__-…`, left out), as a dict of lists for the test client."""
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    return {name: values for name, values in reader.data.lists() if "__prefix__" not in name}


class References(HTMLParser):
    """The ids of a page's elements and the ids its ARIA attributes refer to (aria-describedby, …)."""

    ATTRIBUTES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns", "for")

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in self.ATTRIBUTES and value is not None:
                self.references += [(name, target) for target in value.split()]


def dangling_references(html: str) -> list[tuple[str, str]]:
    """What the page's ARIA attributes and labels refer to that the page does not have."""
    page = References(html)
    return [(name, target) for name, target in page.references if target not in page.ids]
