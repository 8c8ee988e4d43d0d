"""Keeping the index current as editors change records.

Each save or delete reindexes the records whose entries show the changed text: a theme's title is
shown with its key points and footnotes, a document's title with all its parts, a place, host or
chair with its meeting. Publication needs nothing here: searches read it from the records themselves,
and so the links between the register's records too (which 2023 commitments carry an earlier commitment
forward, and whether one of them is public).
Loading the fixtures ends with a full rebuild.
"""

import threading

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete

from commitments.models import Commitment, EarlierCommitment, FollowUp
from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Chair, Location, Meeting, Organization, Person, Prefecture
from publication.signals import is_loading_records, records_loaded

from . import indexing
from .models import Kind, SearchEntry

# Meetings being deleted in this thread: their places and chairs go first, and must not write the
# meeting's entries back just before the meeting itself goes.
_deleting = threading.local()


def _meetings_being_deleted() -> set[int]:
    if not hasattr(_deleting, "meetings"):
        _deleting.meetings = set()
    return _deleting.meetings


def _reindex_meetings(ids) -> None:
    ids = set(ids) - _meetings_being_deleted()
    indexing.reindex(Kind.MEETING, ids)


def _reindex_declaration_tree(declaration_id: int) -> None:
    """A document and every part of it, since each part shows the document's title."""
    indexing.reindex(Kind.DECLARATION, [declaration_id])
    for kind, model in PART_MODELS.items():
        lookup = "theme__declaration_id" if model is KeyPoint else "declaration_id"
        indexing.reindex(kind, model.objects.filter(**{lookup: declaration_id}).values_list("pk", flat=True))
    # A commitment's entry names the document its paragraph comes from.
    sources = Q()
    for path in indexing.COMMITMENT_SOURCES:
        sources |= Q(**{f"{path}_id": declaration_id})
    indexing.reindex(Kind.COMMITMENT, Commitment.objects.filter(sources).values_list("pk", flat=True))


def _reindex_theme(theme: Theme) -> None:
    indexing.reindex(Kind.THEME, [theme.pk])
    indexing.reindex(Kind.KEY_POINT, theme.key_points.values_list("pk", flat=True))
    indexing.reindex(Kind.FOOTNOTE, theme.footnotes.values_list("pk", flat=True))


PART_MODELS = {
    Kind.THEME: Theme,
    Kind.KEY_POINT: KeyPoint,
    Kind.FOOTNOTE: Footnote,
    Kind.ANNEX: Annex,
    Kind.COMMUNIQUE_ITEM: CommuniqueItem,
}
# Records reindexed alone, as a part is, but not parts of a document.
OWN_MODELS = {
    Kind.COMMITMENT: Commitment,
    Kind.FOLLOW_UP: FollowUp,
    Kind.EARLIER_COMMITMENT: EarlierCommitment,
}
KIND_OF_MODEL = {model: kind for kind, model in (*PART_MODELS.items(), *OWN_MODELS.items())}


def on_save(sender, instance, raw=False, **kwargs):
    # A raw save (loaddata) may precede the records it refers to; `rebuild_search_index` follows it.
    # A bulk load rebuilds the whole index once it is done.
    if raw or is_loading_records():
        return
    if sender is Meeting:
        # A ministerial meeting's entry holds its summit's title.
        _reindex_meetings([instance.pk, *instance.ministerial_meetings.values_list("pk", flat=True)])
    elif sender in (Location, Chair):
        _reindex_meetings([instance.meeting_id])
    elif sender is Organization:
        _reindex_meetings(
            {
                *instance.hosted_meetings.values_list("pk", flat=True),
                *instance.chairs.values_list("meeting_id", flat=True),
            }
        )
    elif sender is Person:
        _reindex_meetings(instance.chairs.values_list("meeting_id", flat=True))
    elif sender is Prefecture:
        _reindex_meetings(instance.locations.values_list("meeting_id", flat=True))
    elif sender is Declaration:
        _reindex_declaration_tree(instance.pk)
    elif sender is Theme:
        _reindex_theme(instance)
    else:
        indexing.reindex(KIND_OF_MODEL[sender], [instance.pk])


def on_pre_delete(sender, instance, **kwargs):
    _meetings_being_deleted().add(instance.pk)


def on_delete(sender, instance, **kwargs):
    if sender is Meeting:
        _meetings_being_deleted().discard(instance.pk)
    if is_loading_records():
        return
    if sender is Meeting:
        indexing.remove(Kind.MEETING, [instance.pk])
    elif sender in (Location, Chair):
        _reindex_meetings([instance.meeting_id])
    elif sender is Declaration:
        indexing.remove(Kind.DECLARATION, [instance.pk])
    else:
        indexing.remove(KIND_OF_MODEL[sender], [instance.pk])


def on_hosts_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or is_loading_records():
        return
    if not reverse:
        _reindex_meetings([instance.pk])
    elif pk_set:
        _reindex_meetings(pk_set)
    else:
        # Clearing an organisation's meetings does not say which they were; rebuild them all.
        _reindex_meetings(Meeting.objects.values_list("pk", flat=True))


def on_records_loaded(sender, **kwargs):
    indexing.rebuild()


# The model of the records of each kind.
MODEL_OF_KIND = {Kind.MEETING: Meeting, Kind.DECLARATION: Declaration, **PART_MODELS, **OWN_MODELS}


def on_migrated(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Fill an empty index on a database that has records, as after the search app's first migration
    on an existing site; and index the records of a kind the index has none of, as after a migration
    that adds a kind. The rest of a populated index is left to the signals."""
    if using != DEFAULT_DB_ALIAS:
        return
    indexed = set(SearchEntry.objects.order_by().values_list("kind", flat=True).distinct())
    if not indexed:
        if Meeting.objects.exists() or Declaration.objects.exists():
            indexing.rebuild()
        return
    for kind, model in MODEL_OF_KIND.items():
        # Every record has an entry in Japanese, so a kind with records and no entries was never indexed.
        if kind not in indexed and model.objects.exists():
            indexing.reindex_all(kind)


def connect() -> None:
    uid = "search-index"
    for model in (
        Meeting,
        Location,
        Chair,
        Organization,
        Person,
        Prefecture,
        Declaration,
        *PART_MODELS.values(),
        *OWN_MODELS.values(),
    ):
        post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}-save-{model._meta.label}")
    for model in (Meeting, Location, Chair, Declaration, *PART_MODELS.values(), *OWN_MODELS.values()):
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"{uid}-delete-{model._meta.label}")
    pre_delete.connect(on_pre_delete, sender=Meeting, dispatch_uid=f"{uid}-pre-delete-meeting")
    m2m_changed.connect(on_hosts_changed, sender=Meeting.hosts.through, dispatch_uid=f"{uid}-hosts")
    records_loaded.connect(on_records_loaded, dispatch_uid=f"{uid}-loaded")
    post_migrate.connect(on_migrated, sender=apps.get_app_config("search"), dispatch_uid=f"{uid}-migrated")
