"""Who may do what through the API: anyone may read; a write needs the model's permission."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class ModelPermissionsOrReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's DjangoModelPermissionsOrAnonReadOnly, answering a read before it builds the view's QuerySet.

    To learn the model, DRF builds the viewset's QuerySet (every prefetch of a document's record) on each
    request, a read too, which needs no permission: a seventh of the API's document record went on a
    QuerySet never used. A method that needs no permission is let through as DRF would let it through;
    any other is checked as DRF checks it.
    """

    def has_permission(self, request, view):
        if request.user and request.method in self.perms_map and not self.perms_map[request.method]:
            return True
        return super().has_permission(request, view)
