"""The bureau's fire self-check rule moves into its yearly plan (declared in fire.rules): each
FireRule row becomes the values of `fire.form_deadline` and `fire.missing_after_days` in every
plan of its bureau (a bureau without a plan gets this year's, so nothing is lost); then the
model goes."""

from django.db import migrations


def into_plans(apps, schema_editor):
    from django.utils import timezone

    FireRule = apps.get_model("fire", "FireRule")
    Plan = apps.get_model("obligations", "Plan")
    PlanRuleValue = apps.get_model("obligations", "PlanRuleValue")
    year = timezone.localdate().year
    for rule in FireRule.objects.all():
        plans = list(Plan.objects.filter(owner_id=rule.owner_id))
        if not plans:
            published = Plan.objects.filter(
                owner_id=rule.owner_id, year=year, is_active=True
            ).exists()
            plans = [
                Plan.objects.create(
                    owner_id=rule.owner_id,
                    year=year,
                    code=f"plan-{year}",
                    name=f"{year}年工作计划",
                    is_active=not published,
                )
            ]
        values = {
            "fire.form_deadline": {"days": rule.report_days, "counting": rule.counting},
            "fire.missing_after_days": rule.missing_after_days,
        }
        for plan in plans:
            for key, value in values.items():
                PlanRuleValue.objects.update_or_create(
                    plan=plan,
                    key=key,
                    defaults={"value": value, "updated_by_id": rule.updated_by_id},
                )


def back(apps, schema_editor):
    FireRule = apps.get_model("fire", "FireRule")
    PlanRuleValue = apps.get_model("obligations", "PlanRuleValue")
    for row in (
        PlanRuleValue.objects.filter(key="fire.form_deadline", plan__is_active=True)
        .select_related("plan")
        .order_by("plan__year")
    ):
        missing = PlanRuleValue.objects.filter(plan=row.plan, key="fire.missing_after_days").first()
        FireRule.objects.update_or_create(
            owner_id=row.plan.owner_id,
            defaults={
                "report_days": row.value["days"],
                "counting": row.value.get("counting", "calendar"),
                "missing_after_days": missing.value if missing else 0,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fire", "0001_initial"),
        ("obligations", "0003_plan_year_and_rules"),
    ]

    operations = [
        migrations.RunPython(into_plans, back),
        migrations.DeleteModel(
            name="FireRule",
        ),
    ]
