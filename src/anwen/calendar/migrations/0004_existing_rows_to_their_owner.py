"""Give the calendar rows written before they had owners the owner they belong to.

Until now every row applied to the whole installation. What is national by nature stays
national (no owner): holidays and adjusted working days entered ahead of the `holidays` package,
and the shipped default semesters (`is_default`), which are the fallback of every bureau. What
is local by nature (closures, sensitive periods, semesters a bureau confirmed or entered) goes
to the installation's only active bureau. With no bureau there is nothing local yet; with
several there is no telling whose a row was, so it stays national and keeps applying
everywhere, as it did: a platform administrator sees it on the calendar page and re-enters it
under the right bureau.
"""

from django.db import migrations


def only_bureau(apps) -> int | None:
    Org = apps.get_model("orgs", "Org")
    bureaus = list(
        Org.objects.filter(kind="bureau", is_active=True).values_list("pk", flat=True)[:2]
    )
    return bureaus[0] if len(bureaus) == 1 else None


def assign_owners(apps, schema_editor) -> None:
    bureau = only_bureau(apps)
    if bureau is None:
        return
    DayOverride = apps.get_model("calendar", "DayOverride")
    Semester = apps.get_model("calendar", "Semester")
    SensitivePeriod = apps.get_model("calendar", "SensitivePeriod")
    DayOverride.objects.filter(org__isnull=True, kind="closure").update(org_id=bureau)
    SensitivePeriod.objects.filter(org__isnull=True).update(org_id=bureau)
    Semester.objects.filter(org__isnull=True, is_default=False).update(org_id=bureau)


class Migration(migrations.Migration):
    dependencies = [("calendar", "0003_calendar_rows_have_owners")]

    # Backwards the rows simply keep their owner until 0003 drops the column.
    operations = [migrations.RunPython(assign_owners, migrations.RunPython.noop)]
