"""The bureau's deadlines of the yearly duties move into its yearly plan (declared in
duties.rules): each DutyConfig row becomes the values of `duties.letter_due` and
`duties.five_due` in every plan of its bureau (a bureau without a plan gets this year's, so
nothing is lost); then the model goes."""

from django.db import migrations


def into_plans(apps, schema_editor):
    from django.utils import timezone

    DutyConfig = apps.get_model("duties", "DutyConfig")
    Plan = apps.get_model("obligations", "Plan")
    PlanRuleValue = apps.get_model("obligations", "PlanRuleValue")
    year = timezone.localdate().year
    for config in DutyConfig.objects.all():
        plans = list(Plan.objects.filter(owner_id=config.owner_id))
        if not plans:
            published = Plan.objects.filter(
                owner_id=config.owner_id, year=year, is_active=True
            ).exists()
            plans = [
                Plan.objects.create(
                    owner_id=config.owner_id,
                    year=year,
                    code=f"plan-{year}",
                    name=f"{year}年工作计划",
                    is_active=not published,
                )
            ]
        values = {
            "duties.letter_due": f"{config.letter_due_month:02d}-{config.letter_due_day:02d}",
            "duties.five_due": f"{config.five_due_month:02d}-{config.five_due_day:02d}",
        }
        for plan in plans:
            for key, value in values.items():
                PlanRuleValue.objects.update_or_create(
                    plan=plan, key=key, defaults={"value": value}
                )


def back(apps, schema_editor):
    DutyConfig = apps.get_model("duties", "DutyConfig")
    PlanRuleValue = apps.get_model("obligations", "PlanRuleValue")
    for row in (
        PlanRuleValue.objects.filter(key="duties.letter_due", plan__is_active=True)
        .select_related("plan")
        .order_by("plan__year")
    ):
        five = PlanRuleValue.objects.filter(plan=row.plan, key="duties.five_due").first()
        letter_month, letter_day = (int(x) for x in row.value.split("-"))
        five_month, five_day = (int(x) for x in (five.value if five else "11-30").split("-"))
        DutyConfig.objects.update_or_create(
            owner_id=row.plan.owner_id,
            defaults={
                "letter_due_month": letter_month,
                "letter_due_day": letter_day,
                "five_due_month": five_month,
                "five_due_day": five_day,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0001_initial"),
        ("obligations", "0003_plan_year_and_rules"),
    ]

    operations = [
        migrations.RunPython(into_plans, back),
        migrations.DeleteModel(
            name="DutyConfig",
        ),
    ]
