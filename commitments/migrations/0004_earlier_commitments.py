"""Earlier commitments: those of the meetings before the 2023 presidency that 2023 commitments build on,
each with its document's title, paragraph, public address and dates. Editors and Publishers keep them as
every register record; only Publishers hold `publish_earliercommitment`."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(
        content_type__app_label="commitments",
        content_type__model__in=["earliercommitment", "historicalearliercommitment"],
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*content.exclude(codename__startswith="publish_"))
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.add(*content)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(
        content_type__app_label="commitments",
        content_type__model__in=["earliercommitment", "historicalearliercommitment"],
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.remove(*content)


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0003_followup_order_index'),
        ('core', '0015_pending_change_parts'),
        ('meetings', '0010_translations_follow_the_authentic_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EarlierCommitment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors and the public API see published records only.', max_length=16, verbose_name='publication state')),
                ('published_at', models.DateTimeField(blank=True, help_text='When the record becomes public. A time in the future schedules it.', null=True, verbose_name='publish time')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('source_locator', models.CharField(blank=True, help_text='Where in the source the record stands, e.g. 図表1 or section 2 (2).', max_length=100, verbose_name='place in the source')),
                ('provenance_note', models.TextField(blank=True, help_text='Which facts come from elsewhere than the source, and from where.', verbose_name='note on other sources')),
                ('provenance_note_ja', models.TextField(blank=True, help_text='Which facts come from elsewhere than the source, and from where.', null=True, verbose_name='note on other sources')),
                ('provenance_note_en', models.TextField(blank=True, help_text='Which facts come from elsewhere than the source, and from where.', null=True, verbose_name='note on other sources')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('translation_status', models.JSONField(blank=True, default=dict, editable=False, verbose_name='translation status')),
                ('text_changed_at', models.JSONField(blank=True, default=dict, editable=False, verbose_name='texts last changed')),
                ('slug', models.SlugField(help_text="The record's permanent address, the same in both languages. Never change it once published.", max_length=100, unique=True, validators=[django.core.validators.RegexValidator('^[a-z0-9]+(?:-[a-z0-9]+)*$', 'Use lower-case ASCII letters, digits and single hyphens, e.g. g7-2023-digital-and-tech-takasaki.')], verbose_name='slug')),
                ('thread', models.CharField(choices=[('data_flows', 'Data free flow with trust'), ('ai', 'AI governance'), ('internet', 'Open internet'), ('infrastructure', 'Secure digital infrastructure'), ('governance', 'Agile governance')], max_length=16, verbose_name='thread')),
                ('document_title', models.CharField(help_text='The title of the outcome document that holds it.', max_length=300, verbose_name='document')),
                ('document_title_ja', models.CharField(help_text='The title of the outcome document that holds it.', max_length=300, null=True, verbose_name='document')),
                ('document_title_en', models.CharField(help_text='The title of the outcome document that holds it.', max_length=300, null=True, verbose_name='document')),
                ('paragraph', models.CharField(blank=True, help_text='Its paragraph or section in the document; empty where no number could be checked.', max_length=100, verbose_name='paragraph')),
                ('summary', models.TextField(help_text="Its words in short, the editors' summary.", verbose_name='summary')),
                ('summary_ja', models.TextField(help_text="Its words in short, the editors' summary.", null=True, verbose_name='summary')),
                ('summary_en', models.TextField(help_text="Its words in short, the editors' summary.", null=True, verbose_name='summary')),
                ('url', models.URLField(help_text='The public page of the document or of its adoption.', verbose_name='address')),
                ('date', models.DateField(db_index=True, help_text='The day the document was adopted.', verbose_name='date')),
                ('checked_on', models.DateField(help_text='The day the address was last checked.', verbose_name='checked on')),
                ('commitments', models.ManyToManyField(blank=True, help_text='The 2023 commitments that build on it.', related_name='earlier_commitments', to='commitments.commitment', verbose_name='carried forward by')),
                ('meeting', models.ForeignKey(help_text='The earlier meeting whose outcome document holds it.', on_delete=django.db.models.deletion.PROTECT, related_name='earlier_commitments', to='meetings.meeting', verbose_name='meeting')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.source', verbose_name='source')),
            ],
            options={
                'verbose_name': 'earlier commitment',
                'verbose_name_plural': 'earlier commitments',
                'ordering': ['date', 'slug'],
                'permissions': [('publish_earliercommitment', 'Can publish and unpublish earlier commitments')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalEarlierCommitment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Visitors and the public API see published records only.', max_length=16, verbose_name='publication state')),
                ('published_at', models.DateTimeField(blank=True, help_text='When the record becomes public. A time in the future schedules it.', null=True, verbose_name='publish time')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='last changed')),
                ('source_locator', models.CharField(blank=True, help_text='Where in the source the record stands, e.g. 図表1 or section 2 (2).', max_length=100, verbose_name='place in the source')),
                ('provenance_note', models.TextField(blank=True, help_text='Which facts come from elsewhere than the source, and from where.', verbose_name='note on other sources')),
                ('provenance_note_ja', models.TextField(blank=True, help_text='Which facts come from elsewhere than the source, and from where.', null=True, verbose_name='note on other sources')),
                ('provenance_note_en', models.TextField(blank=True, help_text='Which facts come from elsewhere than the source, and from where.', null=True, verbose_name='note on other sources')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('translation_status', models.JSONField(blank=True, default=dict, editable=False, verbose_name='translation status')),
                ('text_changed_at', models.JSONField(blank=True, default=dict, editable=False, verbose_name='texts last changed')),
                ('restored_from', models.DateTimeField(blank=True, null=True, verbose_name='restores the version of')),
                ('minor_edit', models.BooleanField(default=False, help_text='The change left the translations current.', verbose_name='minor edit')),
                ('confirmed_translations', models.JSONField(blank=True, default=list, verbose_name='translations confirmed as current')),
                ('slug', models.SlugField(help_text="The record's permanent address, the same in both languages. Never change it once published.", max_length=100, validators=[django.core.validators.RegexValidator('^[a-z0-9]+(?:-[a-z0-9]+)*$', 'Use lower-case ASCII letters, digits and single hyphens, e.g. g7-2023-digital-and-tech-takasaki.')], verbose_name='slug')),
                ('thread', models.CharField(choices=[('data_flows', 'Data free flow with trust'), ('ai', 'AI governance'), ('internet', 'Open internet'), ('infrastructure', 'Secure digital infrastructure'), ('governance', 'Agile governance')], max_length=16, verbose_name='thread')),
                ('document_title', models.CharField(help_text='The title of the outcome document that holds it.', max_length=300, verbose_name='document')),
                ('document_title_ja', models.CharField(help_text='The title of the outcome document that holds it.', max_length=300, null=True, verbose_name='document')),
                ('document_title_en', models.CharField(help_text='The title of the outcome document that holds it.', max_length=300, null=True, verbose_name='document')),
                ('paragraph', models.CharField(blank=True, help_text='Its paragraph or section in the document; empty where no number could be checked.', max_length=100, verbose_name='paragraph')),
                ('summary', models.TextField(help_text="Its words in short, the editors' summary.", verbose_name='summary')),
                ('summary_ja', models.TextField(help_text="Its words in short, the editors' summary.", null=True, verbose_name='summary')),
                ('summary_en', models.TextField(help_text="Its words in short, the editors' summary.", null=True, verbose_name='summary')),
                ('url', models.URLField(help_text='The public page of the document or of its adoption.', verbose_name='address')),
                ('date', models.DateField(db_index=True, help_text='The day the document was adopted.', verbose_name='date')),
                ('checked_on', models.DateField(help_text='The day the address was last checked.', verbose_name='checked on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, help_text='The earlier meeting whose outcome document holds it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='meeting')),
                ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.source', verbose_name='source')),
            ],
            options={
                'verbose_name': 'historical earlier commitment',
                'verbose_name_plural': 'historical earlier commitments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEarlierCommitment_commitments',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('commitment', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='commitments.commitment')),
                ('earliercommitment', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='commitments.earliercommitment')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='commitments.historicalearliercommitment')),
            ],
            options={
                'verbose_name': 'HistoricalEarlierCommitment_commitments',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name='earliercommitment',
            index=models.Index(fields=['status', 'published_at'], name='earlier_published_idx'),
        ),
        migrations.AddIndex(
            model_name='earliercommitment',
            index=models.Index(fields=['updated_at'], name='earlier_updated_idx'),
        ),
        migrations.AddIndex(
            model_name='earliercommitment',
            index=models.Index(fields=['published_at'], name='earlier_published_at_idx'),
        ),
        migrations.AddConstraint(
            model_name='earliercommitment',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'published'])), name='commitment_earlier_status_valid', violation_error_code='invalid_choice', violation_error_message='Choose one of the values offered for this field.'),
        ),
        migrations.AddConstraint(
            model_name='earliercommitment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'published'), _negated=True), ('published_at__isnull', False), _connector='OR'), name='commitment_earlier_published_has_time', violation_error_code='published_without_time', violation_error_message='A published record needs its publish time.'),
        ),
        migrations.AddConstraint(
            model_name='earliercommitment',
            constraint=models.CheckConstraint(condition=models.Q(('thread__in', ['data_flows', 'ai', 'internet', 'infrastructure', 'governance'])), name='commitment_earlier_thread_valid', violation_error_code='invalid_choice', violation_error_message='Choose one of the values offered for this field.'),
        ),
        migrations.AddConstraint(
            model_name='earliercommitment',
            constraint=models.CheckConstraint(condition=models.Q(('url', ''), _negated=True), name='commitment_earlier_url_required', violation_error_code='required', violation_error_message='An earlier commitment needs the address of its public source.'),
        ),
        migrations.AddConstraint(
            model_name='earliercommitment',
            constraint=models.CheckConstraint(condition=models.Q(('document_title_ja__isnull', False), models.Q(('document_title_ja', ''), _negated=True)), name='commitment_earlier_document_title_ja_required', violation_error_code='japanese_required', violation_error_message='Japanese is the source language: this text is required in Japanese.'),
        ),
        migrations.AddConstraint(
            model_name='earliercommitment',
            constraint=models.CheckConstraint(condition=models.Q(('summary_ja__isnull', False), models.Q(('summary_ja', ''), _negated=True)), name='commitment_earlier_summary_ja_required', violation_error_code='japanese_required', violation_error_message='Japanese is the source language: this text is required in Japanese.'),
        ),
        migrations.RunPython(grant, revoke),
    ]
