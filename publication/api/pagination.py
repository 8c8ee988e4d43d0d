"""Page-number pagination with strict parameters: a bad `page` or `page_size` is an error, not a guess."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class PageNumbers(PageNumberPagination):
    """`?page=N` (from 1) and `?page_size=1…100` (default 20).

    DRF quietly replaces an invalid page size with the default and clamps a large one; here either is
    a 400, so a client never gets fewer records per page than it believes. A page that does not exist
    (`page=0`, `page=abc`, past the last) is a 404 naming the page.
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    invalid_page_message = _("Invalid page “{page_number}”: {message}")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # Checked as text first: int() of thousands of digits is itself an error.
        valid = raw.isascii() and raw.isdigit() and len(raw) <= 3
        if not valid or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(maximum)d.") % {"maximum": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def declared_parameters(self) -> set[str]:
        return {self.page_query_param, self.page_size_query_param}

    def check_parameters(self, request) -> None:
        """The checks of paginate_queryset() for a response that is not paged (a list's CSV): a bad page
        size is a 400, a page number that no list has (`page=0`, `page=abc`) a 404."""
        self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and len(raw) <= 18 and int(raw) >= 1):
            raise NotFound(
                self.invalid_page_message.format(
                    page_number=raw, message=_("That page number is less than 1")
                )
            )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = str(_("A page number, from 1; past the last page is a 404."))
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
                parameter["description"] = str(_("Records per page, 1–100 (default 20); others are a 400."))
        return parameters
