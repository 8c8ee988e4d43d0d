"""A meeting's dates follow its sessions."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Meeting, Session


@receiver(post_save, sender=Session, dispatch_uid="meeting-dates-on-session-save")
@receiver(post_delete, sender=Session, dispatch_uid="meeting-dates-on-session-delete")
def refresh_meeting_dates(sender, instance, **kwargs):
    Meeting.objects.filter(pk=instance.meeting_id).refresh_dates()
