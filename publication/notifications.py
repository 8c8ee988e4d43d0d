"""Publishers are told by e-mail when an editor submits a change for review: one message in both languages
with the record, the editor, the fields and the review page's address, sent once the change is saved."""

import logging
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAIL_LANGUAGES = ("ja", "en")


def publishers_of(model) -> list[str]:
    """The addresses of the active users who may publish `model` (publication's roles: the publish
    permission, through a group, their own permissions or as superusers)."""
    opts = model._meta
    # Permissions are the model backend's (django-axes, the other backend, grants none).
    users = get_user_model().objects.with_perm(
        f"{opts.app_label}.publish_{opts.model_name}",
        is_active=True,
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return sorted({user.email for user in users.exclude(email="").only("email")})


def review_url(record) -> str:
    """The absolute address of the review page of `record`'s change awaiting review (SITE_URL + path)."""
    opts = record._meta
    path = reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[record.pk])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def field_labels(record, names) -> list[str]:
    """What a reader calls the fields `names` of `record` (“Title (English)”), in the active language."""
    # Imported here: publication.corrections reads review, which sends these notices.
    from .corrections import column_label

    return sorted(column_label(type(record), name) for name in names)


def part_change_summaries(pending) -> list[str]:
    """Each proposed change to a part in a few words, in the active language (“Key point “①-1”:
    changed”), for the review inbox and the publishers' e-mail. Read from the change alone, with no query."""
    # Imported here: publication.review sends these notices.
    from .review import part_action

    summaries = []
    for change in pending.parts:
        kind = capfirst(apps.get_model(change["model"])._meta.verbose_name)
        params = {"kind": kind, "part": change.get("label", "")}
        action = part_action(change)
        if action == "delete":
            summaries.append(_("%(kind)s “%(part)s”: deleted") % params)
        elif action == "add" and params["part"]:
            summaries.append(_("%(kind)s “%(part)s”: added") % params)
        elif action == "add":
            summaries.append(_("%(kind)s: added") % params)
        elif action == "move":
            summaries.append(_("%(kind)s “%(part)s”: moved") % params)
        else:
            summaries.append(_("%(kind)s “%(part)s”: changed") % params)
    return summaries


def review_message(pending, record) -> tuple[str, str]:
    """The subject and the body of the message on `pending`, a change of `record`: Japanese, then English."""
    author = pending.author
    editor = (author.get_full_name() or author.get_username()) if author else ""
    subjects, bodies = [], []
    for language in MAIL_LANGUAGES:
        with translation.override(language):
            context = {
                "record": record,
                "kind": record._meta.verbose_name,
                "editor": editor,
                "fields": field_labels(record, pending.data),
                "parts": part_change_summaries(pending),
                "note": pending.note,
                "url": review_url(record),
            }
            subjects.append(render_to_string("publication/review_mail_subject.txt", context).strip())
            bodies.append(render_to_string("publication/review_mail.txt", context).strip())
    return " / ".join(subjects), "\n\n----\n\n".join(bodies) + "\n"


def send_review_notice(pending, record) -> None:
    """Send the message now. A mail server that fails is logged: the editor's change is saved already."""
    recipients = publishers_of(type(record))
    if not recipients:
        return
    # The record as saved: the form that proposed the change may have left its values on this instance.
    record = type(record)._base_manager.get(pk=record.pk)
    subject, body = review_message(pending, record)
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        logger.exception(
            "The review notice for %s %s could not be sent to %d publishers",
            record._meta.label,
            record.pk,
            len(recipients),
        )


def notify_publishers(pending, record) -> None:
    """Tell the publishers of `record` about `pending` once the transaction that saves it commits (and
    never, if it rolls back)."""
    transaction.on_commit(partial(send_review_notice, pending, record))
