"""The home page's reading: the presidency's summit, its meetings with their sessions and places, the
digital ministers' declaration with its themes' key points, and the communiqué's items; with statements
built once (core.statements), as the meeting and document pages read theirs."""

from datetime import datetime

from django.db.models import Q

from core.models import visible_condition
from core.statements import Statement, attach
from declarations.models import Declaration
from declarations.selectors import KEY_POINTS, OWN_ITEMS, THEMES
from meetings.models import Meeting
from meetings.selectors import with_parts

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
    meetings_seen = {} if meeting_preview else {"moment": moment}
    documents_seen = {} if document_preview else {"moment": moment}
    found = SUMMIT(**meetings_seen)
    if not found:
        return {"summit": None, "meetings": [], "declaration": None, "communique": None}
    (summit,) = found
    meetings = PRESIDENCY(summit=summit.pk, **meetings_seen)
    with_parts(meetings)
    ids = [meeting.pk for meeting in meetings]
    declaration = next(iter(DIGITAL_DECLARATION(meetings=ids, **documents_seen)), None)
    if declaration is not None:
        themes = THEMES(document=declaration.pk)
        attach(declaration, "themes", themes)
        points = {theme.pk: [] for theme in themes}
        for point in KEY_POINTS(document=declaration.pk) if themes else []:
            points[point.theme_id].append(point)
        for theme in themes:
            Declaration.themes.field.set_cached_value(theme, declaration)
            attach(theme, "key_points", points[theme.pk])
    communique = next(iter(COMMUNIQUE(meetings=ids, summit=summit.pk, **documents_seen)), None)
    if communique is not None:
        items = OWN_ITEMS(document=communique.pk)
        for item in items:
            Declaration.communique_items.field.set_cached_value(item, communique)
        attach(communique, "communique_items", items)
    return {"summit": summit, "meetings": meetings, "declaration": declaration, "communique": communique}
