from modeltranslation.translator import TranslationOptions, register

from publication.history import register_history

from .models import Assessment, Commitment, EarlierCommitment, FollowUp


@register(Commitment)
class CommitmentTranslationOptions(TranslationOptions):
    fields = ("text", "provenance_note")
    required_languages = {"ja": ("text",)}


@register(FollowUp)
class FollowUpTranslationOptions(TranslationOptions):
    fields = ("title", "issued_by", "summary", "provenance_note")
    required_languages = {"ja": ("title", "issued_by")}


@register(EarlierCommitment)
class EarlierCommitmentTranslationOptions(TranslationOptions):
    fields = ("document_title", "summary", "provenance_note")
    required_languages = {"ja": ("document_title", "summary")}


@register(Assessment)
class AssessmentTranslationOptions(TranslationOptions):
    fields = ("assessed_by", "rationale")
    required_languages = {"ja": ("assessed_by",)}


# History is registered after the translations (see register_history).
register_history(Commitment, m2m_fields=["themes", "annexes", "builds_on"])
register_history(FollowUp, m2m_fields=["commitments"])
register_history(EarlierCommitment, m2m_fields=["commitments"])
register_history(Assessment, m2m_fields=["evidence"])
