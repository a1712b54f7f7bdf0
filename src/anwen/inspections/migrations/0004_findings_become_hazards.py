"""Every finding recorded before the hazards engine (the ones reading 需整改 that nobody could
close) becomes a hazard in the "reported" state, with its first event in the chronology and
the deadline of a general hazard counted from the day of its inspection. Findings already
linked to a hazard are left alone, so the migration can run on any database."""

from django.db import migrations

SOURCE_OF_LEVEL = {"centre": "centre", "bureau": "bureau", "joint": "joint"}


def forwards(apps, schema_editor):
    from anwen import calendar
    from anwen.hazards.rules import DEADLINE_GENERAL
    from anwen.hazards.services import category_from_text

    Finding = apps.get_model("inspections", "Finding")
    Hazard = apps.get_model("hazards", "Hazard")
    Event = apps.get_model("workflow", "Event")
    Grant = apps.get_model("workflow", "Grant")
    findings = (
        Finding.objects.filter(hazard_id__isnull=True)
        .select_related("inspection", "inspection__area", "org")
        .order_by("pk")
    )
    for finding in findings.iterator():
        inspection = finding.inspection
        if inspection.purpose == "fire_self":
            source = "fire"
        elif finding.level == "self":
            source = "checklist" if finding.answer_id else "self"
        else:
            source = SOURCE_OF_LEVEL.get(finding.level, "self")
        found_on = inspection.inspected_on
        hazard = Hazard.objects.create(
            org_id=finding.org_id,
            source=source,
            origin_type="inspections.finding",
            origin_id=finding.pk,
            title=finding.description[:200],
            description=finding.description,
            category=category_from_text(finding.category),
            place=finding.location,
            area_id=inspection.area_id,
            found_on=found_on,
            reported_by_id=inspection.submitted_by_id or inspection.created_by_id,
            deadline=calendar.due(found_on, DEADLINE_GENERAL.default),
            state="reported",
        )
        hazard.photos_before.set(list(finding.photos.all()))
        Event.objects.create(
            record_type="hazards.hazard",
            record_id=hazard.pk,
            name="created",
            from_state="",
            to_state="reported",
            actor_id=hazard.reported_by_id,
            at=finding.created_at,
            note="",
            data={"source": source, "origin": "inspections.finding", "migrated": True},
        )
        if inspection.level == "joint":
            for org_id in inspection.invited.values_list("pk", flat=True):
                Grant.objects.get_or_create(
                    record_type="hazards.hazard",
                    record_id=hazard.pk,
                    org_id=org_id,
                    user=None,
                    defaults={"reason": "found"},
                )
        Finding.objects.filter(pk=finding.pk).update(hazard_id=hazard.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_one_open_draft_per_inspector"),
        ("hazards", "0001_hazards"),
        ("workflow", "0001_events_and_grants"),
        ("calendar", "0004_existing_rows_to_their_owner"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
