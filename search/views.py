"""The search page: one box, results grouped by kind, matches highlighted, in the page's language."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .engine import MAX_QUERY_LENGTH, SearchError, search
from .models import Kind

# Enough for every record of the presidency in one page; the count says when there are more.
RESULT_LIMIT = 100


class SearchForm(forms.Form):
    # Django's CharField rejects NUL characters with a field error; the length is the engine's limit.
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.ChoiceField(
        label=_("Only"), choices=[("", _("All kinds of record")), *Kind.choices], required=False
    )


class SearchView(TemplateView):
    template_name = "search/search.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        results = None
        error = None
        if form.is_valid() and form.cleaned_data["q"]:
            kind = form.cleaned_data["kind"]
            try:
                results = search(
                    form.cleaned_data["q"],
                    language=get_language(),
                    kinds=[kind] if kind else None,
                    limit=RESULT_LIMIT,
                )
            except SearchError:
                # The engine's own checks mirror the form's; its message is English, so show ours.
                error = _("This search cannot be run. Try fewer or shorter words.")
        context = self.get_context_data(form=form, results=results, error=error, limit=RESULT_LIMIT)
        status = 400 if form.errors or error else 200
        return self.render_to_response(context, status=status)
