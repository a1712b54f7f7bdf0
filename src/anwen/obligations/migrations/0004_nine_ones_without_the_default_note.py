"""The nine ones' descriptions no longer end with the note that they are defaults: the plan
page says it once above the list and marks each row. Only a description that still ends with
exactly the shipped note loses it; one the bureau has rewritten is left as it is."""

from django.db import migrations

NOTE = "（默认清单：原文未列明“九个一”具体内容，请区教委确认或修改。）"


def drop_note(apps, schema_editor):
    Obligation = apps.get_model("obligations", "Obligation")
    for obligation in Obligation.objects.filter(description__endswith=NOTE).only("description"):
        obligation.description = obligation.description[: -len(NOTE)]
        obligation.save(update_fields=["description"])


class Migration(migrations.Migration):
    dependencies = [("obligations", "0003_plan_year_and_rules")]

    operations = [migrations.RunPython(drop_note, migrations.RunPython.noop)]
