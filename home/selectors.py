"""The home page's reading: the presidency's summit, its meetings with their sessions and places, the
digital ministers' declaration with its themes' key points, and the communiqué's items; with statements
built once (publication.statements), as the meeting and document pages read theirs."""

from datetime import datetime

from django.db.models import Q

from declarations.models import Declaration
from declarations.selectors import own_parts, with_key_points
from meetings.models import Meeting
from meetings.selectors import with_parts
from publication.models import seen_at, visible_condition
from publication.statements import Statement

SUMMIT = Statement(
    Meeting,
    lambda moment=None: Meeting.objects.filter(visible_condition(moment), kind=Meeting.Kind.SUMMIT).order_by(
        "-year", "slug"
    )[:1],
)
PRESIDENCY = Statement(
    Meeting,
    lambda summit, moment=None: Meeting.objects.filter(
        visible_condition(moment), Q(pk=summit) | Q(summit=summit)
    ).order_by("start_date", "slug"),
)
DIGITAL_DECLARATION = Statement(
    Declaration,
    lambda meetings, moment=None: Declaration.objects.filter(
        visible_condition(moment),
        meeting__in=meetings,
        kind=Declaration.Kind.MINISTERIAL_DECLARATION,
        meeting__portfolio=Meeting.Portfolio.DIGITAL,
    ).order_by("-adopted_on", "slug")[:1],
)
COMMUNIQUE = Statement(
    Declaration,
    lambda meetings, summit, moment=None: Declaration.objects.filter(
        visible_condition(moment),
        meeting__in=meetings,
        kind=Declaration.Kind.LEADERS_COMMUNIQUE,
        meeting=summit,
    ).order_by("-adopted_on", "slug")[:1],
)


def read_presidency(*, moment: datetime, meeting_preview: bool, document_preview: bool) -> dict:
    """The summit (or None), its meetings in date order (each with sessions and places), the digital
    declaration (its themes and their key points) and the communiqué (its items), as the visitor may see
    them at `moment`; an editor who may preview a kind of record sees its drafts too."""
    meetings_seen = seen_at(moment, preview=meeting_preview)
    documents_seen = seen_at(moment, preview=document_preview)
    summit = SUMMIT.one(**meetings_seen)
    if summit is None:
        return {"summit": None, "meetings": [], "declaration": None, "communique": None}
    meetings = PRESIDENCY(summit=summit.pk, **meetings_seen)
    with_parts(meetings)
    ids = [meeting.pk for meeting in meetings]
    declaration = DIGITAL_DECLARATION.one(meetings=ids, **documents_seen)
    if declaration is not None:
        with_key_points(declaration, own_parts(declaration, "themes")["themes"])
    communique = COMMUNIQUE.one(meetings=ids, summit=summit.pk, **documents_seen)
    if communique is not None:
        own_parts(communique, "communique_items")
    return {"summit": summit, "meetings": meetings, "declaration": declaration, "communique": communique}
