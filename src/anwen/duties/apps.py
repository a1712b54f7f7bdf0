from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "anwen.duties"
    label = "duties"
    verbose_name = _("Safety duties")

    def ready(self) -> None:
        from django.urls import reverse

        from anwen.duties import counts, files, rules, services
        from anwen.duties.subjects import staff_subjects
        from anwen.evidence.registry import Owner, register_owner
        from anwen.obligations.plans import register_rule
        from anwen.obligations.registry import (
            RecordKind,
            SubjectProvider,
            register_kind,
            register_subjects,
        )

        for rule in rules.RULES:
            register_rule(rule)
        counts.connect()  # the sign rates' kept counts follow people, positions and letters

        register_kind(
            RecordKind(
                code=services.KIND_LETTER,
                label=_("Yearly safety responsibility letter"),
                url=lambda period: reverse("duties:my_letter"),
                in_inbox=False,  # duties.todo lists it, due by the bureau's letter deadline
                due=letters_due,
            )
        )
        register_kind(
            RecordKind(
                code=services.KIND_FIVE,
                label=_("Five-in-place self-assessment"),
                url=lambda period: reverse("duties:five_school", args=[period.org_id]),
                in_inbox=False,  # duties.todo lists it, due by the bureau's deadline
                due=five_due,
            )
        )
        register_kind(
            RecordKind(
                code=services.KIND_COMMITMENT,
                label=_("Public commitment"),
                url=lambda period: reverse("duties:commitment_new") + "?kind=public",
            )
        )
        register_kind(
            RecordKind(
                code=services.KIND_SELF_CHECK,
                label=_("Self-know, self-check, self-fix record"),
                url=lambda period: reverse("duties:commitment_new") + "?kind=self_check",
            )
        )
        register_subjects(
            SubjectProvider(
                code="duties.staff",
                label=_("Each member of staff"),
                subjects=staff_subjects,
            )
        )
        register_owner(
            Owner(
                code="duties.letter",
                model="duties.ResponsibilityLetter",
                field="scan",
                records=files.letters_whose_files_open,
            )
        )
        register_owner(
            Owner(
                code="duties.five_part",
                model="duties.FiveInPlacePart",
                field="evidence",
                records=files.five_parts_whose_files_open,
            )
        )
        register_owner(
            Owner(
                code="duties.commitment",
                model="duties.Commitment",
                field="evidence",
                records=files.commitments_whose_files_open,
            )
        )


# The yearly periods of the letters and the five-in-place assessment are due by the bureau's
# own deadlines (rules of the yearly plan, duties.rules: 31 March by default), the same day the duties pages and the inbox
# show, not at the end of the year.
def letters_due(obligation, start, end):
    from anwen.duties.selectors import due_dates

    return due_dates(obligation.plan.owner_id, start.year)[0]


def five_due(obligation, start, end):
    from anwen.duties.selectors import due_dates

    return due_dates(obligation.plan.owner_id, start.year)[1]
