"""Default semesters so that semester-based rhythms work from the first day.

2025-2026 follows the Chongqing education commission's published school calendar for
compulsory education (reported in 重庆日报, 2025-08-05: 2025-09-01 to 2026-01-30 and 2026-03-05
to 2026-07-01; senior high schools end the spring semester on 07-08). 2026-2027 was not yet
published: typical dates are used, placed around the 2027 Spring Festival (February 6). All rows
are marked `is_default` until the bureau confirms or corrects them on the calendar page.
"""

from datetime import date

from django.db import migrations

DEFAULTS = [
    (2025, "autumn", "2025-2026学年第一学期", date(2025, 9, 1), date(2026, 1, 30)),
    (2025, "spring", "2025-2026学年第二学期", date(2026, 3, 5), date(2026, 7, 1)),
    (2026, "autumn", "2026-2027学年第一学期", date(2026, 9, 1), date(2027, 1, 22)),
    (2026, "spring", "2026-2027学年第二学期", date(2027, 2, 22), date(2027, 7, 2)),
]


def create_defaults(apps, schema_editor):
    SchoolYear = apps.get_model("calendar", "SchoolYear")
    Semester = apps.get_model("calendar", "Semester")
    for start_year, term, name, start, end in DEFAULTS:
        school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
        Semester.objects.get_or_create(
            school_year=school_year,
            term=term,
            defaults={"name": name, "start": start, "end": end, "is_default": True},
        )


def remove_defaults(apps, schema_editor):
    Semester = apps.get_model("calendar", "Semester")
    SchoolYear = apps.get_model("calendar", "SchoolYear")
    Semester.objects.filter(is_default=True, school_year__start_year__in=[2025, 2026]).delete()
    SchoolYear.objects.filter(semesters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
