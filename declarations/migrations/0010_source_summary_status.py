"""The Japanese of the source's outcome documents' themes, key points, footnotes and communiqué items is the
source's own summary (the white paper's words, section 2 (2) and its reference box), not a translation of
the authentic English: say so on the records the fixtures loaded, where editors have said nothing else."""

from django.db import migrations

DOCUMENTS = ("g7-2023-digital-and-tech-ministerial-declaration", "g7-2023-hiroshima-leaders-communique")
PARTS = {
    "Theme": ("declaration__slug__in", ("title_ja",)),
    "KeyPoint": ("theme__declaration__slug__in", ("text_ja",)),
    "Footnote": ("declaration__slug__in", ("text_ja",)),
    "CommuniqueItem": ("declaration__slug__in", ("title_ja", "text_ja")),
}


def mark_summaries(apps, schema_editor):
    for model_name, (lookup, columns) in PARTS.items():
        model = apps.get_model("declarations", model_name)
        for record in model.objects.filter(**{lookup: DOCUMENTS}).only("pk", "translation_status"):
            said = dict(record.translation_status or {})
            unsaid = {column: "summary" for column in columns if column not in said}
            if unsaid:
                model.objects.filter(pk=record.pk).update(translation_status={**said, **unsaid})


def unmark_summaries(apps, schema_editor):
    for model_name, (lookup, columns) in PARTS.items():
        model = apps.get_model("declarations", model_name)
        for record in model.objects.filter(**{lookup: DOCUMENTS}).only("pk", "translation_status"):
            said = dict(record.translation_status or {})
            kept = {column: status for column, status in said.items() if status != "summary"}
            if kept != said:
                model.objects.filter(pk=record.pk).update(translation_status=kept)


class Migration(migrations.Migration):
    dependencies = [("declarations", "0009_translations_follow_the_authentic_text")]

    operations = [migrations.RunPython(mark_summaries, unmark_summaries)]
