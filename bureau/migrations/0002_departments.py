from django.db import migrations

# The bureau's departments (科室) named in the policy documents (shared seeds 000–004).
DEPARTMENTS = [
    ("basic", "基础教育科"),
    ("inspection", "督导室"),
    ("audit", "监审科"),
    ("personnel", "组织人事科"),
    ("finance", "计财科"),
    ("pe_health_arts", "体卫艺科"),
    ("research", "教科所"),
    ("office", "办公室"),
]


def create(apps, schema_editor):
    Department = apps.get_model("bureau", "Department")
    for ordering, (code, name) in enumerate(DEPARTMENTS):
        Department.objects.update_or_create(code=code, defaults={"name": name, "ordering": ordering})


class Migration(migrations.Migration):
    dependencies = [("bureau", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
