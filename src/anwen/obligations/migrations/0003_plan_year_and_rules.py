"""Plans belong to a year; their rules live in PlanRuleValue rows.

A plan that exists already is the plan of the current year (the one in force now). Should a
bureau have several published plans, they would collide in the one-plan-a-year constraint:
the newest keeps the current year and each older one takes the year before, so all stay
published and none loses its obligations. The shipped plan's name ("2021年…") takes its year."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import anwen.obligations.models


def give_years(apps, schema_editor):
    from django.utils import timezone

    Plan = apps.get_model("obligations", "Plan")
    year = timezone.localdate().year
    seen: dict[int, int] = {}
    for plan in Plan.objects.filter(is_active=True).order_by("-pk"):
        n = seen.get(plan.owner_id, 0)
        seen[plan.owner_id] = n + 1
        name = plan.name
        if name == "2021年全区教育系统安全稳定工作要点":
            # The shipped plan's name said the year of its model document: say the plan's.
            name = f"{year - n}年全区教育系统安全稳定工作要点"
        Plan.objects.filter(pk=plan.pk).update(year=year - n, name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("obligations", "0002_targets_categories_indexes"),
        ("orgs", "0002_standard_positions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanRuleValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=80, verbose_name="rule")),
                ("value", models.JSONField(verbose_name="value")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "plan rule",
                "verbose_name_plural": "plan rules",
            },
        ),
        migrations.AddField(
            model_name="plan",
            name="year",
            field=models.PositiveSmallIntegerField(
                default=anwen.obligations.models.current_year, verbose_name="year"
            ),
        ),
        migrations.AlterField(
            model_name="plan",
            name="is_active",
            field=models.BooleanField(default=True, verbose_name="published"),
        ),
        migrations.RunPython(give_years, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_active", True)),
                fields=("owner", "year"),
                name="obligations_plan_one_published_a_year",
            ),
        ),
        migrations.AddField(
            model_name="planrulevalue",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rule_values",
                to="obligations.plan",
            ),
        ),
        migrations.AddField(
            model_name="planrulevalue",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="planrulevalue",
            constraint=models.UniqueConstraint(
                fields=("plan", "key"), name="obligations_rule_value_unique"
            ),
        ),
    ]
