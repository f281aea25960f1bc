# The import job belongs to the spreadsheet engine (bureau.sheets) now: its table is renamed
# to bureau's and the model leaves this app's state; bureau 0007_importjob takes it over.
# No row is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('schools', '0003_teacher_name_label'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='importjob', table='bureau_importjob'),
            ],
            state_operations=[
                migrations.DeleteModel(name='ImportJob'),
            ],
        ),
    ]
