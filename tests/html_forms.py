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
