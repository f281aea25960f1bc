# The import job moves here from schools (schools 0004_importjob_to_bureau renamed its table):
# the model enters bureau's state over the existing table, keeping every row. Its kind is
# no longer a fixed list of schools' kinds: the jobs service checks it against the kinds
# the apps declare. The content type follows, so permissions given on it are kept.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import bureau.models.jobs


def move_content_type(apps, schema_editor, source="schools", target="bureau"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="importjob").exists():
        ContentType.objects.filter(app_label=source, model="importjob").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="bureau", target="schools")


class Migration(migrations.Migration):

    dependencies = [
        ('bureau', '0006_official_holidays'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('schools', '0004_importjob_to_bureau'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=16, verbose_name='kind')),
                        ('file', models.FileField(max_length=200, upload_to=bureau.models.jobs.import_upload_to, verbose_name='file')),
                        ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                        ('file_format', models.CharField(max_length=8, verbose_name='format')),
                        ('language', models.CharField(default='zh-hans', max_length=16, verbose_name='language')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for validation'), ('validating', 'Validating'), ('validated', 'Ready to import'), ('confirmed', 'Waiting for import'), ('importing', 'Importing'), ('done', 'Imported'), ('failed', 'Failed')], default='pending', max_length=16, verbose_name='status')),
                        ('run_async', models.BooleanField(default=False, verbose_name='runs in the background')),
                        ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                        ('processed_rows', models.PositiveIntegerField(default=0, verbose_name='rows processed')),
                        ('counts', models.JSONField(blank=True, default=dict, verbose_name='counts')),
                        ('errors', models.JSONField(blank=True, default=list, verbose_name='errors')),
                        ('error_count', models.PositiveIntegerField(default=0, verbose_name='errors')),
                        ('notes', models.JSONField(blank=True, default=list, verbose_name='notes')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('validated_at', models.DateTimeField(blank=True, null=True, verbose_name='validated at')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                        ('district', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='schools.district', verbose_name='district')),
                    ],
                    options={
                        'verbose_name': 'import job',
                        'verbose_name_plural': 'import jobs',
                        'ordering': ['-created_at', '-id'],
                        # The index as the table has it since schools 0002; renamed below.
                        'indexes': [models.Index(fields=['created_by', '-created_at'], name='schools_imp_created_937fd9_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RenameIndex(
            model_name='importjob', new_name='bureau_impo_created_de66c4_idx', old_name='schools_imp_created_937fd9_idx',
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
