from django.views.generic.base import ContextMixin


class PublishedMixin(ContextMixin):
    """Visitors see published records only; staff who may change a record preview it as it will appear."""

    model = None

    def get_queryset(self):
        queryset = self.model._default_manager.all()
        user = self.request.user
        opts = self.model._meta
        if user.is_authenticated and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return queryset
        return queryset.published()
