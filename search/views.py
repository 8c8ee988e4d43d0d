"""The search page: one box, results a page at a time in one ranked list, the kinds of record as facets
that narrow it, matches highlighted, in the page's language."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from operations import records
from operations.records import KeptListMixin
from publication.corrections import JAPANESE_SCRIPT
from publication.filters import PageForm

from .engine import MAX_QUERY_LENGTH, SearchError, facets, rank, results_page
from .models import Kind

# A phone's screen or two: the ranking is whole, but only a page's hits are read and highlighted.
RESULTS_PER_PAGE = 20


class SearchForm(PageForm):
    # Django's CharField rejects NUL characters with a field error; the length is the engine's limit.
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY_LENGTH, required=False)
    kind = forms.ChoiceField(
        label=_("Only"),
        choices=[("", _("All kinds of record")), *Kind.choices],
        required=False,
    )


class SearchView(KeptListMixin, ListView):
    """The ranking of a search, paged by ListView as the site's lists are: ?page= takes a number or "last",
    and any other value, or a page past the end, is a 404. Without words there is nothing to page through,
    and ?page= is not read; a bad query is shown as the form's error with a 400.

    ?kind= narrows the ranking to one kind of record; the facets count the records of each kind that the
    search finds, whichever kind is shown.

    A visitor's results are kept (operations.records) until an entry holding one of their words is written
    or removed (search.indexing marks the words), or any record's publication changes."""

    template_name = "search/search.html"
    body_template_name = "search/search_body.html"
    kept_context = ("searched",)
    paginate_by = RESULTS_PER_PAGE
    # For the page cache (operations/cache.py): the parameters this page reads.
    query_parameters = (*SearchForm.base_fields, "page")

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.ranking = self.everything = None
        self.error = None
        if self.form.is_valid() and self.form.cleaned_data["q"]:
            words, kind = self.form.cleaned_data["q"], self.form.cleaned_data["kind"]
            try:
                self.everything = rank(words, language=get_language())
                # The kind's own ranking, which reads as many entries of that kind as the one of every kind
                # reads of all: one more query, whether or not that one read every entry of its words.
                self.ranking = rank(words, language=get_language(), kinds=[kind]) if kind else self.everything
                parsed = self.everything.parsed
                records.note(records.word_mark(term) for term in parsed.exact_terms | parsed.prefixes)
            except SearchError:
                # The engine's own checks mirror the form's; its message is English, so show ours.
                self.error = _("This search cannot be run. Try fewer or shorter words.")
                self.ranking = self.everything = None
        return self.ranking.records if self.ranking is not None else []

    def get_paginate_by(self, ranked):
        return self.paginate_by if self.ranking is not None else None

    def finds_by_words(self, query) -> bool:
        # It does, and notes the marks of the words it finds by.
        return False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, error=self.error, **kwargs)
        context["results"] = None
        # What the page's title names: the query searched for, if any.
        context["searched"] = ""
        if self.ranking is not None:
            # Only the page's records are read and highlighted.
            context["results"] = results_page(self.ranking, context["object_list"])
            context["searched"] = context["results"].query
            context["everything"] = self.everything
            context["facets"] = facets(self.everything)
            context["kind"] = self.form.cleaned_data["kind"]
            # The query is echoed in the results' heading: in Japanese script it is marked so on a page of
            # either language (WCAG's language of parts), as the site's other Japanese words are.
            context["query_is_japanese"] = bool(JAPANESE_SCRIPT.search(self.form.cleaned_data["q"]))
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.form.errors or self.error:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)
