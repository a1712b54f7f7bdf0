"""Indexes for the hazard list's filters and order (issue 8): the org-first one now carries the
list's filters too, one serves the district's list from its filters, one the campaign figures,
and one the unfiltered list's order (open ones first, then by deadline)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_hazards")]

    operations = [
        migrations.RemoveIndex(
            model_name="hazard",
            name="hazards_haz_org_id_a75ed4_idx",
        ),
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(
                fields=["org", "state", "category", "grade", "deadline"],
                name="hazards_org_filters_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(
                fields=["category", "grade", "state", "deadline", "org"], name="hazards_filters_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(fields=["theme", "state", "deadline"], name="hazards_theme_idx"),
        ),
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(
                models.Case(
                    models.When(state="closed", then=models.Value(1)), default=models.Value(0)
                ),
                models.F("deadline"),
                name="hazards_open_first_idx",
            ),
        ),
    ]
