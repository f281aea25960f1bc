from django.db import migrations

from bureau.holidays import OFFICIAL_ARRANGEMENTS, official_days


def load(apps, schema_editor):
    CalendarDay = apps.get_model("bureau", "CalendarDay")
    for year in OFFICIAL_ARRANGEMENTS:
        for date, kind, name, source in official_days(year):
            CalendarDay.objects.update_or_create(
                date=date, district=None, defaults={"kind": kind, "name": name, "source": source}
            )


def unload(apps, schema_editor):
    CalendarDay = apps.get_model("bureau", "CalendarDay")
    for year in OFFICIAL_ARRANGEMENTS:
        CalendarDay.objects.filter(district=None, date__year=year).delete()


class Migration(migrations.Migration):
    dependencies = [("bureau", "0005_calendar_statuschange")]
    operations = [migrations.RunPython(load, unload)]
