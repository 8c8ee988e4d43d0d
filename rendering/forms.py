"""The form renderer of the whole project: Django's own, with <select> and <input> written in Python; and
a Select widget for the public filters that writes itself without a context for each option.

Django renders a select through a template, and each of its options through two more (the option and its
attributes): a filter form of some ninety options (prefectures, years, months) cost a list page 6 ms, a
quarter of the page. `render_select` writes the same HTML, character for character, from the same widget
context, and `render_input` that of the text, number and search inputs beside them; every other widget
keeps its template. tests/web/test_forms.py holds the two to each other.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeData, mark_safe

from rendering.markup import escaped

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# The input widgets whose template is input.html alone.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "search", "email", "url", "tel", "password", "hidden", "date", "time")
)


def text(value) -> str:
    """A value as `{{ value }}` writes it: localised, then escaped unless it is safe."""
    return escaped(value if isinstance(value, str) else localize(value))


def formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as %s, escaped unless it is safe."""
    return escaped(mark_safe(f"{value}") if isinstance(value, SafeData) else f"{value}")


def attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {text(name)}" if value is True else f' {text(name)}="{formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{formatted(widget["value"])}"'
    return f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{value}{attributes(widget["attrs"])}>'


def render_option(option: dict) -> str:
    return (
        f'<option value="{formatted(option["value"])}"{attributes(option["attrs"])}>'
        f"{text(option['label'])}</option>\n"
    )


def render_select(widget: dict) -> str:
    parts = [f'<select name="{text(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{text(group_name)}">')
        for option in group_choices:
            parts.append("\n  ")
            parts.append(render_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and all(
            option["template_name"] == OPTION_TEMPLATE
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            # As Django's renderer returns a template's output: stripped.
            return render_select(context["widget"]).strip()
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"]).strip()
        return super().render(template_name, context, request)


class Select(forms.Select):
    """forms.Select for the public filters, written straight from its choices.

    Django's Select makes a dict of context for each option (its value, label, attributes, template,
    index) before the renderer writes it: for the meetings list's ninety options (prefectures, months,
    portfolios…) that was a quarter of the page. This one writes the HTML that Django's templates write
    for the same choices and value (render_select), and leaves grouped choices and multiple selections
    to Django. tests/web/test_forms.py holds the two equal.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # Iterated, not list()ed: list() asks a ModelChoiceIterator for its length, a COUNT query.
        choices = [choice for choice in self.choices]
        if self.allow_multiple_selected or any(isinstance(label, (list, tuple)) for _v, label in choices):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        options, has_selected = [], False
        for option_value, label in choices:
            if option_value is None:
                option_value = ""
            selected = not has_selected and str(option_value) in values
            has_selected |= selected
            options.append(
                {"value": option_value, "label": label, "attrs": {"selected": True} if selected else {}}
            )
        # The widget's context as render_select reads it, all options in one group without a name.
        widget = {
            "name": name,
            "attrs": self.build_attrs(self.attrs, attrs),
            "optgroups": [(None, options, 0)],
        }
        return mark_safe(render_select(widget).strip())
