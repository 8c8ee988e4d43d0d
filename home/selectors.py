"""The home page's reading: the presidency's summit, its meetings with their sessions and places, the
digital ministers' declaration with its themes' key points, and the communiqué's items."""

from django.db.models import Prefetch, Q

from declarations.models import Declaration, Theme
from meetings.models import Meeting
from publication.views import visible


def read_presidency(*, user) -> dict:
    """The latest summit (or None), its meetings in date order (each with sessions and places), the
    digital declaration (its themes and their key points) and the communiqué (its items), as `user` may
    see them: an editor who may preview a kind of record sees its drafts too."""
    meetings = visible(Meeting.objects.all(), user)
    summit = meetings.filter(kind=Meeting.Kind.SUMMIT).order_by("-year", "slug").first()
    if summit is None:
        return {"summit": None, "meetings": [], "declaration": None, "communique": None}
    # The timeline shows of each meeting a link, its short title and its kind (the summit's entry is
    # marked): building the query over every translated column cost more than running it.
    presidency = list(
        meetings.filter(Q(pk=summit.pk) | Q(summit=summit))
        .only("slug", "kind", "short_title")
        .order_by("start_date", "slug")
        .with_parts()
    )
    documents = visible(Declaration.objects.all(), user).filter(
        meeting__in=[meeting.pk for meeting in presidency]
    )
    declaration = (
        documents.filter(
            kind=Declaration.Kind.MINISTERIAL_DECLARATION, meeting__portfolio=Meeting.Portfolio.DIGITAL
        )
        .prefetch_related(Prefetch("themes", Theme.objects.prefetch_related("key_points")))
        .order_by("-adopted_on", "slug")
        .first()
    )
    communique = (
        documents.filter(kind=Declaration.Kind.LEADERS_COMMUNIQUE, meeting=summit)
        .prefetch_related("communique_items")
        .order_by("-adopted_on", "slug")
        .first()
    )
    return {"summit": summit, "meetings": presidency, "declaration": declaration, "communique": communique}
